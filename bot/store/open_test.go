package store_test

import (
	"context"
	neturl "net/url"
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
		{name: "sqlite: URL", url: func(dir string) string { return "sqlite:" + filepath.Join(dir, "imagebot.db") }, want: store.SQLite,
			wantURL: func(url string) string { return "file:" + strings.TrimPrefix(url, "sqlite:") }},
		{name: "sqlite:// URL", url: func(dir string) string { return "sqlite://" + filepath.Join(dir, "imagebot.db") }, want: store.SQLite,
			wantURL: func(url string) string { return "file:" + strings.TrimPrefix(url, "sqlite://") }},
		{name: "postgres scheme", url: func(string) string { return pg }, want: store.Postgres, pg: true},
		{name: "libpq key=value string", url: func(string) string { return keyValue(t, pg) }, want: store.Postgres, pg: true},
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
			wantContain: "the database URL is empty",
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
			name:        "unreachable server, key=value string",
			url:         "host=127.0.0.1 port=1 user=imagebot password=s3cr3t-kv dbname=imagebot sslmode=disable connect_timeout=2",
			wantContain: "open PostgreSQL: ",
			secret:      "s3cr3t-kv",
		},
		{
			name:        "unknown scheme",
			url:         "mysql://imagebot:s3cr3t@db/imagebot",
			wantContain: `the database URL has the scheme "mysql", which imagebot does not know`,
			secret:      "s3cr3t",
		},
		{
			name:        "URL that does not parse",
			url:         "postgres://imagebot:s3cr3t%zz@127.0.0.1:1/imagebot",
			wantContain: "the PostgreSQL URL does not parse",
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

// keyValue writes a postgres:// URL as a libpq key=value string.
func keyValue(t *testing.T, raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		t.Fatalf("%s does not parse", storetest.DatabaseURLEnv)
	}
	kv := []string{"host=" + u.Hostname(), "dbname=" + strings.TrimPrefix(u.Path, "/")}
	if port := u.Port(); port != "" {
		kv = append(kv, "port="+port)
	}
	if name := u.User.Username(); name != "" {
		kv = append(kv, "user="+name)
	}
	if password, ok := u.User.Password(); ok {
		kv = append(kv, "password='"+strings.ReplaceAll(password, "'", `\'`)+"'")
	}
	for k, vs := range u.Query() {
		kv = append(kv, k+"="+vs[0])
	}
	return strings.Join(kv, " ")
}
