package queue

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
)

// txClient is what Queue uses of a River client whose transactions are
// database/sql ones, to insert jobs in a transaction it shares with the
// store: River's SQLite driver, or its database/sql driver on PostgreSQL.
type txClient interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertManyTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	InsertManyFastTx(ctx context.Context, tx *sql.Tx, params []river.InsertManyParams) (int, error)
	JobRetryTx(ctx context.Context, tx *sql.Tx, id int64) (*rivertype.JobRow, error)
}

type txKey struct{}

// shared is the transaction of InTransaction, as Insert finds it.
type shared struct {
	tx        *sql.Tx
	waiting   int              // jobs pending when the transaction began, counted or estimated; -1 until known
	countedAt time.Time        // when the transaction counted them; zero when waiting is the backlog's estimate
	added     int              // jobs it inserted or deferred; after the batch's insert, those it inserted
	direct    int              // of those, the jobs it inserted at once, which a count in it sees
	batch     bool             // Insert defers its jobs to the commit (see InBatch)
	deferred  []deferred       // jobs to insert at the commit, in order
	holders   map[string]int64 // what the batch's insert found holding each unique key (see holders)
}

// deferred is a job Insert left for InBatch's commit.
type deferred struct {
	params river.InsertManyParams
	key    string               // uniqueKey; "" when the job is not unique
	states []rivertype.JobState // the key's unique states, when given explicitly
}

// InTransaction runs fn in one database transaction and commits it when fn
// returns nil. Under fn's context the store's methods (see store.WithTx)
// and Insert and InsertOrWake write in that transaction, so the state they
// record and the jobs they insert become durable together, or not at all:
// the webhook's group commit answers many deliveries with one commit.
// On SQLite the transaction ignores ctx's deadline and cancellation (see
// run); on PostgreSQL they end it.
func (q *Queue) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
	return q.run(ctx, false, fn)
}

// InBatch is InTransaction with the jobs that Insert is given under fn's
// context inserted together when fn returns, by one River InsertManyFastTx
// before the commit: Insert only checks the backlog bound and queues the
// job, and reports it inserted. Jobs with equal unique args (see
// uniqueKey) are inserted once. When the batch's insert fails, nothing is
// committed and InBatch fails: the caller may run fn again under
// InTransaction to find which of its parts fails.
func (q *Queue) InBatch(ctx context.Context, fn func(ctx context.Context) error) error {
	return q.run(ctx, true, fn)
}

func (q *Queue) run(ctx context.Context, batch bool, fn func(ctx context.Context) error) error {
	if q.st.Dialect() == store.SQLite {
		// The SQLite driver watches a cancellable context with a goroutine
		// per statement, which costs the intake's commits more than the
		// deadline can save: a lock wait ends after the store's busy
		// timeout anyway, and no deadline interrupts a sync in progress.
		ctx = context.WithoutCancel(ctx)
	}
	tx, err := q.st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin the intake transaction: %w", err)
	}
	defer tx.Rollback()
	s := &shared{tx: tx, waiting: -1, batch: batch}
	ctx = store.WithTx(context.WithValue(ctx, txKey{}, s), tx)
	if err := fn(ctx); err != nil {
		return err
	}
	if err := q.insertDeferred(ctx, s); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit the intake transaction: %w", err)
	}
	q.backlog.committed(s.countedAt, s.waiting, s.added)
	q.holders.learn(s.holders)
	return nil
}

