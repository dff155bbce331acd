package queue

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestBacklogEstimate(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	type commit struct {
		at                time.Time // zero: the transaction used the estimate
		counted, inserted int
	}
	tests := []struct {
		name    string
		commits []commit
		now     time.Time
		want    int
		wantOK  bool
	}{
		{name: "never counted", now: t0, wantOK: false},
		{name: "a fresh count", commits: []commit{{t0, 7, 1}}, now: t0.Add(500 * time.Millisecond), want: 8, wantOK: true},
		{name: "jobs inserted since the count add up", commits: []commit{{t0, 7, 1}, {time.Time{}, 0, 3}, {time.Time{}, 0, 2}},
			now: t0.Add(time.Millisecond), want: 13, wantOK: true},
		{name: "a count too old to rely on", commits: []commit{{t0, 7, 1}}, now: t0.Add(recountAfter), wantOK: false},
		{name: "a clock gone back", commits: []commit{{t0, 7, 1}}, now: t0.Add(-time.Second), wantOK: false},
		{name: "a newer count replaces the estimate", commits: []commit{{t0, 7, 1}, {time.Time{}, 0, 3}, {t0.Add(time.Second), 2, 1}},
			now: t0.Add(1500 * time.Millisecond), want: 3, wantOK: true},
		{name: "an older count committed late does not", commits: []commit{{t0.Add(time.Second), 2, 1}, {t0, 7, 1}},
			now: t0.Add(1500 * time.Millisecond), want: 4, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b backlog
			for _, c := range tt.commits {
				b.committed(c.at, c.counted, c.inserted)
			}
			got, ok := b.estimate(tt.now)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("estimate = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// TestBacklogEstimateNeverRefuses fills the bound, then empties the queue
// behind the estimate's back: the estimate still says full, so the next
// intake transaction counts, finds room and inserts.
func TestBacklogEstimateNeverRefuses(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := unstartedQueue(t, st, 2)
		ctx := context.Background()
		for _, key := range []string{"first", "second"} {
			if err := insertAll(ctx, q, q.InBatch, key); err != nil {
				t.Fatal(err)
			}
		}
		if err := insertAll(ctx, q, q.InBatch, "third"); !errors.Is(err, ErrQueueFull) {
			t.Fatalf("insert third: error %v, want ErrQueueFull", err)
		}
		if estimate, ok := q.backlog.estimate(time.Now()); !ok || estimate != 2 {
			t.Fatalf("estimate = %d, %v; want 2, true", estimate, ok)
		}
		if _, err := st.DB().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
			t.Fatal(err)
		}
		if err := insertAll(ctx, q, q.InBatch, "third"); err != nil {
			t.Errorf("once the queue is empty: %v", err)
		}
	})
}

// TestBacklogCountMidTransaction reaches the estimate's bound in the middle
// of a transaction that inserts its jobs at once: the count it takes then
// sees those jobs already, and must not add them twice.
func TestBacklogCountMidTransaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := unstartedQueue(t, st, 3)
		ctx := context.Background()
		if err := insertAll(ctx, q, q.InBatch, "old-1", "old-2"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.DB().ExecContext(ctx, `DELETE FROM river_job`); err != nil {
			t.Fatal(err)
		}
		// The estimate says 2 waiting, the queue has none: the second
		// insert counts 1 (the first), and the third fits under the bound.
		if err := insertAll(ctx, q, q.InTransaction, "new-1", "new-2", "new-3"); err != nil {
			t.Error(err)
		}
		if estimate, ok := q.backlog.estimate(time.Now()); !ok || estimate != 3 {
			t.Errorf("estimate = %d, %v; want 3, true", estimate, ok)
		}
	})
}

// insertAll inserts a job for each key in one transaction of run's
// (q.InBatch or q.InTransaction).
func insertAll(ctx context.Context, q *Queue, run func(context.Context, func(context.Context) error) error, keys ...string) error {
	return run(ctx, func(ctx context.Context) error {
		for _, key := range keys {
			if _, err := q.Insert(ctx, testArgs{Key: key}, nil); err != nil {
				return fmt.Errorf("insert %s: %w", key, err)
			}
		}
		return nil
	})
}

// unstartedQueue returns a Queue on st bounded to maxPending jobs, never
// started: its jobs stay pending.
func unstartedQueue(t *testing.T, st *store.Store, maxPending int) *Queue {
	t.Helper()
	opts := testOptions(nil)
	opts.MaxPending = maxPending
	return newTestQueue(t, st, opts)
}
