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

// TestStopIsGraceful stops a queue while a job runs.
func TestStopIsGraceful(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		work        time.Duration // how long the job works, unless cancelled
		stopWithin  time.Duration
		wantErr     error
		wantState   rivertype.JobState
		wantAttempt int
	}{
		{
			name: "waits for the running job", work: 300 * time.Millisecond, stopWithin: 10 * time.Second,
			wantState: rivertype.JobStateCompleted, wantAttempt: 1,
		},
		{
			name: "past the deadline, cancels the job and gives its attempt back", work: time.Hour, stopWithin: 200 * time.Millisecond,
			wantErr: context.DeadlineExceeded, wantState: rivertype.JobStateAvailable, wantAttempt: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				running, finished := make(chan struct{}), make(chan struct{})
				opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
					close(running)
					defer close(finished)
					select {
					case <-time.After(tt.work):
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				})
				q, err := New(context.Background(), st, opts)
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				insert(t, q, testArgs{Key: "long"}, nil)
				start(t, q)
				<-running

				ctx, cancel := context.WithTimeout(context.Background(), tt.stopWithin)
				defer cancel()
				err = q.Stop(ctx)
				if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
					t.Fatalf("Stop = %v, want %v", err, tt.wantErr)
				}
				if tt.wantErr == nil {
					select {
					case <-finished:
					default:
						t.Error("Stop returned before the job finished")
					}
				}
				row := newJobTable(t, st).awaitState(t, "long", tt.wantState)
				if row.Attempt != tt.wantAttempt || len(row.Errors) != 0 {
					t.Errorf("job has attempt %d and %d errors, want %d and 0", row.Attempt, len(row.Errors), tt.wantAttempt)
				}
			})
		})
	}
}

// TestStartContextOnlyStarts cancels the context given to Start: the queue
// must go on working until Stop.
func TestStartContextOnlyStarts(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := newTestQueue(t, st, testOptions(func(context.Context, *river.Job[testArgs]) error { return nil }))
		ctx, cancel := context.WithCancel(context.Background())
		if err := q.Start(ctx); err != nil {
			t.Fatalf("Start: %v", err)
		}
		cancel()
		time.Sleep(5 * testPollInterval) // River would have stopped by now
		insert(t, q, testArgs{Key: "after-cancel"}, nil)
		row := newJobTable(t, st).awaitState(t, "after-cancel", rivertype.JobStateCompleted)
		if row.Attempt != 1 {
			t.Errorf("job completed on attempt %d, want 1", row.Attempt)
		}
	})
}
