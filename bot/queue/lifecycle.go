package queue

import (
	"context"
	"fmt"
)

// Start starts working jobs in the background and returns. First it makes
// available again the jobs that a process with the same ID (a replica killed
// and restarted in its place) left running, so that they need not wait for
// River's rescue, and logs how many. It ignores ctx's cancellation (River
// would take it for a hard stop, cancelling the running jobs): the queue runs
// until Stop, which a shutdown calls with the grace period it allows.
func (q *Queue) Start(ctx context.Context) error {
	released, err := q.releaseOrphans(ctx)
	if err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	if released > 0 {
		q.logger.Info("released the jobs an earlier process of this replica left running", "replica", q.id, "jobs", released)
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("start job queue: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits for the running ones to finish. If ctx
// is done first, Stop cancels the running jobs' contexts and returns ctx's
// error at once. A job whose worker then returns the context's error is put
// back, available, with its attempt given back, for another replica (or
// this one's successor) to take at once; other outcomes are recorded as
// usual; a job whose worker never returns is rescued after
// RescueStuckJobsAfter by whichever process leads the queue next. A leader
// that stops hands its leadership over, so periodic jobs go on. Stop
// releases the PostgreSQL pool once River has stopped. Call it once, whether
// or not the Queue was started.
func (q *Queue) Stop(ctx context.Context) error {
	if err := q.client.Stop(ctx); err != nil {
		// ctx is done, so StopAndCancel returns as soon as it has
		// cancelled the jobs' contexts, with ctx's error again.
		q.client.StopAndCancel(ctx)
		go func() {
			<-q.client.Stopped()
			q.release()
		}()
		return fmt.Errorf("stop job queue: running jobs did not finish: %w", err)
	}
	q.release()
	return nil
}
