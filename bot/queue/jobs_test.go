package queue

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestJobRuns(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		insertFirst bool // insert before Start rather than after
	}{
		{name: "inserted before start", insertFirst: true},
		{name: "inserted while started"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				ran := make(chan testArgs, 1)
				q := newTestQueue(t, st, testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
					ran <- job.Args
					return nil
				}))
				args := testArgs{Key: "pr-7", Mode: "check"}
				if tt.insertFirst {
					insert(t, q, args, nil)
				}
				start(t, q)
				if !tt.insertFirst {
					insert(t, q, args, nil)
				}
				select {
				case got := <-ran:
					if got != args {
						t.Errorf("worker got %+v, want %+v", got, args)
					}
				case <-time.After(testWait):
					t.Fatal("the job did not run")
				}
				row := newJobTable(t, st).awaitState(t, "pr-7", rivertype.JobStateCompleted)
				if row.Attempt != 1 || len(row.Errors) != 0 {
					t.Errorf("completed job has attempt %d and %d errors, want 1 and 0", row.Attempt, len(row.Errors))
				}
			})
		})
	}
}

func TestInsertQueueFull(t *testing.T) {
	t.Parallel()
	scheduled := &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}
	tests := []struct {
		name        string
		maxPending  int
		inserts     []*river.InsertOpts // opts of jobs with keys "0", "1", …
		wantErrs    []error             // Insert's error for each
		wantPending int
	}{
		{
			name:        "available jobs up to the bound",
			maxPending:  2,
			inserts:     []*river.InsertOpts{nil, nil, nil},
			wantErrs:    []error{nil, nil, ErrQueueFull},
			wantPending: 2,
		},
		{
			name:        "scheduled and pending jobs count",
			maxPending:  2,
			inserts:     []*river.InsertOpts{scheduled, {Pending: true}, nil},
			wantErrs:    []error{nil, nil, ErrQueueFull},
			wantPending: 2,
		},
		{
			name:        "below the bound",
			maxPending:  3,
			inserts:     []*river.InsertOpts{nil, nil},
			wantErrs:    []error{nil, nil},
			wantPending: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error { return nil })
				opts.MaxPending = tt.maxPending
				q := newTestQueue(t, st, opts)
				for i, insertOpts := range tt.inserts {
					inserted, err := q.Insert(context.Background(), testArgs{Key: string(rune('0' + i))}, insertOpts)
					if !errors.Is(err, tt.wantErrs[i]) || (tt.wantErrs[i] == nil && err != nil) {
						t.Errorf("insert %d: error %v, want %v", i, err, tt.wantErrs[i])
					}
					if inserted != (tt.wantErrs[i] == nil) {
						t.Errorf("insert %d: inserted = %v", i, inserted)
					}
				}
				pending, err := q.Pending(context.Background())
				if err != nil {
					t.Fatalf("Pending: %v", err)
				}
				if pending != tt.wantPending {
					t.Errorf("Pending = %d, want %d", pending, tt.wantPending)
				}
			})
		})
	}
}

// TestRunningJobsAreNotPending fills the bound with a running job: it no
// longer waits, so another may be inserted.
func TestRunningJobsAreNotPending(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		running, release := make(chan struct{}), make(chan struct{})
		opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
			if job.Args.Key == "first" {
				close(running)
				<-release
			}
			return nil
		})
		opts.MaxPending = 1
		q := newTestQueue(t, st, opts)
		defer close(release)
		insert(t, q, testArgs{Key: "first"}, nil)
		if _, err := q.Insert(context.Background(), testArgs{Key: "second"}, nil); !errors.Is(err, ErrQueueFull) {
			t.Fatalf("insert while the first waits: error %v, want ErrQueueFull", err)
		}
		start(t, q)
		<-running
		if !insert(t, q, testArgs{Key: "second"}, nil) {
			t.Error("insert while the first runs: not inserted")
		}
	})
}

func TestHealthy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		closeStore  bool
		wantHealthy bool
	}{
		{name: "open", wantHealthy: true},
		{name: "store closed", closeStore: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				q := newTestQueue(t, st, testOptions(func(ctx context.Context, job *river.Job[testArgs]) error { return nil }))
				if tt.closeStore {
					st.Close()
				}
				err := q.Healthy(context.Background())
				if (err == nil) != tt.wantHealthy {
					t.Errorf("Healthy = %v, want healthy %v", err, tt.wantHealthy)
				}
			})
		})
	}
}
