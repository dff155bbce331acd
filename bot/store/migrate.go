package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// migrations are imagebot's schema changes, in order: migrations[i] brings
// the schema from version i to version i+1. Append; never edit one that has
// shipped. "BYTES" stands for the dialect's byte-string type (BLOB on SQLite,
// BYTEA on PostgreSQL), the one type that differs; a statement starting
// with "sqlite: " runs on SQLite only; everything else is written once for
// both.
var migrations = [][]string{
	{
		`CREATE TABLE deliveries (
			id TEXT PRIMARY KEY,
			event TEXT NOT NULL,
			action TEXT NOT NULL,
			received_at BIGINT NOT NULL
		)`,
		`CREATE INDEX deliveries_received_at ON deliveries (received_at)`,
		`CREATE TABLE installations (
			id BIGINT PRIMARY KEY,
			account TEXT NOT NULL,
			active BOOLEAN NOT NULL
		)`,
		`CREATE TABLE installation_repos (
			installation_id BIGINT NOT NULL,
			full_name TEXT NOT NULL,
			PRIMARY KEY (installation_id, full_name)
		)`,
		`CREATE TABLE pulls (
			repo TEXT NOT NULL,
			number INTEGER NOT NULL,
			head_sha TEXT NOT NULL,
			base_sha TEXT NOT NULL,
			draft BOOLEAN NOT NULL,
			updated_at BIGINT NOT NULL,
			PRIMARY KEY (repo, number)
		)`,
		`CREATE TABLE blobs (
			sha TEXT PRIMARY KEY,
			data BYTES NOT NULL
		)`,
		`CREATE TABLE trees (
			sha TEXT PRIMARY KEY,
			entries TEXT NOT NULL
		)`,
		`CREATE TABLE check_runs (
			repo TEXT NOT NULL,
			head_sha TEXT NOT NULL,
			name TEXT NOT NULL,
			check_run_id BIGINT NOT NULL,
			output_hash TEXT NOT NULL,
			PRIMARY KEY (repo, head_sha, name)
		)`,
		`CREATE TABLE comments (
			repo TEXT NOT NULL,
			number INTEGER NOT NULL,
			kind TEXT NOT NULL,
			comment_id BIGINT NOT NULL,
			body_hash TEXT NOT NULL,
			had_changes BOOLEAN NOT NULL,
			PRIMARY KEY (repo, number, kind)
		)`,
	},
	{
		`CREATE TABLE rollouts (
			repo TEXT NOT NULL,
			number INTEGER NOT NULL,
			merge_sha TEXT NOT NULL,
			active BOOLEAN NOT NULL,
			document TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			updated_at BIGINT NOT NULL,
			PRIMARY KEY (repo, number)
		)`,
		`CREATE INDEX rollouts_active ON rollouts (repo, active)`,
		`CREATE INDEX rollouts_merge_sha ON rollouts (repo, merge_sha)`,
	},
	{
		`CREATE TABLE installation_pauses (
			installation_id BIGINT PRIMARY KEY,
			paused_until BIGINT NOT NULL
		)`,
		`CREATE TABLE installation_writes (
			installation_id BIGINT NOT NULL,
			written_at BIGINT NOT NULL
		)`,
		`CREATE INDEX installation_writes_at ON installation_writes (installation_id, written_at)`,
		`CREATE TABLE redeliveries (
			guid TEXT PRIMARY KEY,
			hook_delivery_id BIGINT NOT NULL,
			requested_at BIGINT NOT NULL
		)`,
		`CREATE INDEX redeliveries_requested_at ON redeliveries (requested_at)`,
	},
	{
		`CREATE TABLE help_requests (
			repo TEXT NOT NULL,
			number INTEGER NOT NULL,
			PRIMARY KEY (repo, number)
		)`,
	},
	{
		// Trees cached before this version left out symbolic links, which
		// are now followed: read them again.
		`DELETE FROM trees`,
	},
	{
		// On SQLite, the deliveries become a table keyed by their id
		// alone (WITHOUT ROWID): recording one then writes two B-trees
		// instead of three, the id's index being the table itself, and the
		// intake's commits a page less to the log (BENCHMARKS.md).
		`sqlite: CREATE TABLE deliveries_by_id (
			id TEXT PRIMARY KEY,
			event TEXT NOT NULL,
			action TEXT NOT NULL,
			received_at BIGINT NOT NULL
		) WITHOUT ROWID`,
		`sqlite: INSERT INTO deliveries_by_id (id, event, action, received_at)
			SELECT id, event, action, received_at FROM deliveries`,
		`sqlite: DROP TABLE deliveries`,
		`sqlite: ALTER TABLE deliveries_by_id RENAME TO deliveries`,
		`sqlite: CREATE INDEX deliveries_received_at ON deliveries (received_at)`,
	},
}

// Migrate brings imagebot's tables up to the schema version this build
// knows. It applies, in one transaction, the migrations newer than the
// highest version listed in the schema_version table, so running it again
// changes nothing. It fails, changing nothing, when the database is at a
// newer version than this build knows (a rollback after an upgrade).
// Replicas that start together on PostgreSQL take turns through
// WithMigrationLock.
func (s *Store) Migrate(ctx context.Context) error {
	return s.WithMigrationLock(ctx, func(ctx context.Context) error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		defer tx.Rollback()
		if err := s.migrate(ctx, tx); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	})
}

func (s *Store) migrate(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)`); err != nil {
		return err
	}
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return err
	}
	if current > len(migrations) {
		return fmt.Errorf("the database is at schema version %d, newer than this imagebot's %d: run a newer imagebot", current, len(migrations))
	}
	for version := current + 1; version <= len(migrations); version++ {
		for _, statement := range migrations[version-1] {
			statement, ok := s.ddl(statement)
			if !ok {
				continue
			}
			if _, err := tx.ExecContext(ctx, statement); err != nil {
				return fmt.Errorf("version %d: %w", version, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, version); err != nil {
			return fmt.Errorf("version %d: %w", version, err)
		}
	}
	return nil
}

// ddl writes statement in the Store's dialect; ok is false when the
// statement is not for this dialect.
func (s *Store) ddl(statement string) (_ string, ok bool) {
	if rest, sqliteOnly := strings.CutPrefix(statement, "sqlite: "); sqliteOnly {
		return rest, s.dialect == SQLite
	}
	bytes := "BLOB"
	if s.dialect == Postgres {
		bytes = "BYTEA"
	}
	return strings.ReplaceAll(statement, "BYTES", bytes), true
}

// WithMigrationLock runs fn while holding the migration lock of the Store's
// schema, so that replicas starting together do not apply the same schema
// changes at once (imagebot's and River's); fn's own statements may use any
// connection. On PostgreSQL the lock is a transaction-scoped advisory lock
// (pg_advisory_xact_lock) on a connection of its own, released when fn
// returns, or by the server if that connection dies. Advisory locks are
// database-wide, so the key is derived from the schema the tables live in
// (see advisoryKey): deployments or tests on other schemas of the same
// database do not wait for each other. On SQLite fn just runs: the file has
// one writer at a time anyway, and holding the Store's single connection
// would leave fn none.
func (s *Store) WithMigrationLock(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.dialect != Postgres {
		return fn(ctx)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+advisoryKey+`)`, "migrations"); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	return fn(ctx)
}

// advisoryKey is the SQL expression of a PostgreSQL advisory lock key for
// the name given as the statement's $1, within the current schema: a 64-bit
// hash of "imagebot", the schema and the name.
const advisoryKey = `hashtextextended('imagebot ' || current_schema() || ' ' || $1::text, 0)`
