package queue

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestBackoffNextRetry(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)
	fixed := func(r float64) func() float64 { return func() float64 { return r } }
	tests := []struct {
		name      string
		backoff   Backoff
		errors    int // errors recorded before this failure
		wantDelay time.Duration
	}{
		{name: "first failure, full wait", backoff: Backoff{Rand: fixed(1)}, errors: 0, wantDelay: time.Second},
		{name: "first failure, least wait is half", backoff: Backoff{Rand: fixed(0)}, errors: 0, wantDelay: 500 * time.Millisecond},
		{name: "first failure, jitter in between", backoff: Backoff{Rand: fixed(0.5)}, errors: 0, wantDelay: 750 * time.Millisecond},
		{name: "second failure doubles", backoff: Backoff{Rand: fixed(1)}, errors: 1, wantDelay: 2 * time.Second},
		{name: "third failure", backoff: Backoff{Rand: fixed(1)}, errors: 2, wantDelay: 4 * time.Second},
		{name: "tenth failure is 2^9 s", backoff: Backoff{Rand: fixed(1)}, errors: 9, wantDelay: 512 * time.Second},
		{name: "eleventh failure is capped at 10 min", backoff: Backoff{Rand: fixed(1)}, errors: 10, wantDelay: 10 * time.Minute},
		{name: "capped wait is jittered too", backoff: Backoff{Rand: fixed(0)}, errors: 10, wantDelay: 5 * time.Minute},
		{name: "a thousand failures do not overflow", backoff: Backoff{Rand: fixed(1)}, errors: 1000, wantDelay: 10 * time.Minute},
		{name: "custom base and cap", backoff: Backoff{Base: 100 * time.Millisecond, Max: 300 * time.Millisecond, Rand: fixed(1)}, errors: 1, wantDelay: 200 * time.Millisecond},
		{name: "custom cap reached", backoff: Backoff{Base: 100 * time.Millisecond, Max: 300 * time.Millisecond, Rand: fixed(1)}, errors: 2, wantDelay: 300 * time.Millisecond},
		{name: "base above the cap is capped", backoff: Backoff{Base: time.Hour, Max: time.Minute, Rand: fixed(1)}, errors: 0, wantDelay: time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := tt.backoff
			b.Now = func() time.Time { return now }
			job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, tt.errors)}
			if got := b.NextRetry(job).Sub(now); got != tt.wantDelay {
				t.Errorf("NextRetry after %d errors is in %s, want %s", tt.errors, got, tt.wantDelay)
			}
		})
	}
}

func TestBackoffDefaultJitterStaysInBounds(t *testing.T) {
	t.Parallel()
	now := time.Now()
	b := &Backoff{Now: func() time.Time { return now }}
	job := &rivertype.JobRow{Errors: make([]rivertype.AttemptError, 2)}
	for range 1000 {
		if got := b.NextRetry(job).Sub(now); got < 2*time.Second || got > 4*time.Second {
			t.Fatalf("NextRetry after 2 errors is in %s, want within [2s, 4s]", got)
		}
	}
}

// TestFailingJobIsRetriedWithThePolicy fails a job a number of times: each
// retry must wait at least what the policy says, and a job out of attempts
// is discarded.
func TestFailingJobIsRetriedWithThePolicy(t *testing.T) {
	t.Parallel()
	policy := &Backoff{Base: 100 * time.Millisecond, Max: 150 * time.Millisecond, Rand: func() float64 { return 1 }}
	tests := []struct {
		name        string
		failures    int
		maxAttempts int
		wantState   rivertype.JobState
		wantAttempt int
		wantWaits   []time.Duration // least wait before each retry
	}{
		{name: "succeeds on the third attempt", failures: 2, maxAttempts: 5, wantState: rivertype.JobStateCompleted, wantAttempt: 3, wantWaits: []time.Duration{100 * time.Millisecond, 150 * time.Millisecond}},
		{name: "discarded when out of attempts", failures: 5, maxAttempts: 2, wantState: rivertype.JobStateDiscarded, wantAttempt: 2, wantWaits: []time.Duration{100 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				var (
					mu       sync.Mutex
					starts   []time.Time
					failedAt []time.Time
				)
				opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
					mu.Lock()
					defer mu.Unlock()
					starts = append(starts, time.Now())
					if len(starts) <= tt.failures {
						failedAt = append(failedAt, time.Now())
						return fmt.Errorf("GitHub answered 502 (attempt %d)", job.Attempt)
					}
					return nil
				})
				opts.RetryPolicy = policy
				q := newTestQueue(t, st, opts)
				insert(t, q, testArgs{Key: "flaky"}, &river.InsertOpts{MaxAttempts: tt.maxAttempts})
				start(t, q)
				row := newJobTable(t, st).awaitState(t, "flaky", tt.wantState)

				if row.Attempt != tt.wantAttempt {
					t.Errorf("attempt = %d, want %d", row.Attempt, tt.wantAttempt)
				}
				wantErrors := min(tt.failures, tt.wantAttempt)
				if len(row.Errors) != wantErrors {
					t.Fatalf("%d errors recorded, want %d", len(row.Errors), wantErrors)
				}
				for i, e := range row.Errors {
					if want := fmt.Sprintf("GitHub answered 502 (attempt %d)", i+1); e.Error != want || e.Attempt != i+1 {
						t.Errorf("error %d = %q (attempt %d), want %q (attempt %d)", i, e.Error, e.Attempt, want, i+1)
					}
				}
				mu.Lock()
				defer mu.Unlock()
				if len(starts) != tt.wantAttempt {
					t.Fatalf("worker ran %d times, want %d", len(starts), tt.wantAttempt)
				}
				for i, want := range tt.wantWaits {
					if got := starts[i+1].Sub(failedAt[i]); got < want {
						t.Errorf("retry %d came %s after the failure, want at least %s", i+1, got, want)
					}
				}
			})
		})
	}
}
