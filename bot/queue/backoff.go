package queue

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// Backoff is a river.ClientRetryPolicy for transient failures: GitHub's 5xx
// answers, timeouts, dropped connections. After a job's n-th error it waits
// Base·2^(n-1), capped at Max, then applies "equal jitter": the wait is
// drawn uniformly between half and all of that, so that jobs failing
// together do not retry together. With the defaults the waits are up to 1 s,
// 2 s, 4 s … 8 min 32 s, then 10 min.
//
// n counts the errors recorded on the job, this one included. Snoozes record
// none (see Snooze), so waiting out a rate limit neither spends an attempt
// nor lengthens the backoff. River also asks the policy when it rescues a job
// whose process died.
type Backoff struct {
	// Base is the longest wait after the first error. Default 1 s.
	Base time.Duration
	// Max caps the wait before jitter. Default 10 min.
	Max time.Duration
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand returns a number in [0, 1] that places the wait between half (0)
	// and all (1) of the capped exponential one. Default math/rand/v2's
	// Float64.
	Rand func() float64
}

// Backoff defaults.
const (
	defaultBackoffBase = time.Second
	defaultBackoffMax  = 10 * time.Minute
)

// NextRetry returns when job, which has just failed, is to run again.
func (b *Backoff) NextRetry(job *rivertype.JobRow) time.Time {
	now := time.Now
	if b.Now != nil {
		now = b.Now
	}
	return now().Add(b.delay(len(job.Errors) + 1))
}

// delay returns the wait after the n-th error, n ≥ 1.
func (b *Backoff) delay(n int) time.Duration {
	base, ceiling := b.Base, b.Max
	if base <= 0 {
		base = defaultBackoffBase
	}
	if ceiling <= 0 {
		ceiling = defaultBackoffMax
	}
	wait := min(base, ceiling)
	for i := 1; i < n && wait < ceiling; i++ {
		if wait > ceiling/2 {
			wait = ceiling
		} else {
			wait *= 2
		}
	}
	random := rand.Float64
	if b.Rand != nil {
		random = b.Rand
	}
	half := wait / 2
	return half + time.Duration(random()*float64(wait-half))
}
