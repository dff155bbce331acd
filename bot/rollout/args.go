package rollout

import (
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/queue"
)

// PollArgs is the durable job that follows one rollout: each run looks at
// every stage once, publishes what changed, and snoozes until the next
// round while the rollout is being followed. Events (a finished build, a
// pushed package, `/imagebot rollout`) wake it early.
type PollArgs struct {
	Repo         string `json:"repo" river:"unique"`
	Number       int    `json:"number" river:"unique"`
	Installation int64  `json:"installation"`
	// Recheck asks for one round even when the rollout has ended, to
	// refresh its comment (the /imagebot rollout command).
	Recheck bool `json:"recheck,omitempty"`
}

// Kind names the job in River.
func (PollArgs) Kind() string { return "rollout_poll" }

// InsertOpts keeps one poll per rollout until it finishes.
func (PollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: queue.UniqueUntilFinalized()}
}

// CommandArgs is a `/imagebot rollout` comment to answer, from an author
// the command package has let through.
type CommandArgs struct {
	Repo         string `json:"repo" river:"unique"`
	Number       int    `json:"number"`
	Installation int64  `json:"installation"`
	CommentID    int64  `json:"comment_id" river:"unique"`
}

// Kind names the job in River.
func (CommandArgs) Kind() string { return "rollout_command" }

// InsertOpts answers each comment once.
func (CommandArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: queue.UniqueUntilFinalized()}
}
