package store

import (
	"context"
	"database/sql"
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/imagebot/imagebot/bot/dburl"
)

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, redactPasswords(dsn, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, redactPasswords(dsn, err)
	}
	return &Store{db: db, dialect: Postgres, url: dsn}, nil
}

// redactedError is an error from opening a database whose message no longer
// holds the URL's passwords. Unwrap still gives the driver's error, for
// errors.Is; do not print what it returns.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// redactPasswords wraps an error from opening dsn so that its message cannot
// carry a password from dsn (the user-info one, a password= parameter, or a
// key=value string's password setting),
// whatever the driver put in it: pgx redacts only on a best-effort basis. A
// URL that does not parse is reported without the driver's message, since
// there is no telling where its password is.
func redactPasswords(dsn string, err error) error {
	if strings.Contains(dsn, "://") {
		if _, parseErr := url.Parse(dsn); parseErr != nil {
			return &redactedError{msg: "open PostgreSQL: the database URL does not parse as a URL", err: err}
		}
	}
	msg := err.Error()
	for _, password := range dburl.Passwords(dsn) {
		if password == "" {
			continue
		}
		for _, form := range []string{password, url.QueryEscape(password), url.PathEscape(password)} {
			msg = strings.ReplaceAll(msg, form, "xxxxx")
		}
	}
	return &redactedError{msg: "open PostgreSQL: " + msg, err: err}
}
