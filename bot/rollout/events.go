package rollout

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/webhook"
)

// Waker inserts a job, or hurries an equal one that waits.
type Waker interface {
	InsertOrWake(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// Rollouts is the store's side of the tracker.
type Rollouts interface {
	CreateRollout(ctx context.Context, r store.RolloutRecord) (bool, error)
	UpdateRollout(ctx context.Context, r store.RolloutRecord) error
	SwapRollout(ctx context.Context, r store.RolloutRecord, old []byte) (bool, error)
	RecentRollouts(ctx context.Context, repo string, limit int) ([]store.RolloutRecord, error)
	Rollout(ctx context.Context, repo string, number int) (store.RolloutRecord, bool, error)
	ActiveRollouts(ctx context.Context, repo string) ([]store.RolloutRecord, error)
	RolloutsForCommit(ctx context.Context, repo, sha string) ([]store.RolloutRecord, error)
}

// Events starts rollouts on merges and hurries them on events. It only
// records and enqueues; the poll job does the looking.
type Events struct {
	Config   *operator.Config
	Rollouts Rollouts
	Queue    Waker
	Now      func() time.Time
}

// Handles names the events that start or hurry rollouts.
func (*Events) Handles() []string {
	return []string{"pull_request", "workflow_run", "registry_package"}
}

// Handle starts, supersedes or wakes rollouts.
func (h *Events) Handle(ctx context.Context, e webhook.Event) error {
	if h.Config == nil || len(h.Config.Repositories) == 0 {
		return nil
	}
	if e.Name == "registry_package" {
		// A package was published (GitHub Packages, such as ghcr.io).
		// go-github v60 does not know this event; only its repository and
		// installation matter here.
		var p struct {
			Repository struct {
				FullName string `json:"full_name"`
			} `json:"repository"`
			Installation struct{ ID int64 } `json:"installation"`
		}
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return fmt.Errorf("parse registry_package payload: %w", err)
		}
		return h.wakeRepo(ctx, p.Repository.FullName, p.Installation.ID)
	}
	if e.Name == "pull_request" {
		// Read from e.Fields: a pull request's payload may be megabytes
		// of labels and body that go-github's event type would hold.
		if pr := e.Fields.PullRequest; e.Fields.Action == "closed" && pr != nil && pr.Merged {
			return h.merged(ctx, e.Fields)
		}
		return nil
	}
	parsed, err := github.ParseWebHook(e.Name, e.Payload)
	if err != nil {
		return fmt.Errorf("parse %s payload: %w", e.Name, err)
	}
	switch ev := parsed.(type) {
	case *github.WorkflowRunEvent:
		run := ev.GetWorkflowRun()
		return h.wakeCommit(ctx, ev.GetRepo().GetFullName(), run.GetHeadSHA(), ev.GetInstallation().GetID())
	}
	return nil
}

// merged starts the rollout of a merged pull request of a configured
// repository, and marks the repository's older rollouts superseded.
func (h *Events) merged(ctx context.Context, f webhook.Fields) error {
	full := f.Repository.FullName
	repo, ok := h.Config.Repository(full)
	if !ok {
		return nil
	}
	pr := f.PullRequest
	now := h.Now()
	var mergedAt time.Time
	if pr.MergedAt != "" {
		t, err := time.Parse(time.RFC3339, pr.MergedAt)
		if err != nil {
			return fmt.Errorf("parse pull_request payload: merged_at: %w", err)
		}
		mergedAt = t
	}
	r := &Rollout{
		Repo: full, Number: int(pr.Number), Installation: f.Installation.ID, Title: pr.Title,
		MergeSHA: pr.MergeCommitSHA, MergedAt: mergedAt, Image: repo.Image, Tag: repo.Tag(pr.MergeCommitSHA),
		Workflow: repo.Workflow, Timeout: repo.Timeout, ConfigureIn: repo.ConfigureWithin, State: Tracking,
	}
	if r.MergedAt.IsZero() {
		r.MergedAt = now
	}
	older, err := h.Rollouts.ActiveRollouts(ctx, full)
	if err != nil {
		return err
	}
	created, err := h.Rollouts.CreateRollout(ctx, store.RolloutRecord{Repo: full, Number: r.Number, MergeSHA: r.MergeSHA,
		Active: true, Document: r.marshal(), CreatedAt: now, UpdatedAt: now})
	if err != nil {
		return err
	}
	for _, o := range older {
		if o.Number == r.Number {
			continue
		}
		// A round of the older rollout may be running: change keeps either
		// write from undoing the other.
		var prev Rollout
		if _, err := change(ctx, h.Rollouts, full, o.Number, now, func(older *Rollout) {
			older.Newer = max(older.Newer, r.Number)
			prev = *older
		}); err != nil {
			return err
		}
		if err := h.wake(ctx, PollArgs{Repo: full, Number: o.Number, Installation: prev.Installation}); err != nil {
			return err
		}
	}
	if !created {
		return nil // a redelivered merge: its rollout runs already
	}
	return h.wake(ctx, PollArgs{Repo: full, Number: r.Number, Installation: r.Installation})
}

// wakeCommit hurries the rollouts of a merge commit (its build moved).
func (h *Events) wakeCommit(ctx context.Context, repo, sha string, installation int64) error {
	rollouts, err := h.Rollouts.RolloutsForCommit(ctx, repo, sha)
	if err != nil {
		return err
	}
	for _, r := range rollouts {
		if r.Active {
			if err := h.wake(ctx, PollArgs{Repo: repo, Number: r.Number, Installation: installation}); err != nil {
				return err
			}
		}
	}
	return nil
}

// wakeRepo hurries a repository's rollouts (a package was published).
func (h *Events) wakeRepo(ctx context.Context, repo string, installation int64) error {
	rollouts, err := h.Rollouts.ActiveRollouts(ctx, repo)
	if err != nil {
		return err
	}
	for _, r := range rollouts {
		if err := h.wake(ctx, PollArgs{Repo: repo, Number: r.Number, Installation: installation}); err != nil {
			return err
		}
	}
	return nil
}

func (h *Events) wake(ctx context.Context, args PollArgs) error {
	opts := args.InsertOpts()
	return h.Queue.InsertOrWake(ctx, args, &opts)
}
