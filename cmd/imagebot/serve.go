package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"

	"github.com/imagebot/imagebot/bot/app"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/settings"
)

// errCannotStart makes serve exit 2 after it printed its start-up
// problems.
var errCannotStart = errors.New("cannot start")

// runServe is `imagebot serve`: the GitHub App, configured from the
// environment (see the README), until interrupted. Before it starts it
// prints every problem of its environment and of the operator's
// configuration, one per line, and exits 2 if there is any.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := newCommand("serve", "imagebot serve",
		`Runs the GitHub App until interrupted. Its settings come from the environment
(GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE,
GITHUB_WEBHOOK_SECRET, IMAGEBOT_DATABASE_URL, IMAGEBOT_CONFIG, …; see the
README's configuration table). Before it starts it prints every problem of its
environment and operator configuration, one per line, and exits 2 if any.`)
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(operands) > 0 {
		return usagef("serve takes no arguments; it reads its settings from the environment (see the README)")
	}
	s, ops, problems := loadServeSettings(os.Getenv, os.ReadFile)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(stderr, p)
		}
		fmt.Fprintf(stderr, "imagebot: cannot start: %s above\n", plural(len(problems), "problem", "problems"))
		return errCannotStart
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: s.LogLevel}))
	logger.Info("processors", "GOMAXPROCS", spareProcessor(os.Getenv("GOMAXPROCS"), s.DatabaseURL))
	for _, w := range s.Warnings {
		logger.Warn(w)
	}
	if s.ConfigPath == "" {
		logger.Info("no operator configuration: rollout tracking is off", "env", settings.EnvConfig)
	} else {
		sum := summarize(s.ConfigPath, ops)
		logger.Info("operator configuration", "config", s.ConfigPath, "hubs", sum.HubNames(), "repositories", sum.RepositoryNames())
	}
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return err
	}
	return app.Run(ctx, s, ln, logger, app.WithOperatorConfig(ops))
}

// loadServeSettings reads the environment and the operator's configuration
// it names, and returns every problem of both, one per line.
func loadServeSettings(getenv func(string) string, readFile func(string) ([]byte, error)) (*settings.Settings, *operator.Config, []string) {
	var problems []string
	s, err := settings.Load(getenv, readFile)
	if err != nil {
		problems = append(problems, lines(err)...)
	}
	ops, err := operator.Load(getenv(settings.EnvConfig))
	if err != nil {
		problems = append(problems, lines(err)...)
	}
	return s, ops, problems
}
