package command

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/failure"
	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/joblog"
	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/review"
	"github.com/imagebot/imagebot/bot/rollout"
	"github.com/imagebot/imagebot/bot/store"
)

// The reactions imagebot answers with. The rollout command's own worker
// reacts 🚀 or 😕 once it knows whether there is a rollout to check.
const (
	reactDone    = "+1"
	reactRefused = "confused"
)

// State is what commands record: pull request heads, for the checks
// they start, and help requests, which the sticky comment shows.
type State interface {
	PutPull(ctx context.Context, p store.Pull) error
	RequestHelp(ctx context.Context, repo string, number int) error
}

// Requeuer is the queue as the worker uses it: InsertFresh queues the
// check a command asks for, and fails with queue.ErrRunning while an equal
// check runs, which may have rendered before the command was recorded.
type Requeuer interface {
	Enqueuer
	InsertFresh(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error
}

// checkRunningWait is how long a command waits before asking again for a
// check while an equal one runs.
const checkRunningWait = 2 * time.Second

// Worker carries out commands.
type Worker struct {
	river.WorkerDefaults[Args]
	Clients githubapp.ClientCreator
	State   State
	Queue   Requeuer
	// Tracks reports whether the operator follows the rollouts of a
	// repository ("owner/name"); nil follows none.
	Tracks func(fullName string) bool
	Now    func() time.Time
	Logger *slog.Logger
}

// Work answers one command with a reaction, after doing what it asks.
func (w *Worker) Work(ctx context.Context, job *river.Job[Args]) error {
	a := job.Args
	log := joblog.From(ctx, w.Logger.With("delivery", a.Delivery, "installation", a.Installation, "repo", a.fullName(),
		"pr", a.Number, "job", job.ID, "attempt", job.Attempt)).With("comment", a.CommentID, "command", string(a.Action))
	gh, err := w.Clients.NewInstallationClient(a.Installation)
	if err != nil {
		return err
	}
	reaction := reactDone
	switch a.Action {
	case Recheck:
		err = w.recheck(ctx, gh, a, log)
	case Help, Unknown:
		if err = w.State.RequestHelp(ctx, a.fullName(), a.Number); err == nil {
			// The check that follows renders the sticky comment, help included.
			err = w.recheck(ctx, gh, a, log)
		}
		if a.Action == Unknown {
			reaction = reactRefused
		}
	case Rollout:
		if w.Tracks != nil && w.Tracks(a.fullName()) {
			cmd := rollout.CommandArgs{Repo: a.fullName(), Number: a.Number, Installation: a.Installation, CommentID: a.CommentID}
			opts := cmd.InsertOpts()
			_, err := w.Queue.Insert(ctx, cmd, &opts)
			return err // the rollout command reacts
		}
		log.Info("no rollout tracking for this repository")
		reaction = reactRefused
	default: // Refuse, or an action this build does not know
		reaction = reactRefused
	}
	if errors.Is(err, queue.ErrRunning) {
		// The running check may miss this command: ask again once it is done.
		log.Info("a check of this head is running; the command waits for it", "wait", checkRunningWait)
		return queue.Snooze(checkRunningWait)
	}
	if err != nil {
		return failure.Decide(err)
	}
	if _, _, err := gh.Reactions.CreateIssueCommentReaction(ctx, a.Owner, a.Repo, a.CommentID, reaction); err != nil {
		return failure.Decide(fmt.Errorf("react to the command: %w", err))
	}
	log.Info("command answered", "reaction", reaction)
	return nil
}

// recheck runs the checks again on the pull request's head as GitHub has
// it now.
func (w *Worker) recheck(ctx context.Context, gh *github.Client, a Args, log *slog.Logger) error {
	pr, _, err := gh.PullRequests.Get(ctx, a.Owner, a.Repo, a.Number)
	if err != nil {
		return fmt.Errorf("get pull request: %w", err)
	}
	check := review.CheckArgs{InstallationID: a.Installation, Owner: a.Owner, Repo: a.Repo, Number: a.Number,
		HeadSHA: pr.GetHead().GetSHA(), BaseSHA: pr.GetBase().GetSHA(), Draft: pr.GetDraft(), Delivery: a.Delivery}
	if err := w.State.PutPull(ctx, store.Pull{Repo: a.fullName(), Number: a.Number, HeadSHA: check.HeadSHA,
		BaseSHA: check.BaseSHA, Draft: check.Draft, UpdatedAt: w.Now()}); err != nil {
		return err
	}
	opts := check.InsertOpts()
	if err := w.Queue.InsertFresh(ctx, check, &opts); err != nil {
		return err
	}
	log.Info("checks requested", "sha", check.HeadSHA)
	return nil
}
