package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
)

// sqliteParams are appended to every SQLite DSN, after any the caller gave,
// so they take precedence:
//   - WAL lets readers proceed while the single writer commits, and
//     synchronous=FULL syncs the log at every commit, so that a committed
//     transaction (a delivery answered 202, say) survives a power loss
//     (SQLite's default, stated so that no one weakens it by accident);
//   - busy_timeout makes a second process (a CLI run, say) wait for the lock
//     for up to 5 s instead of failing at once;
//   - foreign_keys turns on constraint checks, which SQLite leaves off;
//   - _txlock=immediate takes the write lock when a transaction begins, so
//     two processes never deadlock upgrading a read lock to a write lock.
const sqliteParams = "_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"

func openSQLite(ctx context.Context, path string) (*Store, error) {
	// Commits sync with fdatasync(2), as SQLite's own Linux builds do, not
	// fsync(2): the log's data and size reach the disk all the same, only
	// its timestamps may lag, and a commit waits for one journal write
	// less. Where fdatasync is unavailable SQLite keeps fsync.
	sqlite.Fdatasync(true)
	dsn, err := sqliteDSN(path)
	if err != nil {
		return nil, err
	}
	connector, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	db := sql.OpenDB(cachingConnector{connector})
	// River's SQLite driver requires a single connection: SQLite runs one
	// writer at a time and River works concurrently.
	db.SetMaxOpenConns(1)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
	}
	return &Store{db: db, dialect: SQLite, url: path}, nil
}

// sqliteDSN turns a path or file: URI into a DSN for modernc.org/sqlite.
// The driver cuts a plain path at its first '?', so such a path is refused:
// it has to be written as a file: URI with the '?' escaped as %3F.
func sqliteDSN(path string) (string, error) {
	if path == "" {
		return "", errors.New("open SQLite database: empty path")
	}
	if !strings.HasPrefix(path, "file:") {
		if strings.Contains(path, "?") {
			return "", fmt.Errorf("open SQLite database %s: a path cannot contain '?'; write it as a file: URI", path)
		}
		return path + "?" + sqliteParams, nil
	}
	if strings.Contains(path, "?") {
		return path + "&" + sqliteParams, nil
	}
	return path + "?" + sqliteParams, nil
}
