package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
)

func TestOpenSelectsDialect(t *testing.T) {
	t.Parallel()
	pg := os.Getenv(storetest.DatabaseURLEnv)
	tests := []struct {
		name    string
		url     func(dir string) string
		want    store.Dialect
		wantURL func(url string) string // URL() given the url; nil means the url itself
		pg      bool
	}{
		{name: "plain path", url: func(dir string) string { return filepath.Join(dir, "imagebot.db") }, want: store.SQLite},
		{name: "file URI", url: func(dir string) string { return "file:" + filepath.Join(dir, "imagebot.db") }, want: store.SQLite},
		{name: "file URI with parameters", url: func(dir string) string { return "file:" + filepath.Join(dir, "imagebot.db") + "?mode=rwc" }, want: store.SQLite},
		{name: "path that merely mentions postgres", url: func(dir string) string { return filepath.Join(dir, "postgres:") }, want: store.SQLite},
		{name: "postgres scheme", url: func(string) string { return pg }, want: store.Postgres, pg: true},
		{
			name:    "postgresql scheme in capitals",
			url:     func(string) string { return "POSTGRESQL" + strings.TrimPrefix(pg, "postgres") },
			want:    store.Postgres,
			wantURL: func(url string) string { return "postgresql" + strings.TrimPrefix(url, "POSTGRESQL") },
			pg:      true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.pg && pg == "" {
				t.Skipf("PostgreSQL test skipped: set %s to run it", storetest.DatabaseURLEnv)
			}
			url := tt.url(t.TempDir())
			st, err := store.Open(context.Background(), url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer st.Close()
			if got := st.Dialect(); got != tt.want {
				t.Errorf("Dialect() = %q, want %q", got, tt.want)
			}
			wantURL := url
			if tt.wantURL != nil {
				wantURL = tt.wantURL(url)
			}
			if got := st.URL(); got != wantURL {
				t.Errorf("URL() is not the expected URL") // URLs may hold passwords: not printed
			}
			if err := st.Ping(context.Background()); err != nil {
				t.Errorf("Ping: %v", err)
			}
		})
	}
}

func TestOpenSQLiteSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		url  func(dir string) string
	}{
		{name: "plain path", url: func(dir string) string { return filepath.Join(dir, "imagebot.db") }},
		{name: "file URI whose own pragmas are overridden", url: func(dir string) string {
			return "file:" + filepath.Join(dir, "imagebot.db") + "?_pragma=journal_mode(DELETE)&_pragma=foreign_keys(0)"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, err := store.Open(context.Background(), tt.url(t.TempDir()))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer st.Close()
			pragmas := []struct {
				name string
				want string
			}{
				{"journal_mode", "wal"},
				{"foreign_keys", "1"},
				{"busy_timeout", "5000"},
			}
			for _, p := range pragmas {
				var got string
				if err := st.DB().QueryRow("PRAGMA " + p.name).Scan(&got); err != nil {
					t.Fatalf("PRAGMA %s: %v", p.name, err)
				}
				if got != p.want {
					t.Errorf("PRAGMA %s = %q, want %q", p.name, got, p.want)
				}
			}
			if got := st.DB().Stats().MaxOpenConnections; got != 1 {
				t.Errorf("MaxOpenConnections = %d, want 1", got)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		url         string
		wantContain string
		secret      string
	}{
		{
			name:        "empty path",
			url:         "",
			wantContain: "empty path",
		},
		{
			name:        "plain path with a question mark",
			url:         "state?.db",
			wantContain: "a path cannot contain '?'",
		},
		{
			name:        "unreachable server, password in the user info",
			url:         "postgres://imagebot:s3cr3t-user-info@127.0.0.1:1/imagebot?sslmode=disable&connect_timeout=2",
			wantContain: "open PostgreSQL: ",
			secret:      "s3cr3t-user-info",
		},
		{
			name:        "unreachable server, password as a parameter",
			url:         "postgres://imagebot@127.0.0.1:1/imagebot?sslmode=disable&connect_timeout=2&password=s3cr3t-param",
			wantContain: "open PostgreSQL: ",
			secret:      "s3cr3t-param",
		},
		{
			name:        "URL that does not parse",
			url:         "postgres://imagebot:s3cr3t%zz@127.0.0.1:1/imagebot",
			wantContain: "open PostgreSQL: the database URL does not parse as a URL",
			secret:      "s3cr3t",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, err := store.Open(context.Background(), tt.url)
			if err == nil {
				st.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.wantContain) {
				t.Errorf("error %q does not contain %q", err, tt.wantContain)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q reveals the password", err)
			}
		})
	}
}
