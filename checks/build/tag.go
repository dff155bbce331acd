package build

import (
	"regexp"
	"strings"
)

// TagKind classifies an image tag by how likely it is to keep naming the same image.
type TagKind string

const (
	// Digest is pinned by @sha256:…: the only reference a registry cannot move.
	Digest TagKind = "digest"
	// Latest is the tag "latest" (in any case), which every push of an untagged build moves.
	Latest TagKind = "latest"
	// NoTag has neither tag nor digest, which means latest.
	NoTag TagKind = "no-tag"
	// BranchLike names a line of development rather than one build: a branch or channel
	// (main, nightly, stable, …), a variant of latest, a component version that publishers
	// rebuild in place (python-3.11, ubuntu-22.04), or a bare word.
	BranchLike TagKind = "branch-like"
	// Versioned names one build by convention (a date, a commit SHA, a version number) but
	// can still be pushed again.
	Versioned TagKind = "versioned"
	// Unknown is a tag computed when the workflow or build runs (a GitHub expression or a
	// shell variable) whose form cannot be told from the file.
	Unknown TagKind = "unknown"
)

// ClassifyTag classifies a tag and digest as written in a reference (the digest without
// its @). Templates are understood: docker/metadata-action's {{sha}}, {{date …}},
// {{version}} and friends are Versioned, {{branch}} and {{pr}} BranchLike, and GitHub
// expressions and shell variables are judged by what they read (github.sha, GITHUB_SHA
// and run numbers are Versioned; github.ref_name and head_ref BranchLike; others Unknown).
func ClassifyTag(tag, digest string) TagKind {
	k, _ := ExplainTag(tag, digest)
	return k
}

// ExplainTag classifies like ClassifyTag and says why, in one sentence without a final
// period, suitable for a finding's message.
func ExplainTag(tag, digest string) (TagKind, string) {
	lower := strings.ToLower(tag)
	switch {
	case digest != "":
		return Digest, "a digest names exactly one image"
	case tag == "":
		return NoTag, "a reference without a tag means :latest"
	case lower == "latest":
		return Latest, ":latest moves with every push"
	case strings.Contains(tag, "{{") || strings.Contains(tag, "$"):
		return explainTemplate(lower)
	}
	parts := strings.FieldsFunc(lower, func(r rune) bool { return r == '-' || r == '_' || r == '.' })
	switch {
	case datePattern.MatchString(lower):
		return Versioned, "a tag with a date names one build by convention, but can be pushed again"
	case hasCommitSHA(lower):
		return Versioned, "a tag with a commit SHA names one build by convention, but can be pushed again"
	case contains(parts, "latest"):
		return BranchLike, "a variant of latest moves with every build"
	case branchWords[lower]:
		return BranchLike, "a branch or channel name moves with every build"
	case len(parts) > 0 && branchWords[parts[0]]:
		return BranchLike, "a tag that starts with a branch or channel name moves with every build"
	case componentPattern.MatchString(lower):
		return BranchLike, "a tag that names a component's version (python-3.11, ubuntu-22.04) is rebuilt in place by publishers such as Jupyter docker-stacks"
	case versionPattern.MatchString(lower):
		return Versioned, "a version number names one release by convention, but can be pushed again"
	case strings.ContainsAny(lower, "0123456789"):
		return Versioned, "a tag with a number names one build by convention, but can be pushed again"
	}
	return BranchLike, "a name without a version, date or commit moves by nature"
}

// branchWords are tags (and first words of tags) that name a line of development: git's
// default branches and common development branches, release channels, and rolling builds.
var branchWords = map[string]bool{
	// branches
	"main": true, "master": true, "trunk": true, "head": true, "dev": true, "devel": true,
	"develop": true, "development": true, "staging": true, "prod": true, "production": true,
	"pr": true, "preview": true,
	// channels
	"stable": true, "testing": true, "unstable": true, "beta": true, "alpha": true,
	"canary": true, "next": true, "edge": true, "experimental": true, "lts": true,
	// rolling builds
	"nightly": true, "daily": true, "weekly": true, "rolling": true, "current": true,
	"snapshot": true,
}

var (
	// datePattern finds a calendar date: 2024-10-03, 2024.10.03, 2024_10_03 or 20241003.
	datePattern = regexp.MustCompile(`(^|[^0-9])(19|20)[0-9]{2}([-._]?)(0[1-9]|1[0-2])[-._]?(0[1-9]|[12][0-9]|3[01])([^0-9]|$)`)
	// componentPattern finds a tag that starts with a component and its version.
	componentPattern = regexp.MustCompile(`^(python|py|ubuntu|debian|alpine|centos|rocky|fedora|jammy|focal|noble|bookworm|bullseye|buster|lab|jupyterlab|notebook|hub|r|julia|cuda|cudnn|pytorch|torch|tensorflow|tf|spark|java|jdk|openjdk|node|nodejs|go|golang|rust|x86_64|aarch64|arm64|amd64)[-_.]?[0-9]`)
	// versionPattern is a version number with optional qualifiers: 1.2, v1.2.3, 3.11-slim.
	versionPattern = regexp.MustCompile(`^v?[0-9]+([-._+]?[0-9a-z]+)*$`)
)

// hasCommitSHA reports whether a run of 7 to 40 hexadecimal characters, with at least one
// digit and one letter, stands alone in the tag (between non-hex characters).
func hasCommitSHA(s string) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isHex(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			run := s[start:i]
			if len(run) >= 7 && len(run) <= 40 && strings.ContainsAny(run, "0123456789") && strings.ContainsAny(run, "abcdef") {
				return true
			}
			start = -1
		}
	}
	return false
}

func isHex(c byte) bool { return isDigit(c) || (c >= 'a' && c <= 'f') }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Markers in templated tags. buildMarkers name one build; branchMarkers a branch.
var (
	buildMarkers = []string{
		"{{sha}}", "{{date", "{{commit_date", "{{version}}", "{{raw}}", "{{major}}", "{{minor}}",
		"{{patch}}", "{{match}}", "{{tag}}", "github.sha", "github.run_number", "github.run_id",
		"github.event.release.tag_name", "github_sha", "github_run_number", "github_run_id",
		"git rev-parse", "git describe", "$(date", "`date",
	}
	branchMarkers = []string{
		"{{branch}}", "{{base_ref}}", "{{pr}}", "{{is_default_branch}}", "github.ref_name",
		"github.head_ref", "github.base_ref", "github.ref", "github_ref_name", "github_head_ref",
		"github_base_ref", "github_ref",
	}
)

func explainTemplate(lower string) (TagKind, string) {
	for _, m := range buildMarkers {
		if strings.Contains(lower, m) {
			return Versioned, "a tag made from the commit, date, version or run names one build by convention, but can be pushed again"
		}
	}
	for _, m := range branchMarkers {
		if strings.Contains(lower, m) {
			return BranchLike, "a tag made from the branch or pull request moves with every build"
		}
	}
	return Unknown, "the tag is computed when the build runs, from a value the file does not show"
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isNameByte reports whether c may be part of a shell or ARG variable name.
func isNameByte(c byte) bool {
	return c == '_' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}
