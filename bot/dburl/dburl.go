// Package dburl reads IMAGEBOT_DATABASE_URL: it tells which database it
// names (a SQLite file or a PostgreSQL server), refuses what it cannot
// tell, and describes it for logs without its password.
//
// It must not depend on the rest of the App, nor open anything.
package dburl

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Kind is the database a URL names.
type Kind string

const (
	// SQLite is a single database file.
	SQLite Kind = "sqlite"
	// Postgres is a PostgreSQL server.
	Postgres Kind = "postgres"
)

// Forms lists what Parse accepts, for error messages.
const Forms = "a file path (imagebot.db), a sqlite: URL (sqlite:/data/imagebot.db), a postgres:// URL, or a libpq key=value string (host=db dbname=imagebot user=imagebot password=…)"

var (
	// scheme matches a URL scheme (RFC 3986) and its colon.
	scheme = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9+.-]*):`)
	// keyValue matches the start of a libpq connection string.
	keyValue = regexp.MustCompile(`^\s*[A-Za-z_]+\s*=`)
	// kvPassword matches a libpq password setting, quoted or not.
	kvPassword = regexp.MustCompile(`(?i)(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s]+)`)
)

// Parse tells which database raw names and returns what the driver opens:
//   - postgres:// and postgresql:// URLs (scheme in any case, lower-cased
//     here) and libpq key=value strings are PostgreSQL, and must parse as
//     pgx parses them;
//   - sqlite:PATH, sqlite://PATH and file: URIs are SQLite, returned as a
//     file: URI (sqlite:///data/x.db is /data/x.db, sqlite://x.db is x.db);
//   - a path without a scheme is a SQLite file;
//   - any other scheme is an error, never a file name.
//
// Errors never quote raw, which may hold a password.
func Parse(raw string) (Kind, string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", "", errors.New("the database URL is empty; use " + Forms)
	}
	if m := scheme.FindStringSubmatch(raw); m != nil {
		rest := raw[len(m[0]):]
		switch strings.ToLower(m[1]) {
		case "postgres", "postgresql":
			dsn := strings.ToLower(m[1]) + ":" + rest
			if _, err := pgconn.ParseConfig(dsn); err != nil {
				return "", "", errors.New("the PostgreSQL URL does not parse: write it as postgres://user:password@host:5432/dbname?sslmode=require")
			}
			return Postgres, dsn, nil
		case "sqlite":
			path := strings.TrimPrefix(rest, "//")
			if path == "" {
				return "", "", errors.New("the sqlite: URL names no file; write sqlite:/data/imagebot.db")
			}
			return SQLite, "file:" + path, nil
		case "file":
			return SQLite, raw, nil
		default:
			return "", "", fmt.Errorf("the database URL has the scheme %q, which imagebot does not know; use %s", m[1], Forms)
		}
	}
	if keyValue.MatchString(raw) {
		if _, err := pgconn.ParseConfig(raw); err != nil {
			return "", "", errors.New("the libpq connection string does not parse: write it as host=db port=5432 dbname=imagebot user=imagebot password=… sslmode=require")
		}
		return Postgres, raw, nil
	}
	return SQLite, raw, nil
}

// Passwords returns the passwords raw holds: a URL's user-info password and
// password= parameters, or a key=value string's password settings, as they
// are written (quotes included) and unquoted.
func Passwords(raw string) []string {
	var out []string
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return nil
		}
		if p, ok := u.User.Password(); ok {
			out = append(out, p)
		}
		return append(out, u.Query()["password"]...)
	}
	for _, m := range kvPassword.FindAllStringSubmatch(raw, -1) {
		out = append(out, m[2])
		if unquoted := strings.Trim(m[2], "'"); unquoted != m[2] {
			out = append(out, strings.ReplaceAll(unquoted, `\'`, `'`))
		}
	}
	return out
}

// Redact describes raw for logs: every password becomes xxxxx. A URL that
// does not parse is not shown at all, since there is no telling where its
// password is.
func Redact(raw string) string {
	if strings.Contains(raw, "://") {
		u, err := url.Parse(raw)
		if err != nil {
			return "(a URL that does not parse, not shown)"
		}
		if q := u.Query(); q.Has("password") {
			q.Set("password", "xxxxx")
			u.RawQuery = q.Encode()
		}
		return u.Redacted()
	}
	return kvPassword.ReplaceAllString(raw, "${1}xxxxx")
}
