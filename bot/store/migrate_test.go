package store_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func schemaVersions(t *testing.T, st *store.Store) []int {
	t.Helper()
	rows, err := st.DB().Query(`SELECT version FROM schema_version ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_version: %v", err)
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatalf("read schema_version: %v", err)
		}
		versions = append(versions, v)
	}
	return versions
}

func TestMigrate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		before         []string // statements run on the migrated store before migrating again
		wantErr        string
		wantVersions   []int
		wantTrees      int
		wantDeliveries int
	}{
		{
			name:         "again is a no-op",
			before:       []string{`INSERT INTO trees (sha, entries) VALUES ('t1', '[]')`},
			wantVersions: []int{1, 2, 3, 4, 5, 6},
			wantTrees:    1,
		},
		{
			name:         "refuses a newer schema",
			before:       []string{`INSERT INTO schema_version (version) VALUES (99)`},
			wantErr:      "the database is at schema version 99, newer than this imagebot's 6",
			wantVersions: []int{1, 2, 3, 4, 5, 6, 99},
		},
		{
			name: "version 5 forgets the trees cached without their symbolic links",
			before: []string{
				`INSERT INTO trees (sha, entries) VALUES ('t1', '[{"path":"conda-lock.yml","sha":"c1","size":9}]')`,
				`DELETE FROM schema_version WHERE version = 5`,
				`DELETE FROM schema_version WHERE version = 6`,
			},
			wantVersions: []int{1, 2, 3, 4, 5, 6},
		},
		{
			name: "version 6 keeps the deliveries recorded before it",
			before: []string{
				`DROP TABLE deliveries`,
				`CREATE TABLE deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, action TEXT NOT NULL, received_at BIGINT NOT NULL)`,
				`CREATE INDEX deliveries_received_at ON deliveries (received_at)`,
				`INSERT INTO deliveries (id, event, action, received_at) VALUES ('d1', 'pull_request', 'opened', 1), ('d2', 'ping', '', 2)`,
				`DELETE FROM schema_version WHERE version = 6`,
			},
			wantVersions:   []int{1, 2, 3, 4, 5, 6},
			wantDeliveries: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, st *store.Store) {
				for _, statement := range tt.before {
					if _, err := st.DB().Exec(statement); err != nil {
						t.Fatal(err)
					}
				}
				err := st.Migrate(context.Background())
				if tt.wantErr == "" && err != nil {
					t.Fatalf("Migrate: %v", err)
				}
				if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
					t.Fatalf("Migrate error = %v, want one containing %q", err, tt.wantErr)
				}
				if got := schemaVersions(t, st); !slices.Equal(got, tt.wantVersions) {
					t.Errorf("schema versions = %v, want %v", got, tt.wantVersions)
				}
				var trees int
				if err := st.DB().QueryRow(`SELECT COUNT(*) FROM trees`).Scan(&trees); err != nil {
					t.Fatal(err)
				}
				if trees != tt.wantTrees {
					t.Errorf("%d trees cached, want %d", trees, tt.wantTrees)
				}
				var deliveries int
				if err := st.DB().QueryRow(`SELECT COUNT(*) FROM deliveries`).Scan(&deliveries); err != nil {
					t.Fatal(err)
				}
				if deliveries != tt.wantDeliveries {
					t.Errorf("%d deliveries recorded, want %d", deliveries, tt.wantDeliveries)
				}
				// On SQLite the deliveries are keyed by id alone (version 6).
				_, err = st.DB().Exec(`SELECT rowid FROM deliveries`)
				if withoutRowid := err != nil; st.Dialect() == store.SQLite && !withoutRowid {
					t.Errorf("deliveries has a rowid on SQLite; want a table WITHOUT ROWID")
				}
			})
		})
	}
}

// TestMigrateConcurrently starts several replicas on one fresh database at
// once: the migration lock must let each apply the schema or find it applied.
func TestMigrateConcurrently(t *testing.T) {
	t.Parallel()
	for _, dialect := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			url := storetest.URL(t, dialect)
			const replicas = 4
			errs := make([]error, replicas)
			stores := make([]*store.Store, replicas)
			for i := range stores {
				st, err := store.Open(context.Background(), url)
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				defer st.Close()
				stores[i] = st
			}
			var wg sync.WaitGroup
			for i, st := range stores {
				wg.Go(func() { errs[i] = st.Migrate(context.Background()) })
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("replica %d: Migrate: %v", i, err)
				}
			}
			if got := schemaVersions(t, stores[0]); !slices.Equal(got, []int{1, 2, 3, 4, 5, 6}) {
				t.Errorf("schema versions = %v, want [1 2 3 4 5 6]", got)
			}
		})
	}
}
