package rollout

import (
	"context"
	"fmt"
	"strings"

	"github.com/imagebot/imagebot/bot/failure"
	"github.com/riverqueue/river"
)

// CommandWorker answers `/imagebot rollout`, which the command package
// enqueues for authors it obeys: when the pull request has a rollout, it
// checks the rollout again at once (right after the round that is running,
// if one is) and reacts 🚀 to the comment; otherwise it reacts 😕. It never
// posts a new comment.
type CommandWorker struct {
	river.WorkerDefaults[CommandArgs]
	Tracker *Tracker
	Queue   Waker
}

// Work answers one command.
func (w *CommandWorker) Work(ctx context.Context, job *river.Job[CommandArgs]) error {
	a := job.Args
	owner, name, _ := strings.Cut(a.Repo, "/")
	gh, err := w.Tracker.Clients.NewInstallationClient(a.Installation)
	if err != nil {
		return err
	}
	reaction := "confused"
	// The request is recorded in the rollout, so that a round running now,
	// which the wake below cannot hurry, is followed by another.
	if ok, err := change(ctx, w.Tracker.Rollouts, a.Repo, a.Number, w.Tracker.Now(), func(r *Rollout) { r.Requests++ }); err != nil {
		return err
	} else if ok {
		poll := PollArgs{Repo: a.Repo, Number: a.Number, Installation: a.Installation, Recheck: true}
		opts := poll.InsertOpts()
		if err := w.Queue.InsertOrWake(ctx, poll, &opts); err != nil {
			return err
		}
		reaction = "rocket"
	}
	if _, _, err := gh.Reactions.CreateIssueCommentReaction(ctx, owner, name, a.CommentID, reaction); err != nil {
		return failure.Decide(fmt.Errorf("react to the command: %w", err))
	}
	return nil
}
