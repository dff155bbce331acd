package checks

import (
	"fmt"

	"github.com/imagebot/imagebot/checks/build"
)

// checkPinned is image-pinned: base images are immutable references, and
// the build workflow publishes no mutable tag that a hub could follow
// unreviewed. It returns whether there was anything to examine.
func checkPinned(r *repository) (findings []Finding, examined bool) {
	findings = append(findings, r.problems[ImagePinned]...)
	for _, img := range r.images {
		if img.Stage {
			continue
		}
		examined = true
		if f := judgeBaseImage(img); f != nil {
			findings = append(findings, *f)
		}
	}
	for _, w := range r.workflows {
		for _, p := range w.Publishes {
			examined = true
			if p.Kind != build.Latest && p.Kind != build.BranchLike && p.Kind != build.NoTag {
				continue
			}
			findings = append(findings, Finding{
				Severity: Error, Path: p.Path, Line: p.Line,
				Message: fmt.Sprintf("`%s` publishes the mutable tag `%s:%s`: %s A hub that uses it runs every build without review, and nodes keep whichever digest they pulled first.",
					p.Path, p.Image, p.Tag, sentence(p.Reason)),
				Fix: publishFix(p),
			})
		}
	}
	return findings, examined
}

// judgeBaseImage returns the finding for one FROM, if any.
func judgeBaseImage(img build.ImageRef) *Finding {
	ref := img.Resolved
	if ref == "" {
		why := img.Unresolved
		if why == "" {
			why = "it cannot be resolved"
		}
		return &Finding{
			Severity: Error, Path: img.Path, Line: img.Line,
			Message: fmt.Sprintf("imagebot cannot tell which base image `FROM %s` uses: %s. What cannot be checked is not taken as pinned.", clipTo(img.Raw, 120), why),
			Fix:     "Write the image in the FROM line with a tag and digest, or give its ARG (declared before the first FROM) a default that does, such as `ARG BASE=quay.io/jupyter/base-notebook:2024-10-03@sha256:<digest>`.",
		}
	}
	via := ""
	if img.ArgLine > 0 {
		via = fmt.Sprintf(" (through the ARG default on line %d)", img.ArgLine)
	}
	digestCmd := "crane digest " + shellQuote(ref)
	switch build.ClassifyTag(img.Tag, img.Digest) {
	case build.Digest:
		return nil
	case build.Versioned:
		return &Finding{
			Severity: Notice, Path: img.Path, Line: img.Line,
			Message: fmt.Sprintf("`FROM %s`%s uses a tag; tags can be re-pushed, a digest cannot.", ref, via),
			Fix:     fmt.Sprintf("Pin the digest too: run `%s` and write `FROM %s@sha256:<digest>`.", digestCmd, ref),
		}
	case build.NoTag, build.Latest:
		return &Finding{
			Severity: Error, Path: img.Path, Line: img.Line,
			Message: fmt.Sprintf("`FROM %s`%s follows `latest`, so each build can start from a different base image.", ref, via),
			Fix:     fmt.Sprintf("Pin a dated tag and its digest, for example `FROM %s:<tag>@sha256:<digest>` (get the digest with `crane digest %s:<tag>`).", img.Repository, shellQuote(img.Repository)),
		}
	default:
		return &Finding{
			Severity: Error, Path: img.Path, Line: img.Line,
			Message: fmt.Sprintf("`FROM %s`%s uses `%s`, a tag that moves like a branch, so each build can start from a different base image.", ref, via, img.Tag),
			Fix:     fmt.Sprintf("Pin a dated tag and its digest, for example `FROM %s:<tag>@sha256:<digest>` (get the digest with `crane digest %s:<tag>`).", img.Repository, shellQuote(img.Repository)),
		}
	}
}

func publishFix(p build.Publish) string {
	switch p.Via {
	case "jupyterhub/repo2docker-action":
		return "Add `LATEST_TAG_OFF: true` to the repo2docker-action step's `with:` and point the hub at the commit tag (the first 12 characters of the merge commit SHA)."
	case "docker/metadata-action":
		return fmt.Sprintf("Remove the `%s` tag from the metadata-action `tags:` (keep `type=sha`), set `flavor: latest=false`, and point the hub at the commit tag.", p.Tag)
	}
	return fmt.Sprintf("Stop pushing `%s`; push only the commit tag and point the hub at it.", p.Tag)
}

// sentence makes a reason end with a full stop.
func sentence(s string) string {
	if s == "" {
		return "."
	}
	if last := s[len(s)-1]; last != '.' && last != '!' && last != '?' {
		return s + "."
	}
	return s
}
