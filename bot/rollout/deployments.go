package rollout

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// deployment makes sure a hub has its GitHub Deployment: one per hub
// environment and merge commit. A deployment created by an interrupted
// round is found again instead of created twice.
func (t *Tracker) deployment(ctx context.Context, gh *github.Client, owner, name string, r *Rollout, h *HubRollout) error {
	if h.DeploymentID != 0 {
		return nil
	}
	existing, _, err := gh.Repositories.ListDeployments(ctx, owner, name, &github.DeploymentsListOptions{SHA: r.MergeSHA, Environment: h.Name})
	if err != nil {
		return fmt.Errorf("list deployments: %w", err)
	}
	if len(existing) > 0 {
		h.DeploymentID = existing[0].GetID()
		return nil
	}
	d, _, err := gh.Repositories.CreateDeployment(ctx, owner, name, &github.DeploymentRequest{
		Ref: github.String(r.MergeSHA), Environment: github.String(h.Name),
		Description:      github.String(truncate(fmt.Sprintf("Rollout of #%d to %s", r.Number, h.Name), 140)),
		AutoMerge:        github.Bool(false),
		RequiredContexts: &[]string{}, // the image is built elsewhere; no check gates the rollout
		Task:             github.String("deploy"),
	})
	if err != nil {
		return fmt.Errorf("create deployment for %s: %w", h.Name, err)
	}
	h.DeploymentID = d.GetID()
	return nil
}

// hubStatus is the deployment status a hub's stage maps to.
func hubStatus(r *Rollout, h *HubRollout) (state, description string) {
	switch {
	case r.State == Superseded:
		return "inactive", fmt.Sprintf("Superseded by #%d", r.Newer)
	case r.State == Failed:
		return "failure", "The build failed; nothing was pushed"
	case h.failing():
		return "failure", "Failing: " + h.Health.failureWords(plain)
	case h.Health != nil && h.Health.Verdict == Healthy:
		return "success", fmt.Sprintf("Healthy: %s started on the new image since %s, none failed", servers(h.Health.successes()), clock(h.Health.Since))
	case h.Health != nil && r.State == Tracking:
		return "in_progress", "Live; watching servers start on the new image until " + clock(h.Health.Until)
	case !h.LiveAt.IsZero():
		return "success", fmt.Sprintf("Live: %s on the new image, %d on older ones", servers(h.New), h.Old)
	case !h.ConfiguredAt.IsZero() && !h.Observed:
		return "success", "The hub's configuration points at the new image"
	case r.State == TimedOut:
		return "failure", "Timed out before the new image ran on the hub"
	case !h.ConfiguredAt.IsZero():
		return "in_progress", "Configured; waiting for a user server to start on the new image"
	case r.published():
		return "in_progress", "Pushed; waiting for the hub's configuration to point at it"
	case r.Build.Status == "in_progress" || r.Build.Status == "success":
		return "in_progress", "Building the image"
	}
	return "queued", "Waiting for the build"
}

// deploymentStatuses mirrors each hub's stage as a deployment status,
// posting only when it changed.
func (t *Tracker) deploymentStatuses(ctx context.Context, gh *github.Client, owner, name string, r *Rollout) error {
	for i := range r.Hubs {
		h := &r.Hubs[i]
		if h.DeploymentID == 0 {
			continue
		}
		state, description := hubStatus(r, h)
		if key := state + ": " + description; key != h.LastStatus {
			_, _, err := gh.Repositories.CreateDeploymentStatus(ctx, owner, name, h.DeploymentID, &github.DeploymentStatusRequest{
				State: github.String(state), Description: github.String(truncate(description, 140)),
				EnvironmentURL: github.String(h.URL), LogURL: github.String(r.pullURL()),
			})
			if err != nil {
				return fmt.Errorf("deployment status for %s: %w", h.Name, err)
			}
			h.LastStatus = key
		}
	}
	return nil
}

// truncate cuts s to at most n bytes on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	for len(string(r)) > n-len("…") {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
