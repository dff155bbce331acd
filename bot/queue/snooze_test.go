package queue

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestSnoozeError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    time.Duration
		want time.Duration
	}{
		{name: "retry after", d: 42 * time.Second, want: 42 * time.Second},
		{name: "zero", d: 0, want: 0},
		{name: "reset already passed means at once", d: -time.Minute, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var snooze *river.JobSnoozeError
			if err := Snooze(tt.d); !errors.As(err, &snooze) || snooze.Duration != tt.want {
				t.Errorf("Snooze(%s) = %#v, want a snooze of %s", tt.d, err, tt.want)
			}
		})
	}
}

// TestSnoozeSpendsNoAttempt snoozes a job that has a single attempt several
// times: it must still complete on that attempt, with no error recorded.
func TestSnoozeSpendsNoAttempt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		snoozes int
		d       time.Duration
	}{
		{name: "rate limited for a while", snoozes: 3, d: 50 * time.Millisecond},
		{name: "reset already passed", snoozes: 2, d: -time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				var (
					mu       sync.Mutex
					attempts []int
				)
				q := newTestQueue(t, st, testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
					mu.Lock()
					defer mu.Unlock()
					attempts = append(attempts, job.Attempt)
					if len(attempts) <= tt.snoozes {
						return Snooze(tt.d)
					}
					return nil
				}))
				insert(t, q, testArgs{Key: "rate-limited"}, &river.InsertOpts{MaxAttempts: 1})
				start(t, q)
				row := newJobTable(t, st).awaitState(t, "rate-limited", rivertype.JobStateCompleted)

				if row.Attempt != 1 || len(row.Errors) != 0 {
					t.Errorf("completed with attempt %d and %d errors, want 1 and 0", row.Attempt, len(row.Errors))
				}
				var metadata struct {
					Snoozes int `json:"snoozes"`
				}
				if err := json.Unmarshal(row.Metadata, &metadata); err != nil || metadata.Snoozes != tt.snoozes {
					t.Errorf("metadata %s, want %d snoozes", row.Metadata, tt.snoozes)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(attempts) != tt.snoozes+1 {
					t.Fatalf("worker ran %d times, want %d", len(attempts), tt.snoozes+1)
				}
				for i, attempt := range attempts {
					if attempt != 1 {
						t.Errorf("run %d saw attempt %d, want 1", i, attempt)
					}
				}
			})
		})
	}
}
