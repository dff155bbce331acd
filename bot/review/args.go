package review

import (
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/queue"
)

// CheckArgs is the durable job that checks one pull request head: one
// job per (repository, pull request, head SHA), unique while pending.
type CheckArgs struct {
	InstallationID int64  `json:"installation_id"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	Number         int    `json:"number" river:"unique"`
	HeadSHA        string `json:"head_sha" river:"unique"`
	BaseSHA        string `json:"base_sha"`
	Draft          bool   `json:"draft" river:"unique"` // a PR leaving draft needs its comment even while a draft check runs
	Delivery       string `json:"delivery"`
}

// Kind names the job in River.
func (CheckArgs) Kind() string { return "pull_request_check" }

// InsertOpts makes a job unique until it finishes: a second delivery for
// the same head joins the waiting or running job, while a head that was
// checked already can be checked again (a re-run, or a PR that left draft).
func (CheckArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: queue.UniqueUntilFinalized()}
}

func (a CheckArgs) fullName() string { return a.Owner + "/" + a.Repo }
