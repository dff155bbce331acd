package dburl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		raw  string
		kind Kind
		dsn  string
		err  string // part of the error; "" when it parses
	}{
		{raw: "imagebot.db", kind: SQLite, dsn: "imagebot.db"},
		{raw: "/data/imagebot.db", kind: SQLite, dsn: "/data/imagebot.db"},
		{raw: "./state/x.db", kind: SQLite, dsn: "./state/x.db"},
		{raw: "file:/data/x.db?mode=rwc", kind: SQLite, dsn: "file:/data/x.db?mode=rwc"},
		{raw: "sqlite:/data/x.db", kind: SQLite, dsn: "file:/data/x.db"},
		{raw: "sqlite:x.db", kind: SQLite, dsn: "file:x.db"},
		{raw: "sqlite:///data/x.db", kind: SQLite, dsn: "file:/data/x.db"},
		{raw: "sqlite://x.db", kind: SQLite, dsn: "file:x.db"},
		{raw: "SQLite:/data/x.db", kind: SQLite, dsn: "file:/data/x.db"},
		{raw: "postgres://u:p@db:5432/imagebot?sslmode=disable", kind: Postgres, dsn: "postgres://u:p@db:5432/imagebot?sslmode=disable"},
		{raw: "PostgreSQL://db/imagebot", kind: Postgres, dsn: "postgresql://db/imagebot"},
		{raw: "host=db port=5432 dbname=imagebot user=u password=secret sslmode=disable", kind: Postgres,
			dsn: "host=db port=5432 dbname=imagebot user=u password=secret sslmode=disable"},
		{raw: "host = db password='it''s'", err: "libpq connection string does not parse"},
		{raw: "dbname=imagebot", kind: Postgres, dsn: "dbname=imagebot"},
		{raw: "mysql://u:secret@db/imagebot", err: `the scheme "mysql", which imagebot does not know`},
		{raw: "sqlite3:x.db", err: `the scheme "sqlite3"`},
		{raw: "postgres://u:secret@db:notaport/x", err: "the PostgreSQL URL does not parse"},
		{raw: "sqlite:", err: "names no file"},
		{raw: "   ", err: "the database URL is empty"},
	}
	for _, tt := range tests {
		kind, dsn, err := Parse(tt.raw)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q) error %v, want one containing %q", tt.raw, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "secret") {
				t.Errorf("Parse(%q) error quotes the password: %v", tt.raw, err)
			}
			continue
		}
		if err != nil || kind != tt.kind || dsn != tt.dsn {
			t.Errorf("Parse(%q) = %s, %q, %v; want %s, %q", tt.raw, kind, dsn, err, tt.kind, tt.dsn)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"imagebot.db", "imagebot.db"},
		{"postgres://u:secret@db/imagebot", "postgres://u:xxxxx@db/imagebot"},
		{"postgres://u@db/imagebot?password=secret&sslmode=disable", "postgres://u@db/imagebot?password=xxxxx&sslmode=disable"},
		{"host=db user=u password=secret dbname=x", "host=db user=u password=xxxxx dbname=x"},
		{"host=db PASSWORD = 'se cret' dbname=x", "host=db PASSWORD = xxxxx dbname=x"},
		{`host=db password='a\'b c' dbname=x`, "host=db password=xxxxx dbname=x"},
		{"postgres://u:sec%zzret@db/x", "(a URL that does not parse, not shown)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.raw); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestPasswords(t *testing.T) {
	tests := []struct {
		raw  string
		want []string
	}{
		{"postgres://u:secret@db/x?password=other", []string{"secret", "other"}},
		{"host=db password=secret", []string{"secret"}},
		{"host=db password='se cret'", []string{"'se cret'", "se cret"}},
		{"imagebot.db", nil},
	}
	for _, tt := range tests {
		if got := Passwords(tt.raw); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Passwords(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// FuzzParse checks that Parse never panics, and that neither its errors
// nor Redact ever show a password.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"imagebot.db", "sqlite:///x.db", "postgres://u:hunter22@db/x", "host=db password=hunter22", "x:y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, _, err := Parse(raw)
		redacted := Redact(raw)
		for _, p := range Passwords(raw) {
			if len(p) < 6 {
				continue // short passwords occur in the rest of the text by chance
			}
			if err != nil && strings.Contains(err.Error(), p) {
				t.Errorf("Parse error shows the password %q: %v", p, err)
			}
			if strings.Contains(redacted, p) && !strings.Contains(strings.ReplaceAll(raw, p, ""), p) {
				t.Errorf("Redact(%q) = %q shows the password %q", raw, redacted, p)
			}
		}
	})
}
