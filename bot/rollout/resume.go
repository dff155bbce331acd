package rollout

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
)

// ResumeArgs is the periodic job that keeps every followed rollout polled:
// the leader replica inserts it every few minutes (see queue.PeriodicJob).
type ResumeArgs struct{}

// Kind names the job in River.
func (ResumeArgs) Kind() string { return "rollout_resume" }

// ActiveRollouts lists the rollouts being followed.
type ActiveRollouts interface {
	EveryActiveRollout(ctx context.Context) ([]store.RolloutRecord, error)
}

// Inserter inserts a unique job, or reports inserted false when an equal
// one is unfinished.
type Inserter interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (inserted bool, err error)
}

// ResumeWorker gives a poll job to each followed rollout that has none: one
// whose job was given up after its attempts ran out, or lost with a database
// restored from a backup. A rollout's poll job snoozes between rounds, so one
// that exists is left alone (its insert is skipped as a duplicate), and a
// rollout is never polled twice at once.
type ResumeWorker struct {
	river.WorkerDefaults[ResumeArgs]
	Rollouts ActiveRollouts
	Queue    Inserter
	Logger   *slog.Logger
}

// Work inserts the missing poll jobs.
func (w *ResumeWorker) Work(ctx context.Context, _ *river.Job[ResumeArgs]) error {
	rollouts, err := w.Rollouts.EveryActiveRollout(ctx)
	if err != nil {
		return err
	}
	resumed := 0
	for _, rec := range rollouts {
		r, err := unmarshal(rec.Document)
		if err != nil {
			w.Logger.Warn("rollout document does not parse; not resumed", "repo", rec.Repo, "pr", rec.Number, "err", err)
			continue
		}
		poll := PollArgs{Repo: rec.Repo, Number: rec.Number, Installation: r.Installation}
		opts := poll.InsertOpts()
		inserted, err := w.Queue.Insert(ctx, poll, &opts)
		if err != nil {
			return fmt.Errorf("resume the rollout of %s#%d: %w", rec.Repo, rec.Number, err)
		}
		if inserted {
			resumed++
			w.Logger.Info("resumed a rollout that had no poll job", "repo", rec.Repo, "pr", rec.Number)
		}
	}
	w.Logger.Debug("rollouts resumed", "active", len(rollouts), "resumed", resumed)
	return nil
}
