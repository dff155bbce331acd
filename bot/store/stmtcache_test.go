package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
)

// cached returns how many statements st's SQLite connection keeps.
func cached(t *testing.T, db *sql.DB) int {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	n := -1
	if err := conn.Raw(func(dc any) error {
		n = len(dc.(*cachingConn).byQuery)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestStatementCache(t *testing.T) {
	tests := []struct {
		name       string
		run        func(t *testing.T, db *sql.DB)
		wantCached int
	}{
		{
			name: "a statement run again is prepared once",
			run: func(t *testing.T, db *sql.DB) {
				for i := range 3 {
					if _, err := db.Exec(`INSERT INTO t (n) VALUES ($1)`, i); err != nil {
						t.Fatal(err)
					}
				}
				var sum int
				if err := db.QueryRow(`SELECT sum(n) FROM t`).Scan(&sum); err != nil || sum != 3 {
					t.Fatalf("sum = %d, %v; want 3", sum, err)
				}
			},
			wantCached: 3, // CREATE TABLE, INSERT, SELECT
		},
		{
			name: "a query run while its rows are open runs unprepared",
			run: func(t *testing.T, db *sql.DB) {
				tx, err := db.Begin()
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				for _, n := range []int{1, 2} {
					if _, err := tx.Exec(`INSERT INTO t (n) VALUES ($1)`, n); err != nil {
						t.Fatal(err)
					}
				}
				const q = `SELECT n FROM t WHERE n >= $1 ORDER BY n`
				rows, err := tx.Query(q, 1)
				if err != nil {
					t.Fatal(err)
				}
				var got []int
				for rows.Next() {
					var n, inner int
					rows.Scan(&n)
					if err := tx.QueryRow(q, 2).Scan(&inner); err != nil || inner != 2 {
						t.Fatalf("inner query = %d, %v; want 2", inner, err)
					}
					got = append(got, n)
				}
				rows.Close()
				if fmt.Sprint(got) != "[1 2]" {
					t.Fatalf("outer rows = %v, want [1 2]", got)
				}
			},
			wantCached: 3, // CREATE TABLE, INSERT, SELECT
		},
		{
			name: "the least recently used statements are dropped, even one whose rows are open",
			run: func(t *testing.T, db *sql.DB) {
				if _, err := db.Exec(`INSERT INTO t (n) VALUES (7)`); err != nil {
					t.Fatal(err)
				}
				tx, err := db.Begin()
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				rows, err := tx.Query(`SELECT n FROM t`)
				if err != nil {
					t.Fatal(err)
				}
				for i := range stmtCacheSize {
					var n int
					if err := tx.QueryRow(fmt.Sprintf(`SELECT %d`, i)).Scan(&n); err != nil || n != i {
						t.Fatalf("SELECT %d = %d, %v", i, n, err)
					}
				}
				var n int
				if !rows.Next() || rows.Scan(&n) != nil || n != 7 {
					t.Fatalf("rows of an evicted statement: %d, %v", n, rows.Err())
				}
				rows.Close()
			},
			wantCached: stmtCacheSize,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := openSQLite(context.Background(), filepath.Join(t.TempDir(), "cache.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if _, err := st.db.Exec(`CREATE TABLE t (n INTEGER)`); err != nil {
				t.Fatal(err)
			}
			tt.run(t, st.db)
			if got := cached(t, st.db); got != tt.wantCached {
				t.Errorf("%d statements cached, want %d", got, tt.wantCached)
			}
		})
	}
}
