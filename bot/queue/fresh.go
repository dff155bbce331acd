package queue

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// ErrRunning is InsertFresh's answer when an equal job is running: that job
// may have read its state before the caller changed it, so the caller asks
// again once it has finished (a worker snoozes).
var ErrRunning = errors.New("an equal job is running")

// InsertFresh inserts a unique job for work that must see state the caller
// has just written, such as a help request the next check renders. An equal
// job that waits to run will read that state, so it is joined as Insert
// joins it; an equal job already running may not, so InsertFresh inserts
// nothing and fails with ErrRunning.
func (q *Queue) InsertFresh(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	res, err := q.insert(ctx, args, opts, false)
	if err != nil {
		return err
	}
	if res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning {
		return fmt.Errorf("%s job %d: %w", args.Kind(), res.Job.ID, ErrRunning)
	}
	return nil
}