// Savepoint runs fn inside ctx's InTransaction so that, when fn fails, what
// it wrote (its jobs included) is undone and the rest of the transaction is
// kept. Without a transaction it just runs fn.
func (q *Queue) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	s, ok := ctx.Value(txKey{}).(*shared)
	if !ok {
		return fn(ctx)
	}
	if _, err := s.tx.ExecContext(ctx, "SAVEPOINT intake"); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	added, direct, deferred := s.added, s.direct, len(s.deferred)
	if err := fn(ctx); err != nil {
		if _, rbErr := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT intake"); rbErr != nil {
			return fmt.Errorf("%w (and rolling it back failed: %v)", err, rbErr)
		}
		s.added, s.direct, s.deferred = added, direct, s.deferred[:deferred]
		s.tx.ExecContext(ctx, "RELEASE SAVEPOINT intake")
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT intake"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// insertShared inserts a job in ctx's shared transaction, when there is
// one: the backlog is estimated (see backlog) or counted once per
// transaction, and counted before it refuses a job. Under InBatch, a job
// that may wait is deferred to the batch's insert.
func (q *Queue) insertShared(ctx context.Context, args river.JobArgs, opts *river.InsertOpts, mayWait bool) (res *rivertype.JobInsertResult, ok bool, err error) {
	s, ok := ctx.Value(txKey{}).(*shared)
	if !ok {
		return nil, false, nil
	}
	if s.waiting < 0 {
		if estimate, ok := q.backlog.estimate(time.Now()); ok {
			s.waiting = estimate
		}
	}
	if s.waiting < 0 || (s.waiting+s.added >= q.maxPending && s.countedAt.IsZero()) {
		at := time.Now()
		var n int
		if err := s.tx.QueryRowContext(ctx, pendingQuery).Scan(&n); err != nil {
			return nil, true, fmt.Errorf("insert %s job: count pending jobs: %w", args.Kind(), err)
		}
		s.countedAt, s.waiting = at, n-s.direct
	}
	if pending := s.waiting + s.added; pending >= q.maxPending {
		return nil, true, fmt.Errorf("insert %s job: %w (%d jobs pending)", args.Kind(), ErrQueueFull, pending)
	}
	if s.batch && mayWait {
		unique := uniqueOpts(args, opts)
		d := deferred{params: river.InsertManyParams{Args: args, InsertOpts: opts}, key: uniqueKey(args, unique)}
		if d.key != "" {
			d.states = unique.ByState
		}
		s.deferred = append(s.deferred, d)
		s.added++
		return &rivertype.JobInsertResult{}, true, nil
	}
	res, err = q.txClient.InsertTx(ctx, s.tx, args, opts)
	if err != nil {
		return nil, true, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	if !res.UniqueSkippedAsDuplicate {
		s.added++
		s.direct++
	}
	return res, true, nil
}

// insertDeferred inserts the jobs InBatch deferred, each unique key once,
// and counts as added only the rows it inserted. A key still held by the
// job holders last saw holding it is skipped without asking River (see
// heldByKnownJob). The other unique jobs go through River's InsertManyTx,
// whose results name each key's holder for the batches after this one;
// on a conflict it rewrites the holder's row without changing it (River
// sets its kind to itself) to return it. Batches without unique jobs use
// River's fast insert, which returns no rows.
func (q *Queue) insertDeferred(ctx context.Context, s *shared) error {
	if len(s.deferred) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, 0, len(s.deferred))
	keys := make([]string, 0, len(s.deferred))
	seen := make(map[string]bool)
	for _, d := range s.deferred {
		if d.key != "" {
			if seen[d.key] {
				continue
			}
			seen[d.key] = true
			held, err := q.heldByKnownJob(ctx, s.tx, d)
			if err != nil {
				return err
			}
			if held {
				continue
			}
		}
		key := "" // a key holders may learn
		if len(d.states) > 0 {
			key = d.key
		}
		params = append(params, d.params)
		keys = append(keys, key)
	}
	inserted, err := q.insertMany(ctx, s, params, keys)
	if err != nil {
		return fmt.Errorf("insert %d jobs: %w", len(params), err)
	}
	s.added = s.direct + inserted
	return nil
}

// insertMany inserts params (keys are their unique keys) in s's
// transaction and returns how many rows it inserted. It records in s
// which job holds each of keys that is not "", when there is one.
func (q *Queue) insertMany(ctx context.Context, s *shared, params []river.InsertManyParams, keys []string) (int, error) {
	if len(params) == 0 {
		return 0, nil
	}
	if !slices.ContainsFunc(keys, func(key string) bool { return key != "" }) {
		return q.txClient.InsertManyFastTx(ctx, s.tx, params)
	}
	results, err := q.txClient.InsertManyTx(ctx, s.tx, params)
	if err != nil {
		return 0, err
	}
	inserted := 0
	for i, res := range results {
		if !res.UniqueSkippedAsDuplicate {
			inserted++
		}
		if keys[i] != "" {
			if s.holders == nil {
				s.holders = make(map[string]int64)
			}
			s.holders[keys[i]] = res.Job.ID
		}
	}
	return inserted, nil
}

// retry makes a waiting job available now, in ctx's shared transaction when
// there is one.
func (q *Queue) retry(ctx context.Context, id int64) error {
	if s, ok := ctx.Value(txKey{}).(*shared); ok {
		_, err := q.txClient.JobRetryTx(ctx, s.tx, id)
		return err
	}
	_, err := q.client.JobRetry(ctx, id)
	return err
}
