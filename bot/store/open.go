package store

import (
	"context"
	"fmt"

	"github.com/imagebot/imagebot/bot/dburl"
)

// Open opens the database that url names and checks that it answers.
//
// postgres:// and postgresql:// URLs (scheme in any case, lower-cased for
// the driver and in URL) and libpq key=value strings (host=… dbname=…)
// select PostgreSQL. A path, a file: URI or a sqlite: URL is a SQLite
// database. A URL with any other scheme is an error (see dburl.Parse).
//
// Open does not create imagebot's tables; call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	kind, dsn, err := dburl.Parse(url)
	if err != nil {
		return nil, fmt.Errorf("open the database: %w", err)
	}
	if kind == dburl.Postgres {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}
