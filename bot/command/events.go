package command

import (
	"context"
	"fmt"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/webhook"
)

// Enqueuer inserts durable jobs.
type Enqueuer interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (inserted bool, err error)
}

// Events turns new pull request comments that are commands into jobs.
type Events struct {
	Queue Enqueuer
}

// Handles names the event commands come in.
func (*Events) Handles() []string { return []string{"issue_comment"} }

// Handle enqueues the answer to a command: a comment created on a pull
// request whose Plan is not Ignore. Edited comments are not commands: an
// edit would otherwise repeat one.
func (h *Events) Handle(ctx context.Context, e webhook.Event) error {
	parsed, err := github.ParseWebHook(e.Name, e.Payload)
	if err != nil {
		return fmt.Errorf("parse %s payload: %w", e.Name, err)
	}
	ev, ok := parsed.(*github.IssueCommentEvent)
	if !ok || ev.GetAction() != "created" || !ev.GetIssue().IsPullRequest() {
		return nil
	}
	c := ev.GetComment()
	action := Plan(c.GetBody(), c.GetAuthorAssociation())
	if action == Ignore {
		return nil
	}
	args := Args{Owner: ev.GetRepo().GetOwner().GetLogin(), Repo: ev.GetRepo().GetName(), Number: ev.GetIssue().GetNumber(),
		Installation: ev.GetInstallation().GetID(), CommentID: c.GetID(), Action: action, Delivery: e.DeliveryID}
	opts := args.InsertOpts()
	_, err = h.Queue.Insert(ctx, args, &opts)
	return err
}
