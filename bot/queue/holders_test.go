package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

// countingInserts counts the batch inserts a Queue asks River for.
type countingInserts struct {
	txClient
	calls int
}

func (c *countingInserts) InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	c.calls++
	return c.txClient.InsertManyTx(ctx, tx, params)
}

func (c *countingInserts) InsertManyFastTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) (int, error) {
	c.calls++
	return c.txClient.InsertManyFastTx(ctx, tx, params)
}

// TestInBatchSkipsKeysHeldByKnownJobs runs batches of unique jobs, one
// after another, on each database: a key whose job from an earlier batch
// still waits is skipped without asking River, and one whose job finished,
// was deleted, or was never committed goes to River again.
func TestInBatchSkipsKeysHeldByKnownJobs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		q := newTestQueue(t, st, testOptions(nil)) // not started: jobs stay available
		inserts := &countingInserts{txClient: q.txClient}
		q.txClient = inserts
		jobs := newJobTable(t, st)
		ctx := context.Background()
		unique := &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}
		batch := func(fail bool, args ...testArgs) error {
			return q.InBatch(ctx, func(ctx context.Context) error {
				for _, a := range args {
					if _, err := q.Insert(ctx, a, unique); err != nil {
						return err
					}
				}
				if fail {
					return errors.New("the batch failed")
				}
				return nil
			})
		}
		finish := func(key string) {
			now := time.Now()
			_, err := jobs.exec.JobUpdateFull(ctx, &riverdriver.JobUpdateFullParams{ID: jobs.job(t, key).ID,
				StateDoUpdate: true, State: rivertype.JobStateCompleted, FinalizedAtDoUpdate: true, FinalizedAt: &now})
			if err != nil {
				t.Fatal(err)
			}
		}
		remove := func(key string) {
			if _, err := jobs.exec.JobDelete(ctx, &riverdriver.JobDeleteParams{ID: jobs.job(t, key).ID}); err != nil {
				t.Fatal(err)
			}
		}
		steps := []struct {
			name      string
			before    func()
			fail      bool
			args      []testArgs
			wantCalls int // River's inserts so far
			wantErr   bool
		}{
			{name: "a new key goes to River", args: []testArgs{{Key: "a"}}, wantCalls: 1},
			{name: "a key whose job waits is skipped", args: []testArgs{{Key: "a", Mode: "again"}}, wantCalls: 1},
			{name: "only the new key of a batch goes to River", args: []testArgs{{Key: "a"}, {Key: "b"}}, wantCalls: 2},
			{name: "a key whose job finished goes to River", before: func() { finish("a") }, args: []testArgs{{Key: "b"}, {Key: "a"}}, wantCalls: 3},
			{name: "a key whose job was deleted goes to River", before: func() { remove("b") }, args: []testArgs{{Key: "b"}}, wantCalls: 4},
			{name: "a failed batch asks River nothing", args: []testArgs{{Key: "c"}}, fail: true, wantCalls: 4, wantErr: true},
			{name: "nor learns anything", args: []testArgs{{Key: "c"}}, wantCalls: 5},
		}
		for _, step := range steps {
			if step.before != nil {
				step.before()
			}
			err := batch(step.fail, step.args...)
			if (err != nil) != step.wantErr {
				t.Fatalf("%s: batch error %v, want error %v", step.name, err, step.wantErr)
			}
			if inserts.calls != step.wantCalls {
				t.Errorf("%s: River asked %d times so far, want %d", step.name, inserts.calls, step.wantCalls)
			}
		}
		var available, completed int
		err := st.DB().QueryRow(`SELECT
			COUNT(*) FILTER (WHERE state = 'available'), COUNT(*) FILTER (WHERE state = 'completed') FROM river_job`).
			Scan(&available, &completed)
		if err != nil {
			t.Fatal(err)
		}
		if available != 3 || completed != 1 {
			t.Errorf("%d jobs available and %d completed, want 3 (a, b and c) and 1 (the first a)", available, completed)
		}
		if estimate, ok := q.backlog.estimate(time.Now()); !ok || estimate != 5 {
			t.Errorf("backlog estimate = %d, %v; want 5, true (every job inserted: finishing or deleting one outside the intake leaves it)", estimate, ok)
		}
	})
}

// TestHoldersStartOver checks that holders stays bounded: learning past
// maxHolders keys forgets the earlier ones.
func TestHoldersStartOver(t *testing.T) {
	var h holders
	first := map[string]int64{}
	for i := range maxHolders {
		first[string(rune('a'+i%26))+string(rune(i))] = int64(i)
	}
	h.learn(first)
	if len(h.ids) != maxHolders {
		t.Fatalf("%d keys after learning %d, want all", len(h.ids), maxHolders)
	}
	h.learn(map[string]int64{"one more": 1})
	if _, ok := h.get("one more"); !ok || len(h.ids) != 1 {
		t.Errorf("after one key past the bound: %d keys, the new one known %v; want only the new one", len(h.ids), ok)
	}
}

// BenchmarkInBatchUniqueJob runs the intake's transaction for one
// delivery with a unique job, through InBatch (holders) and, for
// comparison, through River's fast insert alone (what InBatch ran before
// holders): for a key that a waiting job holds (a push's pull_request and
// check_suite deliveries share one), once InBatch knows the holder and
// once it does not yet, and for a new key each time. SQLite's sync at
// commit is off, so that the insert's own cost shows.
func BenchmarkInBatchUniqueJob(b *testing.B) {
	unique := &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}
	inBatch := func(ctx context.Context, q *Queue, args testArgs) error {
		return q.InBatch(ctx, func(ctx context.Context) error { _, err := q.Insert(ctx, args, unique); return err })
	}
	fast := func(ctx context.Context, q *Queue, args testArgs) error {
		return q.InTransaction(ctx, func(ctx context.Context) error {
			s := ctx.Value(txKey{}).(*shared)
			_, err := q.txClient.InsertManyFastTx(ctx, s.tx, []river.InsertManyParams{{Args: args, InsertOpts: unique}})
			return err
		})
	}
	cases := []struct {
		name   string
		newKey bool
		batch  func(ctx context.Context, q *Queue, args testArgs) error
	}{
		{"held/InBatch", false, inBatch},
		{"held/InBatch_holder_unknown", false, func(ctx context.Context, q *Queue, args testArgs) error {
			q.holders = holders{}
			return inBatch(ctx, q, args)
		}},
		{"held/fast_insert", false, fast},
		{"new/InBatch", true, inBatch},
		{"new/fast_insert", true, fast},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			st := storetest.Open(b, store.SQLite)
			if _, err := st.DB().Exec(`PRAGMA synchronous = OFF`); err != nil {
				b.Fatal(err)
			}
			q, err := New(context.Background(), st, testOptions(nil)) // not started: jobs wait
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			args := testArgs{Key: "held"}
			if err := inBatch(ctx, q, args); err != nil {
				b.Fatal(err)
			}
			n := 0
			for b.Loop() {
				if c.newKey {
					n++
					args.Key = fmt.Sprintf("new-%d", n)
				}
				if err := c.batch(ctx, q, args); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
