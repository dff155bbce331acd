package queue

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/imagebot/imagebot/bot/store"
)

// newRiverClient migrates River's tables up through driver, under st's
// migration lock, and returns a River client on driver. It is generic over
// the driver's transaction type so that Queue need not be.
func newRiverClient[TTx any](ctx context.Context, st *store.Store, driver riverdriver.Driver[TTx], config *river.Config) (*river.Client[TTx], error) {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: config.Logger})
	if err != nil {
		return nil, fmt.Errorf("migrate River's tables: %w", err)
	}
	err = st.WithMigrationLock(ctx, func(ctx context.Context) error {
		_, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("migrate River's tables: %w", err)
	}
	client, err := river.NewClient(driver, config)
	if err != nil {
		return nil, fmt.Errorf("new River client: %w", err)
	}
	return client, nil
}
