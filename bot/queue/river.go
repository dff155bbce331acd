package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/imagebot/imagebot/bot/store"
)

// newRiverClient migrates River's tables up through driver, under st's
// migration lock, and returns a River client on driver. It is generic over
// the driver's transaction type so that Queue need not be.
func newRiverClient[TTx any](ctx context.Context, st *store.Store, driver riverdriver.Driver[TTx], config *river.Config) (*river.Client[TTx], error) {
	if err := migrateRiver(ctx, st, driver, config.Logger); err != nil {
		return nil, err
	}
	client, err := river.NewClient(driver, config)
	if err != nil {
		return nil, fmt.Errorf("new River client: %w", err)
	}
	return client, nil
}

// migrateRiver migrates River's tables up through driver, under st's
// migration lock.
func migrateRiver[TTx any](ctx context.Context, st *store.Store, driver riverdriver.Driver[TTx], logger *slog.Logger) error {
	if logger == nil {
		logger = slog.Default()
	}
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: riverLogger(logger)})
	if err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	err = st.WithMigrationLock(ctx, func(ctx context.Context) error {
		_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate River's tables: %w", err)
	}
	return nil
}

// Migrate brings the job queue's tables (River's) in st's database up to
// the version this build knows, as New does, without making a queue: for
// `imagebot migrate`, which prepares a database before any replica starts.
func Migrate(ctx context.Context, st *store.Store, logger *slog.Logger) error {
	switch st.Dialect() {
	case store.SQLite:
		return migrateRiver(ctx, st, riversqlite.New(st.DB()), logger)
	case store.Postgres:
		pool, err := pgxpool.New(ctx, st.URL())
		if err != nil {
			return errors.New("open River's PostgreSQL pool: the database URL does not parse")
		}
		defer pool.Close()
		return migrateRiver(ctx, st, riverpgxv5.New(pool), logger)
	}
	return fmt.Errorf("migrate the job queue: unknown store dialect %q", st.Dialect())
}
