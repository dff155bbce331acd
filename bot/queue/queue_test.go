package queue

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
)

// testArgs are the args of every job in these tests. Only Key counts for
// uniqueness; Mode tells the test's worker what to do.
type testArgs struct {
	Key  string `json:"key" river:"unique"`
	Mode string `json:"mode"`
}

func (testArgs) Kind() string { return "imagebot_test" }

// testPollInterval keeps the tests quick: SQLite has no LISTEN/NOTIFY.
const testPollInterval = 50 * time.Millisecond

// testWait bounds every wait for a job to reach a state. A rescue can take
// River's stagger (up to 1 s) plus one scheduler interval (5 s).
const testWait = 20 * time.Second

// testOptions returns Options for a test queue working with worker.
func testOptions(worker func(ctx context.Context, job *river.Job[testArgs]) error) Options {
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(worker))
	return Options{
		Workers:      workers,
		PollInterval: testPollInterval,
		Logger:       slog.New(slog.DiscardHandler),
		RetryPolicy:  &Backoff{Base: 10 * time.Millisecond, Max: 10 * time.Millisecond},
	}
}

// newTestQueue returns a Queue on st, stopped when t ends.
func newTestQueue(t *testing.T, st *store.Store, opts Options) *Queue {
	t.Helper()
	q, err := New(context.Background(), st, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return q
}

// start starts q for the rest of t.
func start(t *testing.T, q *Queue) {
	t.Helper()
	if err := q.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
}

// insert inserts args into q and returns whether it was inserted.
func insert(t *testing.T, q *Queue, args testArgs, opts *river.InsertOpts) bool {
	t.Helper()
	inserted, err := q.Insert(context.Background(), args, opts)
	if err != nil {
		t.Fatalf("Insert(%+v): %v", args, err)
	}
	return inserted
}

// jobTable reads and claims River's jobs directly, through a driver of its
// own, as an inspector or another process would.
type jobTable struct {
	exec riverdriver.Executor
}

func newJobTable(t *testing.T, st *store.Store) *jobTable {
	t.Helper()
	switch st.Dialect() {
	case store.SQLite:
		return &jobTable{exec: riversqlite.New(st.DB()).GetExecutor()}
	case store.Postgres:
		pool, err := pgxpool.New(context.Background(), st.URL())
		if err != nil {
			t.Fatal("open pool")
		}
		t.Cleanup(pool.Close)
		return &jobTable{exec: riverpgxv5.New(pool).GetExecutor()}
	}
	t.Fatalf("unknown dialect %q", st.Dialect())
	return nil
}

// job returns the job whose args have key.
func (j *jobTable) job(t *testing.T, key string) *rivertype.JobRow {
	t.Helper()
	rows, err := j.exec.JobGetByKindMany(context.Background(), &riverdriver.JobGetByKindManyParams{Kind: []string{testArgs{}.Kind()}})
	if err != nil {
		t.Fatalf("list jobs: %v", err)
	}
	var found *rivertype.JobRow
	for _, row := range rows {
		var args testArgs
		if err := json.Unmarshal(row.EncodedArgs, &args); err != nil {
			t.Fatalf("job %d: %v", row.ID, err)
		}
		if args.Key == key {
			if found != nil {
				t.Fatalf("two jobs have key %q", key)
			}
			found = row
		}
	}
	if found == nil {
		t.Fatalf("no job has key %q", key)
	}
	return found
}

// awaitState waits until the job with key is in state, and returns it.
func (j *jobTable) awaitState(t *testing.T, key string, state rivertype.JobState) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for {
		row := j.job(t, key)
		if row.State == state {
			return row
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %q is %s after %s, want %s", key, row.State, testWait, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
