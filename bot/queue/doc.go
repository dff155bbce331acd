// Package queue runs imagebot's durable jobs on River, on whichever database
// the store uses: SQLite through River's riversqlite driver on the store's
// own connection, PostgreSQL through riverpgxv5 on a pgx pool of its own.
// Queue is not generic, so the rest of the App never sees River's driver type
// parameter; workers are ordinary river.Worker values.
//
// The package also holds the job policies the App relies on: a bounded
// number of pending jobs (ErrQueueFull, which the webhook answers with 503),
// exponential retries with jitter for transient failures (Backoff), snoozes
// that wait out a rate limit without spending an attempt (Snooze), and
// uniqueness while a job is unfinished (UniqueUntilFinalized).
//
// It must not depend on GitHub types, HTTP or the checks engine; the jobs it
// runs belong to their workers.
package queue
