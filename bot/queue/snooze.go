package queue

import (
	"time"

	"github.com/riverqueue/river"
)

// Snooze is what a worker returns to mean "try again after d, and do not
// count this attempt": for a GitHub rate limit, d is what Retry-After or
// X-RateLimit-Reset says. It wraps river.JobSnooze, so the attempt is given
// back, no error is recorded, and the job may snooze any number of times
// without reaching its MaxAttempts. A negative d (a reset time already
// passed) means at once.
func Snooze(d time.Duration) error {
	return river.JobSnooze(max(d, 0))
}
