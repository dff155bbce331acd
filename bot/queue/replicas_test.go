package queue

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// replicaStores opens n stores on one fresh, migrated PostgreSQL schema, as
// n replicas of the App do.
func replicaStores(t *testing.T, n int) []*store.Store {
	t.Helper()
	url := storetest.URL(t, store.Postgres)
	stores := make([]*store.Store, n)
	for i := range stores {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() }) // after the queues on it stop
		if err := st.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		stores[i] = st
	}
	return stores
}

// TestPeriodicJobRunsOnceAcrossReplicas starts two replicas with the same
// periodic job: it runs once, on whichever replica; when the leader stops,
// the other replica takes over and runs it on taking over.
func TestPeriodicJobRunsOnceAcrossReplicas(t *testing.T) {
	t.Parallel()
	stores := replicaStores(t, 2)
	var runs atomic.Int32
	queues := map[string]*Queue{}
	for i, st := range stores {
		opts := testOptions(func(context.Context, *river.Job[testArgs]) error {
			runs.Add(1)
			return nil
		})
		opts.ID = []string{"replica-a", "replica-b"}[i]
		opts.Periodic = []PeriodicJob{{Args: testArgs{Key: "sweep"}, Every: time.Hour}}
		queues[opts.ID] = newTestQueue(t, st, opts)
		start(t, queues[opts.ID])
	}
	waitFor(t, "the periodic job to run", func() bool { return runs.Load() >= 1 })
	time.Sleep(2 * time.Second)
	if n := runs.Load(); n != 1 {
		t.Fatalf("the periodic job ran %d times on two replicas, want once", n)
	}
	var leader string
	if err := stores[0].DB().QueryRow(`SELECT leader_id FROM river_leader`).Scan(&leader); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := queues[leader].Stop(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other replica to lead and run the periodic job", func() bool { return runs.Load() == 2 })
}

// TestInterruptedJobGoesToTheOtherReplica stops a replica while its job runs
// past the grace period: the job is handed back and the other replica
// finishes it at once, on its first counted attempt.
func TestInterruptedJobGoesToTheOtherReplica(t *testing.T) {
	t.Parallel()
	stores := replicaStores(t, 2)
	running := make(chan struct{})
	var once sync.Once
	var finishedBy atomic.Int32
	queues := make([]*Queue, 2)
	for i, st := range stores {
		opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
			if i == 0 {
				once.Do(func() { close(running) })
				<-ctx.Done()
				return ctx.Err()
			}
			finishedBy.Store(int32(i + 1))
			return nil
		})
		opts.ID = []string{"replica-a", "replica-b"}[i]
		queues[i] = newTestQueue(t, st, opts)
	}
	insert(t, queues[0], testArgs{Key: "long"}, nil)
	start(t, queues[0])
	<-running
	start(t, queues[1])
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	stopped := time.Now()
	queues[0].Stop(ctx)
	row := newJobTable(t, stores[1]).awaitState(t, "long", rivertype.JobStateCompleted)
	if took := time.Since(stopped); took > 5*time.Second {
		t.Errorf("the other replica finished the job %s after the stop", took)
	}
	if finishedBy.Load() != 2 || row.Attempt != 1 || len(row.Errors) != 0 {
		t.Errorf("finished by replica %d on attempt %d with %d errors; want replica 2, attempt 1, no errors", finishedBy.Load(), row.Attempt, len(row.Errors))
	}
}

// TestRestartedReplicaReleasesItsJobs plays a replica killed while it ran
// two jobs, then restarted in its place: its jobs run again at once, long
// before River's rescue would take them, while another replica's running
// job is left alone.
func TestRestartedReplicaReleasesItsJobs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		jobs := newJobTable(t, st)
		var ran sync.Map
		opts := testOptions(func(_ context.Context, job *river.Job[testArgs]) error {
			ran.Store(job.Args.Key, job.Attempt)
			return nil
		})
		opts.ID = "replica-a"
		opts.RescueStuckJobsAfter = time.Hour
		q := newTestQueue(t, st, opts)
		for _, key := range []string{"a-1", "a-2", "b-1"} {
			insert(t, q, testArgs{Key: key}, nil)
		}
		jobs.claim(t, "replica-a")
		jobs.claim(t, "replica-a")
		jobs.claim(t, "replica-b")
		start(t, q)
		for _, key := range []string{"a-1", "a-2"} {
			row := jobs.awaitState(t, key, rivertype.JobStateCompleted)
			if row.Attempt != 2 {
				t.Errorf("%s completed on attempt %d, want 2 (the killed one counts)", key, row.Attempt)
			}
		}
		if row := jobs.job(t, "b-1"); row.State != rivertype.JobStateRunning {
			t.Errorf("the other replica's job is %s, want running", row.State)
		}
		if _, ok := ran.Load("b-1"); ok {
			t.Error("the other replica's job ran here")
		}
	})
}

// pausedArgs is a job that acts for an installation.
type pausedArgs struct {
	Key            string `json:"key" river:"unique"`
	InstallationID int64  `json:"installation_id"`
}

func (pausedArgs) Kind() string { return "imagebot_test_installation" }

// TestPausedInstallationJobWaits pauses an installation: its jobs snooze
// until the pause ends without running or spending an attempt; another
// installation's job runs.
func TestPausedInstallationJobWaits(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		until := time.Now().Add(time.Hour)
		if err := st.InstallationTurn(ctx, 7, func(ctx context.Context, turn *store.InstallationTurn) error {
			return turn.Pause(ctx, until)
		}); err != nil {
			t.Fatal(err)
		}
		var ran sync.Map
		opts := testOptions(func(context.Context, *river.Job[testArgs]) error { return nil })
		river.AddWorker(opts.Workers, river.WorkFunc(func(_ context.Context, job *river.Job[pausedArgs]) error {
			ran.Store(job.Args.Key, true)
			return nil
		}))
		q := newTestQueue(t, st, opts)
		for _, a := range []pausedArgs{{Key: "paused", InstallationID: 7}, {Key: "free", InstallationID: 8}} {
			if _, err := q.Insert(ctx, a, nil); err != nil {
				t.Fatal(err)
			}
		}
		start(t, q)
		waitFor(t, "the other installation's job", func() bool { _, ok := ran.Load("free"); return ok })
		time.Sleep(10 * testPollInterval)
		if _, ok := ran.Load("paused"); ok {
			t.Fatal("the paused installation's job ran")
		}
		rows, err := newJobTable(t, st).exec.JobGetByKindMany(ctx, &riverdriver.JobGetByKindManyParams{Kind: []string{pausedArgs{}.Kind()}})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			if jobInstallation(row.EncodedArgs) != 7 {
				continue
			}
			if row.State != rivertype.JobStateScheduled || row.Attempt != 0 || row.ScheduledAt.Sub(until).Abs() > time.Second {
				t.Errorf("paused job is %s, attempt %d, scheduled at %v; want scheduled at the pause's end %v, attempt 0", row.State, row.Attempt, row.ScheduledAt, until)
			}
		}
	})
}

func TestJobInstallation(t *testing.T) {
	tests := []struct {
		args string
		want int64
	}{
		{`{"installation_id": 42, "owner": "o"}`, 42},
		{`{"repo": "o/r", "installation": 7}`, 7},
		{`{"key": "x"}`, 0},
		{`not json`, 0},
	}
	for _, tt := range tests {
		if got := jobInstallation([]byte(tt.args)); got != tt.want {
			t.Errorf("jobInstallation(%s) = %d, want %d", tt.args, got, tt.want)
		}
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(testWait)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", testWait, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
