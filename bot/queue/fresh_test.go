package queue

import (
	"context"
	"errors"
	"testing"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// TestInsertFresh joins an equal job that waits, refuses with ErrRunning
// while it runs, and inserts again once it has finished.
func TestInsertFresh(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		running, release := make(chan struct{}), make(chan struct{})
		q := newTestQueue(t, st, testOptions(func(ctx context.Context, job *river.Job[testArgs]) error {
			if job.Args.Mode == "block" {
				close(running)
				<-release
			}
			return nil
		}))
		unique := &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}
		args := testArgs{Key: "pr-7", Mode: "block"}
		ctx := context.Background()
		for i := range 2 { // the second joins the first while it waits
			if err := q.InsertFresh(ctx, args, unique); err != nil {
				t.Fatalf("InsertFresh %d while waiting: %v", i+1, err)
			}
		}
		start(t, q)
		<-running
		err := q.InsertFresh(ctx, args, unique)
		if !errors.Is(err, ErrRunning) {
			t.Fatalf("InsertFresh while the job runs: error %v, want ErrRunning", err)
		}
		close(release)
		jobs := newJobTable(t, st)
		jobs.awaitState(t, "pr-7", "completed")
		if err := q.InsertFresh(ctx, testArgs{Key: "pr-7"}, unique); err != nil {
			t.Fatalf("InsertFresh once the job finished: %v", err)
		}
	})
}
