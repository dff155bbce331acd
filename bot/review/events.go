package review

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/webhook"
)

// Enqueuer inserts durable jobs; inserted is false when an equal unique
// job is already waiting.
type Enqueuer interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (inserted bool, err error)
}

// Pulls remembers each pull request's latest head, base and draft state.
type Pulls interface {
	PutPull(ctx context.Context, p store.Pull) error
	Pull(ctx context.Context, repo string, number int) (store.Pull, bool, error)
}

// Events turns pull request, check suite and check run deliveries into
// check jobs.
type Events struct {
	Queue Enqueuer
	Pulls Pulls
	Now   func() time.Time
}

// Handles names the events that start checks.
func (*Events) Handles() []string { return []string{"pull_request", "check_suite", "check_run"} }

// Handle records the pull request's state and enqueues its check.
func (h *Events) Handle(ctx context.Context, e webhook.Event) error {
	parsed, err := github.ParseWebHook(e.Name, e.Payload)
	if err != nil {
		return fmt.Errorf("parse %s payload: %w", e.Name, err)
	}
	var jobs []CheckArgs
	switch ev := parsed.(type) {
	case *github.PullRequestEvent:
		if !startsCheck(ev) {
			return nil
		}
		pr := ev.GetPullRequest()
		job := CheckArgs{
			InstallationID: ev.GetInstallation().GetID(),
			Owner:          ev.GetRepo().GetOwner().GetLogin(), Repo: ev.GetRepo().GetName(),
			Number: pr.GetNumber(), HeadSHA: pr.GetHead().GetSHA(), BaseSHA: pr.GetBase().GetSHA(),
			Draft: pr.GetDraft(), Delivery: e.DeliveryID,
		}
		if err := h.Pulls.PutPull(ctx, store.Pull{Repo: job.fullName(), Number: job.Number,
			HeadSHA: job.HeadSHA, BaseSHA: job.BaseSHA, Draft: job.Draft, UpdatedAt: h.Now()}); err != nil {
			return err
		}
		jobs = append(jobs, job)
	case *github.CheckSuiteEvent:
		if a := ev.GetAction(); a != "requested" && a != "rerequested" {
			return nil
		}
		suite := ev.GetCheckSuite()
		jobs, err = h.jobsFor(ctx, e, ev.GetRepo(), ev.GetInstallation().GetID(), suite.PullRequests, suite.GetHeadSHA())
	case *github.CheckRunEvent:
		if ev.GetAction() != "rerequested" {
			return nil
		}
		run := ev.GetCheckRun()
		jobs, err = h.jobsFor(ctx, e, ev.GetRepo(), ev.GetInstallation().GetID(), run.PullRequests, run.GetHeadSHA())
	}
	if err != nil {
		return err
	}
	for _, job := range jobs {
		opts := job.InsertOpts()
		if _, err := h.Queue.Insert(ctx, job, &opts); err != nil {
			return err
		}
	}
	return nil
}

// startsCheck reports whether a pull_request action needs a check: new
// commits, a reopened or ready PR, or a changed base branch.
func startsCheck(ev *github.PullRequestEvent) bool {
	switch ev.GetAction() {
	case "opened", "synchronize", "reopened", "ready_for_review":
		return true
	case "edited":
		return ev.GetChanges() != nil && ev.GetChanges().Base != nil
	}
	return false
}

// jobsFor makes one job per pull request of a check suite or run whose
// head is the suite's head. The draft state comes from the last
// pull_request delivery; a PR never seen before counts as ready.
func (h *Events) jobsFor(ctx context.Context, e webhook.Event, repo *github.Repository, installation int64, prs []*github.PullRequest, headSHA string) ([]CheckArgs, error) {
	var jobs []CheckArgs
	for _, pr := range prs {
		if pr.GetHead().GetSHA() != headSHA {
			continue
		}
		job := CheckArgs{
			InstallationID: installation, Owner: repo.GetOwner().GetLogin(), Repo: repo.GetName(),
			Number: pr.GetNumber(), HeadSHA: headSHA, BaseSHA: pr.GetBase().GetSHA(), Delivery: e.DeliveryID,
		}
		known, ok, err := h.Pulls.Pull(ctx, job.fullName(), job.Number)
		if err != nil {
			return nil, err
		}
		if ok {
			job.Draft = known.Draft
		}
		jobs = append(jobs, job)
	}
	return jobs, nil
}
