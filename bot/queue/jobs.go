package queue

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Insert adds a job with args, or reports inserted false when opts' unique
// options find an equal job already there (River's UniqueSkippedAsDuplicate).
// It fails with ErrQueueFull, inserting nothing, when MaxPending jobs are
// pending already. The bound is checked before the insert, not atomically
// with it, so replicas inserting at once may overshoot it by a few jobs;
// under InTransaction or InBatch it is checked against the backlog's
// estimate (see backlog) until that reaches it, so jobs inserted by other
// replicas or outside the intake in the last recountAfter may pass it.
// Under InTransaction's context the job is inserted in that transaction;
// under InBatch's it is inserted when the batch commits, and reported
// inserted even if it turns out to be a duplicate then.
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (inserted bool, err error) {
	res, err := q.insert(ctx, args, opts, true)
	if err != nil {
		return false, err
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// insert inserts a job in ctx's shared transaction when there is one, or
// in a transaction of its own. A job that mayWait may be deferred to a
// batch's commit, which reports it inserted.
func (q *Queue) insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts, mayWait bool) (*rivertype.JobInsertResult, error) {
	res, shared, err := q.insertShared(ctx, args, opts, mayWait)
	if !shared {
		res, err = q.insertAlone(ctx, args, opts)
	}
	return res, err
}

// InsertOrWake inserts a unique job or, when an equal one exists already,
// makes it run now: a job scheduled for later (such as a poll snoozed
// until its next round) or waiting to retry becomes available at once. A
// running job is left to finish. It lets an event hurry work that is
// otherwise polled.
func (q *Queue) InsertOrWake(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	res, err := q.insert(ctx, args, opts, false)
	if err != nil {
		return err
	}
	if !res.UniqueSkippedAsDuplicate {
		return nil
	}
	switch res.Job.State {
	case rivertype.JobStateScheduled, rivertype.JobStateRetryable:
		if err := q.retry(ctx, res.Job.ID); err != nil {
			return fmt.Errorf("wake %s job %d: %w", args.Kind(), res.Job.ID, err)
		}
	}
	return nil
}

// insertAlone inserts a job in a transaction of its own, after checking the
// backlog.
func (q *Queue) insertAlone(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	pending, err := q.Pending(ctx)
	if err != nil {
		return nil, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	if pending >= q.maxPending {
		return nil, fmt.Errorf("insert %s job: %w (%d jobs pending)", args.Kind(), ErrQueueFull, pending)
	}
	res, err := q.client.Insert(ctx, args, opts)
	if err != nil {
		return nil, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	return res, nil
}

// pendingQuery counts the jobs waiting to run: available now, scheduled for
// later (including snoozed jobs), retryable after a failure, or pending (held
// back from scheduling). Running and finished jobs do not count.
const pendingQuery = `SELECT count(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'pending')`

// Pending returns how many jobs wait to run, in every queue: available,
// scheduled, retryable and pending ones.
func (q *Queue) Pending(ctx context.Context) (int, error) {
	var n int
	if err := q.st.DB().QueryRowContext(ctx, pendingQuery).Scan(&n); err != nil {
		return 0, fmt.Errorf("count pending jobs: %w", err)
	}
	return n, nil
}

// Healthy reports whether the queue can take jobs, for /readyz: River's
// database connection answers, and the job table can be read through the
// store.
func (q *Queue) Healthy(ctx context.Context) error {
	if err := q.ping(ctx); err != nil {
		return fmt.Errorf("job queue database: %w", err)
	}
	if _, err := q.Pending(ctx); err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	return nil
}
