package store

import (
	"context"
	"strings"
)

// Open opens the database that url names and checks that it answers.
//
// A url starting with postgres:// or postgresql:// selects PostgreSQL; the
// scheme may be in any case, and is lower-cased for the driver (and in URL).
// Anything else is a SQLite database: a file path such as imagebot.db, or a
// file: URI.
//
// Open does not create imagebot's tables; call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	for _, scheme := range []string{"postgres://", "postgresql://"} {
		if len(url) >= len(scheme) && strings.EqualFold(url[:len(scheme)], scheme) {
			return openPostgres(ctx, scheme+url[len(scheme):])
		}
	}
	return openSQLite(ctx, url)
}
