package store

import (
	"context"
	"database/sql"
)

// Dialect names the SQL database behind a Store.
type Dialect string

const (
	// SQLite is a single database file opened through modernc.org/sqlite.
	SQLite Dialect = "sqlite"
	// Postgres is a PostgreSQL server reached through pgx's database/sql driver.
	Postgres Dialect = "postgres"
)

// Store is imagebot's state. It is safe for concurrent use.
type Store struct {
	db      *sql.DB
	dialect Dialect
	url     string
}

// DB returns the connection pool. On SQLite it holds a single connection,
// which the job queue shares.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect reports which database the Store uses.
func (s *Store) Dialect() Dialect { return s.dialect }

// URL returns the URL or path the Store was opened with, so that the job
// queue can open its own PostgreSQL pool. It may hold a password: never log it.
func (s *Store) URL() string { return s.url }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }
