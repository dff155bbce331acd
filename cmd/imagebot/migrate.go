package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/store"
)

// runMigrate creates or updates imagebot's tables and the job queue's in the
// database that IMAGEBOT_DATABASE_URL names (default imagebot.db), then
// exits, doing no other work: to prepare a new database before any replica
// starts (moving from SQLite to PostgreSQL, say), or as an upgrade step.
// Replicas that start migrate too, under the same lock.
func runMigrate(ctx context.Context, args []string, stdout io.Writer) error {
	cmd := newCommand("migrate", "imagebot migrate",
		`Creates or updates imagebot's tables and its job queue's in the database that
`+settings.EnvDatabaseURL+` names (default imagebot.db), then exits. Replicas that
start migrate too, under the same lock.`)
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(operands) > 0 {
		return usagef("migrate takes no arguments; it reads %s", settings.EnvDatabaseURL)
	}
	url := os.Getenv(settings.EnvDatabaseURL)
	if url == "" {
		url = "imagebot.db"
	}
	st, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := queue.Migrate(ctx, st, slog.New(slog.DiscardHandler)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imagebot: the %s database's tables are up to date\n", st.Dialect())
	return nil
}
