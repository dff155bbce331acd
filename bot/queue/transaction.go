package queue

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
)

// txClient is what Queue uses of a River client whose transactions are
// database/sql ones, to insert jobs in a transaction it shares with the
// store: River's SQLite driver, or its database/sql driver on PostgreSQL.
type txClient interface {
	InsertTx(ctx context.Context, tx *sql.Tx, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobRetryTx(ctx context.Context, tx *sql.Tx, id int64) (*rivertype.JobRow, error)
}

type txKey struct{}

// shared is the transaction of InTransaction, as Insert finds it.
type shared struct {
	tx      *sql.Tx
	pending int // jobs pending when the transaction began, plus those it inserted; -1 until counted
}

// InTransaction runs fn in one database transaction and commits it when fn
// returns nil. Under fn's context the store's methods (see store.WithTx)
// and Insert and InsertOrWake write in that transaction, so the state they
// record and the jobs they insert become durable together, or not at all:
// the webhook's group commit answers many deliveries with one commit.
func (q *Queue) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
	tx, err := q.st.DB().BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin the intake transaction: %w", err)
	}
	defer tx.Rollback()
	ctx = store.WithTx(context.WithValue(ctx, txKey{}, &shared{tx: tx, pending: -1}), tx)
	if err := fn(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit the intake transaction: %w", err)
	}
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
	pending := s.pending
	if err := fn(ctx); err != nil {
		if _, rbErr := s.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT intake"); rbErr != nil {
			return fmt.Errorf("%w (and rolling it back failed: %v)", err, rbErr)
		}
		s.pending = pending
		s.tx.ExecContext(ctx, "RELEASE SAVEPOINT intake")
		return err
	}
	if _, err := s.tx.ExecContext(ctx, "RELEASE SAVEPOINT intake"); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// insertShared inserts a job in ctx's shared transaction, when there is
// one: the backlog is counted once per transaction.
func (q *Queue) insertShared(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (res *rivertype.JobInsertResult, ok bool, err error) {
	s, ok := ctx.Value(txKey{}).(*shared)
	if !ok {
		return nil, false, nil
	}
	if s.pending < 0 {
		if err := s.tx.QueryRowContext(ctx, pendingQuery).Scan(&s.pending); err != nil {
			return nil, true, fmt.Errorf("insert %s job: count pending jobs: %w", args.Kind(), err)
		}
	}
	if s.pending >= q.maxPending {
		return nil, true, fmt.Errorf("insert %s job: %w (%d jobs pending)", args.Kind(), ErrQueueFull, s.pending)
	}
	res, err = q.txClient.InsertTx(ctx, s.tx, args, opts)
	if err != nil {
		return nil, true, fmt.Errorf("insert %s job: %w", args.Kind(), err)
	}
	if !res.UniqueSkippedAsDuplicate {
		s.pending++
	}
	return res, true, nil
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
