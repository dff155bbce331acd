package rollout

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/hubconfig"
	"github.com/imagebot/imagebot/bot/rollout/hubprobe"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/checks/build"
	"github.com/imagebot/imagebot/checks/config"
)

// repoConfig reads the repository's own configuration at the merge
// commit. A missing or invalid file gives the defaults: every hub the
// operator allowed, and the operator's tag.
func repoConfig(ctx context.Context, gh *github.Client, owner, name, sha string) (*config.Config, error) {
	file, _, resp, err := gh.Repositories.GetContents(ctx, owner, name, config.Path, &github.RepositoryContentGetOptions{Ref: sha})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return config.Default(), nil
		}
		return nil, fmt.Errorf("read %s: %w", config.Path, err)
	}
	text, err := file.GetContent()
	if err != nil {
		return config.Default(), nil
	}
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		return config.Default(), nil
	}
	return cfg, nil
}

// findBuild looks for the build workflow's latest run on the merge commit;
// when the repository runs no such workflow, it falls back to the
// commit's check suites.
func findBuild(ctx context.Context, gh *github.Client, owner, name string, r *Rollout) error {
	runs, _, err := gh.Actions.ListRepositoryWorkflowRuns(ctx, owner, name, &github.ListWorkflowRunsOptions{
		HeadSHA: r.MergeSHA, ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return fmt.Errorf("list workflow runs: %w", err)
	}
	var latest *github.WorkflowRun
	for _, run := range runs.WorkflowRuns {
		if r.Workflow != "" && run.GetName() != r.Workflow {
			continue
		}
		if latest == nil || run.GetRunNumber() > latest.GetRunNumber() ||
			(run.GetRunNumber() == latest.GetRunNumber() && run.GetRunAttempt() > latest.GetRunAttempt()) {
			latest = run
		}
	}
	if latest != nil {
		r.Build = Build{Status: runStatus(latest.GetStatus(), latest.GetConclusion()),
			Name: fmt.Sprintf("%s #%d", latest.GetName(), latest.GetRunNumber()), URL: latest.GetHTMLURL()}
		if r.Build.Status == "success" || r.Build.Status == "failure" {
			r.Build.At = latest.GetUpdatedAt().Time
		}
		return nil
	}
	if r.Workflow != "" && len(runs.WorkflowRuns) > 0 {
		return nil // other workflows ran; the build has not started yet
	}
	suites, _, err := gh.Checks.ListCheckSuitesForRef(ctx, owner, name, r.MergeSHA, &github.ListCheckSuiteOptions{ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return fmt.Errorf("list check suites: %w", err)
	}
	for _, s := range suites.CheckSuites {
		if s.GetApp().GetSlug() != "github-actions" {
			continue
		}
		r.Build = Build{Status: runStatus(s.GetStatus(), s.GetConclusion()), Name: "the commit's checks",
			URL: fmt.Sprintf("https://github.com/%s/%s/commit/%s/checks", owner, name, r.MergeSHA)}
		if r.Build.Status == "success" || r.Build.Status == "failure" {
			r.Build.At = s.GetUpdatedAt().Time
		}
	}
	return nil
}

// runStatus maps a run's or suite's status and conclusion to a Build status.
func runStatus(status, conclusion string) string {
	if status != "completed" {
		if status == "" {
			return "queued"
		}
		return status
	}
	switch conclusion {
	case "success", "neutral", "skipped":
		return "success"
	}
	return "failure"
}

// resolve asks the registry for the new tag.
func (t *Tracker) resolve(ctx context.Context, r *Rollout, now time.Time) {
	d, err := t.Registry.Resolve(ctx, r.ref())
	if err != nil {
		if !errors.Is(err, registry.ErrNotFound) {
			t.Logger.Warn("registry lookup failed", "ref", r.ref(), "err", err)
		}
		return
	}
	r.Pushed = Published{Digest: d.Digest, Platform: d.Platform, At: now}
}

// look looks at one hub: what its configuration points at, and, where its
// cluster can be seen, which digests its servers run. It returns what it
// saw in the cluster, or nil.
func (t *Tracker) look(ctx context.Context, gh *github.Client, r *Rollout, h *HubRollout, now time.Time) *hubprobe.Observation {
	hub, ok := t.Config.HubFor(r.Repo, h.Name)
	if !ok {
		h.Problem = "the operator's configuration no longer defines this hub"
		return nil
	}
	h.Problem = ""
	if hub.ConfigRepo != nil {
		t.lookAtConfig(ctx, gh, r, h, hub, now)
	}
	if hub.Kubernetes == nil {
		return nil
	}
	obs, err := t.Clusters.Observe(ctx, hub)
	if err != nil {
		h.Problem = "imagebot could not list the hub's pods: " + err.Error()
		return nil
	}
	if hub.ConfigRepo == nil {
		h.ConfigValue = plainValue(strings.Join(obs.ConfiguredImages, ", "))
		h.Mutable = anyMutable(obs.ConfiguredImages)
		if h.ConfiguredAt.IsZero() && obs.ConfiguredFor(r.Image, r.Tag, r.digests()...) {
			h.ConfiguredAt = now
		}
		if h.ConfiguredAt.IsZero() && len(obs.ConfiguredImages) == 1 {
			h.Before.Value = obs.ConfiguredImages[0]
		}
	}
	if h.LiveAt.IsZero() && h.Before.Rollout == 0 {
		h.Before.Digest = heldBefore(obs, r.isNew)
	}
	tally := obs.Tally(r.isNew)
	h.New, h.Old, h.Starting, h.NodesWithNew, h.NodesTotal = tally.New, tally.Old, tally.Starting, tally.NodesWithNew, tally.NodesTotal
	if tally.Live && h.LiveAt.IsZero() {
		h.LiveAt = now
		if h.ConfiguredAt.IsZero() {
			h.ConfiguredAt = now // a server runs it, so the hub points at it
		}
	}
	return &obs
}

// lookAtConfig reads the hub's values file and, when the operator opted
// in, opens the pull request that points it at the new tag.
func (t *Tracker) lookAtConfig(ctx context.Context, gh *github.Client, r *Rollout, h *HubRollout, hub *operator.Hub, now time.Time) {
	cr := hub.ConfigRepo
	client := t.clientFor(ctx, gh, r, cr.Repository)
	v, err := hubconfig.Read(ctx, client, *cr)
	if err != nil {
		h.Problem = "imagebot could not read the hub's configuration: " + err.Error()
		return
	}
	h.ConfigValue, h.ConfigURL = plainValue(v.Raw), v.HTMLURL
	h.Mutable = anyMutable([]string{v.Raw})
	if h.ConfiguredAt.IsZero() && hubconfig.PointsAt(v.Raw, r.Image, r.Tag, r.digests()...) {
		h.ConfiguredAt = now
	}
	if h.ConfiguredAt.IsZero() {
		h.Before.Value = v.Raw // the value a rollback restores
	}
	if !h.ConfiguredAt.IsZero() || !cr.OpenPullRequest || h.BumpURL != "" {
		return
	}
	newValue := r.Tag
	switch {
	case strings.HasPrefix(v.Raw, "sha256:"):
		newValue = r.Pushed.Digest // the file pins a bare digest
	case strings.ContainsAny(v.Raw, ":/@"):
		newValue = r.ref() // the file holds a full reference, so write one
	}
	url, err := hubconfig.Bump(ctx, client, hubconfig.BumpRequest{Config: *cr, Value: newValue,
		Hub: h.Name, Tag: r.Tag, SourceRepo: r.Repo, SourcePR: r.Number, SourceURL: r.pullURL()})
	switch {
	case err == nil:
		h.BumpURL = url
	case errors.Is(err, hubconfig.ErrAlreadySet):
	default:
		h.Problem = "imagebot could not open the pull request that bumps the hub's configuration: " + err.Error()
	}
}

// clientFor returns a client for a config repository: the installation
// that covers it, or the image repository's own.
func (t *Tracker) clientFor(ctx context.Context, gh *github.Client, r *Rollout, repo string) *github.Client {
	if t.Installations == nil {
		return gh
	}
	id, ok, err := t.Installations.InstallationFor(ctx, repo)
	if err != nil || !ok || id == r.Installation {
		return gh
	}
	other, err := t.Clients.NewInstallationClient(id)
	if err != nil {
		return gh
	}
	return other
}

// anyMutable reports whether an image reference, or a bare tag, follows
// a tag that moves (no tag, latest, or a branch-like name) rather than
// one build.
func anyMutable(values []string) bool {
	for _, v := range values {
		tag, digest := v, ""
		if strings.ContainsAny(v, "/:@") {
			ref, err := operator.ParseReference(v)
			if err != nil {
				continue
			}
			tag, digest = ref.Tag, ref.Digest
		}
		switch build.ClassifyTag(tag, digest) {
		case build.Latest, build.NoTag, build.BranchLike:
			return true
		}
	}
	return false
}

// pullURL is the merged pull request's address.
func (r *Rollout) pullURL() string {
	return fmt.Sprintf("https://github.com/%s/pull/%d", r.Repo, r.Number)
}

// plainValue keeps a configuration value fit for a code span: one line,
// no backticks, at most 200 bytes.
func plainValue(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '`':
			return '\''
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
	return truncate(s, 200)
}
