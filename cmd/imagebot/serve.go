package main

import (
	"context"
	"io"
	"log/slog"
	"net"

	"github.com/imagebot/imagebot/bot/app"
	"github.com/imagebot/imagebot/bot/settings"
)

// runServe is `imagebot serve`: the GitHub App, configured from the
// environment (see the README), until interrupted.
func runServe(ctx context.Context, args []string, stderr io.Writer) error {
	if len(args) > 0 {
		return usagef("serve takes no arguments; it reads its settings from the environment (see the README)")
	}
	s, err := settings.FromEnvironment()
	if err != nil {
		return usagef("cannot start: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: s.LogLevel}))
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return err
	}
	return app.Run(ctx, s, ln, logger)
}
