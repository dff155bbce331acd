package command

import (
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/queue"
)

// Args is the durable job that answers one command comment.
type Args struct {
	Owner        string `json:"owner"`
	Repo         string `json:"repo"`
	Number       int    `json:"number"`
	Installation int64  `json:"installation"`
	CommentID    int64  `json:"comment_id" river:"unique"`
	Action       Action `json:"action"`
	Delivery     string `json:"delivery"`
}

// Kind names the job in River.
func (Args) Kind() string { return "slash_command" }

// InsertOpts answers each comment once.
func (Args) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: queue.UniqueUntilFinalized()}
}

func (a Args) fullName() string { return a.Owner + "/" + a.Repo }
