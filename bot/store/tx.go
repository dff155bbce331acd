package store

import (
	"context"
	"database/sql"
)

// querier is what the Store's methods run their statements on: the pool,
// or the transaction their context carries (see WithTx).
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

// WithTx returns a context under which the Store's methods run in tx
// instead of on their own: a caller that owns tx (the webhook's group
// commit, see queue.Queue.InTransaction) makes their writes commit or roll
// back with its own. On SQLite, with its single connection, a Store method
// called during tx without this context would wait for tx forever.
func WithTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFrom returns the transaction ctx carries, or nil.
func TxFrom(ctx context.Context) *sql.Tx {
	tx, _ := ctx.Value(txKey{}).(*sql.Tx)
	return tx
}

// conn is where a method's statements run: ctx's transaction, or the pool.
func (s *Store) conn(ctx context.Context) querier {
	if tx := TxFrom(ctx); tx != nil {
		return tx
	}
	return s.db
}
