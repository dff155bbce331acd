package queue

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// claim moves the next available job to running on behalf of clientID,
// exactly as a River client does when it fetches work, and returns it.
func (j *jobTable) claim(t *testing.T, clientID string) *rivertype.JobRow {
	t.Helper()
	res, err := j.exec.JobGetAvailable(context.Background(), &riverdriver.JobGetAvailableParams{
		ClientID:       clientID,
		MaxAttemptedBy: 100,
		MaxToLock:      1,
		Queue:          river.QueueDefault,
	})
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	if len(res.Jobs) != 1 {
		t.Fatalf("claimed %d jobs, want 1", len(res.Jobs))
	}
	return res.Jobs[0]
}

// backdate makes job id look as if its attempt had started at at.
func (j *jobTable) backdate(t *testing.T, id int64, at time.Time) {
	t.Helper()
	_, err := j.exec.JobUpdateFull(context.Background(), &riverdriver.JobUpdateFullParams{
		ID:                  id,
		AttemptedAtDoUpdate: true,
		AttemptedAt:         &at,
	})
	if err != nil {
		t.Fatalf("backdate job %d: %v", id, err)
	}
}

// TestOrphanedJobIsRescued plays a replica that fetched two jobs and was
// killed: one it took half an hour ago, the other a moment ago. A new Queue
// on the same database must give the old one back and run it, and leave the
// recent one alone until RescueStuckJobsAfter has passed.
func TestOrphanedJobIsRescued(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		const killed = "killed-replica"
		jobs := newJobTable(t, st)

		old := newTestQueue(t, st, testOptions(func(context.Context, *river.Job[testArgs]) error { return nil }))
		insert(t, old, testArgs{Key: "orphan"}, nil)
		insert(t, old, testArgs{Key: "recent"}, nil)
		orphanID := jobs.claim(t, killed).ID
		if orphanID != jobs.job(t, "orphan").ID {
			t.Fatalf("claimed job %d first, want the orphan", orphanID)
		}
		jobs.backdate(t, orphanID, time.Now().Add(-30*time.Minute))
		jobs.claim(t, killed)

		restarted, err := store.Open(context.Background(), st.URL())
		if err != nil {
			t.Fatalf("reopen store: %v", err)
		}
		t.Cleanup(func() { restarted.Close() }) // after the queue on it stops
		var (
			mu       sync.Mutex
			attempts = map[string][]int{}
		)
		opts := testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
			mu.Lock()
			defer mu.Unlock()
			attempts[job.Args.Key] = append(attempts[job.Args.Key], job.Attempt)
			return nil
		})
		opts.JobTimeout = 5 * time.Second
		opts.RescueStuckJobsAfter = 10 * time.Second
		start(t, newTestQueue(t, restarted, opts))

		orphan := jobs.awaitState(t, "orphan", rivertype.JobStateCompleted)
		if orphan.Attempt != 2 {
			t.Errorf("rescued job completed on attempt %d, want 2", orphan.Attempt)
		}
		if len(orphan.Errors) != 1 || orphan.Errors[0].Error != "Stuck job rescued by JobRescuer" || orphan.Errors[0].Attempt != 1 {
			t.Errorf("rescued job's errors = %+v, want River's rescue of attempt 1", orphan.Errors)
		}
		recent := jobs.job(t, "recent")
		if recent.State != rivertype.JobStateRunning || len(recent.AttemptedBy) != 1 || recent.AttemptedBy[0] != killed {
			t.Errorf("recent job is %s, attempted by %v; want running, attempted by %s only", recent.State, recent.AttemptedBy, killed)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(attempts) != 1 || len(attempts["orphan"]) != 1 || attempts["orphan"][0] != 2 {
			t.Errorf("worker runs = %v, want the orphan once, on attempt 2", attempts)
		}
	})
}
