package store

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"modernc.org/sqlite"
)

// TestSQLiteCommitsDurably checks what makes a commit survive a power loss:
// WAL with synchronous=FULL, and (on Linux) fdatasync after every commit.
func TestSQLiteCommitsDurably(t *testing.T) {
	st, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "durable.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	pragmas := []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL
	}
	for _, p := range pragmas {
		var got string
		if err := st.db.QueryRow("PRAGMA " + p.pragma).Scan(&got); err != nil || got != p.want {
			t.Errorf("PRAGMA %s = %q, %v; want %q", p.pragma, got, err, p.want)
		}
	}
	if runtime.GOOS == "linux" && !sqlite.FdatasyncEnabled() {
		t.Error("SQLite commits with fsync, want fdatasync")
	}
}
