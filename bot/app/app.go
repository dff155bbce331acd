// Package app wires imagebot's GitHub App together: the store, the job
// queue and its workers, the GitHub clients, the webhook receiver and the
// HTTP server, and runs them until the context ends, then shuts down in
// order (stop taking webhooks, let running jobs finish, close the store).
//
// It is the only package that knows every other one; none depends on it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/review"
	"github.com/imagebot/imagebot/bot/server"
	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/webhook"
)

// shutdownGrace is how long running requests and jobs get to finish.
const shutdownGrace = 20 * time.Second

// Run serves the App on ln until ctx is done.
func Run(ctx context.Context, s *settings.Settings, ln net.Listener, logger *slog.Logger) error {
	logger.Info("imagebot starting", "settings", s, "listen", ln.Addr().String())
	st, err := store.Open(ctx, s.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Migrate(ctx); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ghMetrics := githubapp.NewMetrics(reg)
	clients, err := githubapp.NewClientCreator(githubapp.Config{
		AppID: s.AppID, PrivateKey: s.PrivateKey, BaseURL: s.APIURL, UserAgent: "imagebot",
		Middleware: []func(http.RoundTripper) http.RoundTripper{ghMetrics.Middleware, githubapp.Logging(logger)},
	})
	if err != nil {
		return err
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &review.Worker{Clients: clients, State: st, Logger: logger, Metrics: review.NewMetrics(reg)})
	q, err := queue.New(ctx, st, queue.Options{
		Workers: workers, Logger: logger, JobTimeout: s.JobTimeout,
		RescueStuckJobsAfter: s.RescueAfter, PollInterval: s.PollInterval,
	})
	if err != nil {
		return err
	}

	hooks, err := webhook.NewHandler(s.WebhookSecret, st, eventHandlers(q, st),
		webhook.WithLogger(logger), webhook.WithMetrics(webhook.NewMetrics(reg)))
	if err != nil {
		return err
	}
	if err := q.Start(ctx); err != nil {
		return err
	}
	handler := server.Handler(server.Config{
		Webhooks: hooks,
		Ready: func(ctx context.Context) error {
			if err := st.Ping(ctx); err != nil {
				return fmt.Errorf("database: %w", err)
			}
			return q.Healthy(ctx)
		},
		Metrics: promhttp.HandlerFor(reg, promhttp.HandlerOpts{}),
		Logger:  logger,
	})
	serveErr := server.Serve(ctx, ln, handler, shutdownGrace)
	logger.Info("imagebot stopping: letting running jobs finish")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	return errors.Join(serveErr, q.Stop(stopCtx))
}

// eventHandlers are the App's webhook event handlers; app.yml subscribes
// to exactly their events.
func eventHandlers(q review.Enqueuer, st *store.Store) []webhook.EventHandler {
	return []webhook.EventHandler{
		&review.Events{Queue: q, Pulls: st, Now: time.Now},
		&review.Installations{State: st},
	}
}
