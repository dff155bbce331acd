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

// TestUniqueUntilFinalized inserts a job with UniqueUntilFinalized, brings it
// to a state, and inserts a job with the same unique args (Key) again.
func TestUniqueUntilFinalized(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		firstMode  string // what the worker does with the first job: "succeed", "fail" or "block"
		firstOpts  river.InsertOpts
		start      bool // start working; otherwise the first job waits
		state      rivertype.JobState
		secondKey  string
		wantSecond bool
	}{
		{name: "while available", state: rivertype.JobStateAvailable, secondKey: "pr-7", wantSecond: false},
		{name: "while scheduled", firstOpts: river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)}, state: rivertype.JobStateScheduled, secondKey: "pr-7", wantSecond: false},
		{name: "while pending", firstOpts: river.InsertOpts{Pending: true}, state: rivertype.JobStatePending, secondKey: "pr-7", wantSecond: false},
		{name: "while retryable", firstMode: "fail", firstOpts: river.InsertOpts{MaxAttempts: 2}, start: true, state: rivertype.JobStateRetryable, secondKey: "pr-7", wantSecond: false},
		{name: "while running", firstMode: "block", start: true, state: rivertype.JobStateRunning, secondKey: "pr-7", wantSecond: false},
		{name: "after completed", firstMode: "succeed", start: true, state: rivertype.JobStateCompleted, secondKey: "pr-7", wantSecond: true},
		{name: "after discarded", firstMode: "fail", firstOpts: river.InsertOpts{MaxAttempts: 1}, start: true, state: rivertype.JobStateDiscarded, secondKey: "pr-7", wantSecond: true},
		{name: "other args while available", state: rivertype.JobStateAvailable, secondKey: "pr-8", wantSecond: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				release := make(chan struct{})
				opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
					switch job.Args.Mode {
					case "fail":
						return errors.New("GitHub answered 502")
					case "block":
						<-release
					}
					return nil
				})
				// A retryable job waits an hour, so it stays retryable.
				opts.RetryPolicy = &Backoff{Base: time.Hour}
				q := newTestQueue(t, st, opts)
				defer close(release)

				firstOpts := tt.firstOpts
				firstOpts.UniqueOpts = UniqueUntilFinalized()
				if !insert(t, q, testArgs{Key: "pr-7", Mode: tt.firstMode}, &firstOpts) {
					t.Fatal("first insert: not inserted")
				}
				if tt.start {
					start(t, q)
				}
				jobs := newJobTable(t, st)
				jobs.awaitState(t, "pr-7", tt.state)

				second := testArgs{Key: tt.secondKey, Mode: "another mode, not part of uniqueness"}
				if got := insert(t, q, second, &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}); got != tt.wantSecond {
					t.Errorf("second insert in state %s: inserted = %v, want %v", tt.state, got, tt.wantSecond)
				}
			})
		})
	}
}

// TestInsertOrWake hurries a job that waits for later, and inserts one
// that does not exist.
func TestInsertOrWake(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		q := newTestQueue(t, st, testOptions(func(ctx context.Context, job *river.Job[testArgs]) error { return nil }))
		jobs := newJobTable(t, st)
		later := &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour), UniqueOpts: UniqueUntilFinalized()}
		if !insert(t, q, testArgs{Key: "rollout-7"}, later) {
			t.Fatal("not inserted")
		}
		jobs.awaitState(t, "rollout-7", rivertype.JobStateScheduled)
		if err := q.InsertOrWake(ctx, testArgs{Key: "rollout-7"}, &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}); err != nil {
			t.Fatal(err)
		}
		jobs.awaitState(t, "rollout-7", rivertype.JobStateAvailable)
		if err := q.InsertOrWake(ctx, testArgs{Key: "rollout-8"}, &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}); err != nil {
			t.Fatal(err)
		}
		jobs.awaitState(t, "rollout-8", rivertype.JobStateAvailable)
		start(t, q)
		jobs.awaitState(t, "rollout-7", rivertype.JobStateCompleted)
	})
}

// uniqueArgs has opts of its own and an untagged field.
type uniqueArgs struct {
	A string `json:"a"`
}

func (uniqueArgs) Kind() string { return "unique_args" }
func (uniqueArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

func TestUniqueKey(t *testing.T) {
	byArgs := &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
	tests := []struct {
		name      string
		a, b      river.JobArgs
		aOpts     *river.InsertOpts
		bOpts     *river.InsertOpts
		wantEqual bool
		wantEmpty bool
	}{
		{name: "equal tagged fields, other fields differ", a: testArgs{Key: "k", Mode: "1"}, b: testArgs{Key: "k", Mode: "2"},
			aOpts: byArgs, bOpts: byArgs, wantEqual: true},
		{name: "tagged fields differ", a: testArgs{Key: "k"}, b: testArgs{Key: "l"}, aOpts: byArgs, bOpts: byArgs},
		{name: "no tagged field: the whole args", a: uniqueArgs{A: "x"}, b: uniqueArgs{A: "y"}},
		{name: "no tagged field, equal args, the args' own opts", a: uniqueArgs{A: "x"}, b: uniqueArgs{A: "x"}, wantEqual: true},
		{name: "not unique", a: testArgs{Key: "k"}, b: testArgs{Key: "k"}, wantEmpty: true},
		{name: "unique by period is never merged", a: testArgs{Key: "k"}, b: testArgs{Key: "k"}, wantEmpty: true,
			aOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}},
			bOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}},
		{name: "different unique states", a: testArgs{Key: "k"}, b: testArgs{Key: "k"}, aOpts: byArgs,
			bOpts: &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := uniqueKey(tt.a, uniqueOpts(tt.a, tt.aOpts)), uniqueKey(tt.b, uniqueOpts(tt.b, tt.bOpts))
			if tt.wantEmpty {
				if a != "" || b != "" {
					t.Errorf("keys %q and %q, want none", a, b)
				}
				return
			}
			if a == "" || b == "" || (a == b) != tt.wantEqual {
				t.Errorf("keys %q and %q, want equal %v", a, b, tt.wantEqual)
			}
		})
	}
}
