package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestMigrateCommand(t *testing.T) {
	for _, dialect := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			url := storetest.URL(t, dialect)
			t.Setenv(settings.EnvDatabaseURL, url)
			for range 2 { // a second run finds everything up to date
				var stdout, stderr bytes.Buffer
				if code := run(context.Background(), []string{"migrate"}, &stdout, &stderr); code != 0 {
					t.Fatalf("migrate exited %d: %s", code, stderr.String())
				}
				if want := "imagebot: the " + string(dialect) + " database's tables are up to date\n"; stdout.String() != want {
					t.Errorf("stdout %q, want %q", stdout.String(), want)
				}
			}
			st, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var version, jobs int
			if err := st.DB().QueryRow(`SELECT MAX(version) FROM schema_version`).Scan(&version); err != nil {
				t.Fatal(err)
			}
			if err := st.DB().QueryRow(`SELECT count(*) FROM river_job`).Scan(&jobs); err != nil {
				t.Fatalf("River's tables: %v", err)
			}
			if version < 3 || jobs != 0 {
				t.Errorf("schema version %d and %d jobs, want at least 3 and none", version, jobs)
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"migrate", "now"}, &bytes.Buffer{}, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "migrate takes no arguments") {
		t.Errorf("migrate with an argument: exit %d, %q", code, stderr.String())
	}
}
