package queue

import (
	"sync"
	"time"
)

// recountAfter is how long an intake transaction may rely on the last
// count of pending jobs, plus the jobs inserted since, instead of counting
// them again. Counting reads every waiting job's index entry: with 5,000
// waiting it doubles the time of a group's transaction on SQLite
// (BenchmarkInBatchBacklog), just when a burst has filled the queue.
const recountAfter = time.Second

// backlog estimates how many jobs wait, for the bound that the intake
// transactions check. The estimate is the last count plus the jobs that
// this process's intake transactions inserted since. It only overstates
// the backlog, as jobs started or finished since still count, except for
// the jobs inserted outside the intake (by workers, or by other replicas)
// in the last recountAfter. A transaction that finds the estimate at the
// bound counts exactly before it refuses anything, so the estimate never
// refuses a job that the count would take.
type backlog struct {
	mu      sync.Mutex
	counted int       // jobs pending at the last count
	at      time.Time // when it was taken; zero before the first
	added   int       // jobs intake transactions committed since
}

// estimate returns the estimated backlog, or ok false when the last count
// is too old to rely on.
func (b *backlog) estimate(now time.Time) (pending int, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.at.IsZero() || now.Sub(b.at) >= recountAfter || now.Before(b.at) {
		return 0, false
	}
	return b.counted + b.added, true
}

// committed records what a committed intake transaction did: when it
// counted the pending jobs (at is zero if it did not), that count, and the
// jobs it inserted (not those River skipped as duplicates).
func (b *backlog) committed(at time.Time, counted, inserted int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !at.IsZero() && !at.Before(b.at) {
		b.counted, b.at, b.added = counted, at, 0
	}
	b.added += inserted
}
