// Package queue runs imagebot's durable jobs on River, on whichever database
// the store uses: SQLite through River's riversqlite driver on the store's
// own connection, PostgreSQL through riverpgxv5 on a pgx pool of its own.
// Queue is not generic, so the rest of the App never sees River's driver type
// parameter; workers are ordinary river.Worker values.
//
// The package also holds the job policies the App relies on: a bounded
// number of pending jobs (ErrQueueFull, which the webhook answers with 503),
// exponential retries with jitter for transient failures (Backoff), snoozes
// that wait out a rate limit without spending an attempt (Snooze), jobs of a
// paused installation held until the pause ends, and uniqueness while a job
// is unfinished (UniqueUntilFinalized).
//
// Replicas on one PostgreSQL database share the queue: River elects one of
// them leader, which inserts the periodic jobs (PeriodicJob) and rescues the
// jobs of dead processes; a replica restarted under its ID takes back at
// once the jobs its predecessor left running; a replica that stops hands
// its unfinished jobs back for the others.
//
// It must not depend on GitHub types, HTTP or the checks engine; the jobs it
// runs belong to their workers.
package queue
