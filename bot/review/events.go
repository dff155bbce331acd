package review

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

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

// Handle records the pull request's state and enqueues its check. A
// pull_request delivery is read from e.Fields; a check suite's or run's
// pull requests are decoded from the payload.
func (h *Events) Handle(ctx context.Context, e webhook.Event) error {
	f := e.Fields
	var jobs []CheckArgs
	switch e.Name {
	case "pull_request":
		pr := f.PullRequest
		if pr == nil || !startsCheck(f) {
			return nil
		}
		job := CheckArgs{
			InstallationID: f.Installation.ID,
			Owner:          f.Repository.Owner, Repo: f.Repository.Name,
			Number: int(pr.Number), HeadSHA: pr.HeadSHA, BaseSHA: pr.BaseSHA,
			Draft: pr.Draft, Delivery: e.DeliveryID,
		}
		if err := h.Pulls.PutPull(ctx, store.Pull{Repo: job.fullName(), Number: job.Number,
			HeadSHA: job.HeadSHA, BaseSHA: job.BaseSHA, Draft: job.Draft, UpdatedAt: h.Now()}); err != nil {
			return err
		}
		jobs = append(jobs, job)
	case "check_suite", "check_run":
		var p suites
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return fmt.Errorf("parse %s payload: %w", e.Name, err)
		}
		var err error
		switch {
		case e.Name == "check_suite" && p.CheckSuite != nil && (f.Action == "requested" || f.Action == "rerequested"):
			jobs, err = h.jobsFor(ctx, e, p.CheckSuite)
		case e.Name == "check_run" && p.CheckRun != nil && f.Action == "rerequested":
			jobs, err = h.jobsFor(ctx, e, p.CheckRun)
		}
		if err != nil {
			return err
		}
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
func startsCheck(f webhook.Fields) bool {
	switch f.Action {
	case "opened", "synchronize", "reopened", "ready_for_review":
		return true
	case "edited":
		return f.BaseChanged
	}
	return false
}

// jobsFor makes one job per pull request of a check suite or run whose
// head is the suite's head. The draft state comes from the last
// pull_request delivery; a PR never seen before counts as ready.
func (h *Events) jobsFor(ctx context.Context, e webhook.Event, s *suite) ([]CheckArgs, error) {
	f := e.Fields
	var jobs []CheckArgs
	for _, pr := range s.PullRequests {
		if pr.Head.SHA != s.HeadSHA {
			continue
		}
		job := CheckArgs{
			InstallationID: f.Installation.ID, Owner: f.Repository.Owner, Repo: f.Repository.Name,
			Number: pr.Number, HeadSHA: s.HeadSHA, BaseSHA: pr.Base.SHA, Delivery: e.DeliveryID,
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
