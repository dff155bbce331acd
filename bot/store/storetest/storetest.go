// Package storetest opens fresh, migrated imagebot stores for tests, on
// SQLite and on PostgreSQL, so that code over bot/store is tested once and run
// on both dialects.
//
// SQLite stores live in a file under t.TempDir(). PostgreSQL stores need the
// server named by IMAGEBOT_TEST_DATABASE_URL; each gets a schema of its own,
// selected through search_path and dropped when the test ends, so that test
// packages running in parallel never meet. The PostgreSQL variant is skipped
// when the variable is unset.
//
// It is for tests only and must not depend on anything but bot/store.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
)

// DatabaseURLEnv names the environment variable holding the URL of the
// PostgreSQL database that tests may use (its schemas are created and
// dropped; nothing else is touched).
const DatabaseURLEnv = "IMAGEBOT_TEST_DATABASE_URL"

// dialects lists the dialects that Each runs a test on, in that order.
var dialects = []store.Dialect{store.SQLite, store.Postgres}

// Each runs test as one subtest per dialect, named after it ("sqlite",
// "postgres"), each with a fresh migrated store from Open.
func Each(t *testing.T, test func(t *testing.T, st *store.Store)) {
	t.Helper()
	for _, dialect := range dialects {
		t.Run(string(dialect), func(t *testing.T) {
			test(t, Open(t, dialect))
		})
	}
}

// Open returns a fresh, migrated store of the dialect, closed when t ends.
// Its URL opens the same database again.
func Open(t testing.TB, dialect store.Dialect) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), URL(t, dialect))
	if err != nil {
		t.Fatalf("storetest: open %s store: %v", dialect, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("storetest: close %s store: %v", dialect, err)
		}
	})
	if err := st.Migrate(context.Background()); err != nil {
		t.Fatalf("storetest: migrate %s store: %v", dialect, err)
	}
	return st
}

// URL returns the URL of a fresh, empty database of the dialect for
// store.Open: a file path under t.TempDir() for SQLite; for PostgreSQL, the
// test server's URL with search_path set to a new schema, dropped with
// everything in it when t ends. On PostgreSQL it skips t when
// IMAGEBOT_TEST_DATABASE_URL is unset.
func URL(t testing.TB, dialect store.Dialect) string {
	t.Helper()
	switch dialect {
	case store.SQLite:
		return filepath.Join(t.TempDir(), "imagebot.db")
	case store.Postgres:
		return postgresSchema(t)
	}
	t.Fatalf("storetest: unknown dialect %q", dialect)
	return ""
}

// postgresSchema creates a schema with a random name in the test database,
// to be dropped when t ends, and returns the database URL with search_path
// set to it.
func postgresSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(DatabaseURLEnv)
	if base == "" {
		t.Skipf("PostgreSQL test skipped: set %s to a PostgreSQL URL to run it", DatabaseURLEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s does not parse as a URL", DatabaseURLEnv)
	}
	random := make([]byte, 8)
	rand.Read(random)
	schema := "test_" + hex.EncodeToString(random)

	ctx := context.Background()
	admin, err := store.Open(ctx, base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("storetest: create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		if _, err := admin.DB().ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("storetest: drop schema %s: %v", schema, err)
		}
	})

	query := u.Query()
	query.Set("search_path", schema)
	u.RawQuery = query.Encode()
	return u.String()
}
