// Package app wires imagebot's GitHub App together: the store, the job
// queue and its workers, the GitHub clients, the webhook receiver, the
// rollout tracker and the HTTP server, and runs them until the context
// ends, then shuts down in order (stop taking webhooks, let running jobs
// finish, close the store).
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
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/command"
	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/queue"
	"github.com/imagebot/imagebot/bot/redeliver"
	"github.com/imagebot/imagebot/bot/review"
	"github.com/imagebot/imagebot/bot/rollout"
	"github.com/imagebot/imagebot/bot/rollout/hubapi"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/server"
	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/status"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/webhook"
)

// shutdownGrace is how long running requests and jobs get to finish once
// the process is asked to stop; jobs still running then are handed back for
// another replica. It fits in Kubernetes' default 30 s termination grace.
const shutdownGrace = 20 * time.Second

// How often the periodic jobs run, on the leader replica only.
const (
	sweepEvery  = 10 * time.Minute // the redelivery sweep
	resumeEvery = 5 * time.Minute  // polls for rollouts that lost theirs
)

// App is the assembled GitHub App.
type App struct {
	store   *store.Store
	queue   *queue.Queue
	handler http.Handler
	logger  *slog.Logger
}

// Option replaces a part of the App, for tests that reach clusters and
// registries of their own.
type Option func(*parts)

type parts struct {
	ops      *operator.Config
	clusters rollout.Clusters
	registry rollout.Registry
	poll     func(round int) time.Duration
	replica  string
}

// WithOperatorConfig uses an operator configuration the caller has
// already loaded (and reported on) instead of loading settings.ConfigPath.
func WithOperatorConfig(c *operator.Config) Option { return func(p *parts) { p.ops = c } }

// WithReplicaID names this process among the replicas sharing the database
// (see queue.Options.ID); Run names it after the host and the port it
// listens on.
func WithReplicaID(id string) Option { return func(p *parts) { p.replica = id } }

// WithClusters sets how hubs' clusters are reached (default: the
// kubeconfig or in-cluster credentials the operator configured).
func WithClusters(c rollout.Clusters) Option { return func(p *parts) { p.clusters = c } }

// WithRegistry sets how tags are resolved (default: HEAD requests with
// the operator's registry credentials, anonymous elsewhere).
func WithRegistry(r rollout.Registry) Option { return func(p *parts) { p.registry = r } }

// WithPollSchedule sets the rollout polling schedule (default rollout.Poll).
func WithPollSchedule(f func(round int) time.Duration) Option { return func(p *parts) { p.poll = f } }

// New opens the store, migrates it and assembles the App.
func New(ctx context.Context, s *settings.Settings, logger *slog.Logger, opts ...Option) (*App, error) {
	p := parts{clusters: &rollout.KubeClusters{}, poll: rollout.Poll}
	for _, o := range opts {
		o(&p)
	}
	ops := p.ops
	if ops == nil {
		var err error
		if ops, err = operator.Load(s.ConfigPath); err != nil {
			return nil, fmt.Errorf("operator configuration: %w", err)
		}
	}
	if p.registry == nil {
		p.registry = operatorResolver(ops)
	}
	st, err := store.Open(ctx, s.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a, err := assemble(ctx, s, logger, st, ops, p)
	if err != nil {
		st.Close()
		return nil, err
	}
	return a, nil
}

func assemble(ctx context.Context, s *settings.Settings, logger *slog.Logger, st *store.Store, ops *operator.Config, p parts) (*App, error) {
	if err := st.Migrate(ctx); err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ghMetrics := githubapp.NewMetrics(reg)
	clients, err := githubapp.NewClientCreator(githubapp.Config{
		AppID: s.AppID, PrivateKey: s.PrivateKey, BaseURL: s.APIURL, UserAgent: "imagebot",
		Middleware: []func(http.RoundTripper) http.RoundTripper{ghMetrics.Middleware, githubapp.Logging(logger)},
		Limits:     installationLimits{st},
	})
	if err != nil {
		return nil, err
	}
	tracker := &rollout.Tracker{
		Config: ops, Clients: clients, Rollouts: st, Comments: st, Installations: st,
		Registry: p.registry, Clusters: p.clusters, Now: time.Now, Logger: logger, Interval: p.poll,
		Spawns:  &rollout.HubMetrics{Client: &hubapi.Client{}},
		Metrics: rollout.NewMetrics(reg, st),
	}
	waker := &wakerQueue{}
	workers := river.NewWorkers()
	hubVersions := &rollout.HubVersions{Config: ops, Versions: &hubapi.Versions{Client: &hubapi.Client{}}, Logger: logger}
	river.AddWorker(workers, &review.Worker{Clients: clients, State: st, Logger: logger, Metrics: review.NewMetrics(reg), Hubs: hubVersions})
	river.AddWorker(workers, &rollout.PollWorker{Tracker: tracker})
	river.AddWorker(workers, &rollout.CommandWorker{Tracker: tracker, Queue: waker})
	river.AddWorker(workers, &command.Worker{Clients: clients, State: st, Queue: waker, Now: time.Now, Logger: logger,
		Tracks: func(full string) bool { return tracks(ops, full) }})
	river.AddWorker(workers, &rollout.ResumeWorker{Rollouts: st, Queue: waker, Logger: logger})
	river.AddWorker(workers, &redeliver.Worker{Clients: clients, State: st, Logger: logger, Metrics: redeliver.NewMetrics(reg), Now: time.Now})
	q, err := queue.New(ctx, st, queue.Options{
		Workers: workers, Logger: logger, JobTimeout: s.JobTimeout,
		RescueStuckJobsAfter: s.RescueAfter, PollInterval: s.PollInterval,
		ID: p.replica, MaxPending: s.MaxPendingJobs, Metrics: reg,
		Periodic: []queue.PeriodicJob{
			{Args: redeliver.SweepArgs{}, Every: sweepEvery},
			{Args: rollout.ResumeArgs{}, Every: resumeEvery},
		},
	})
	if err != nil {
		return nil, err
	}
	waker.q = q
	hookOpts := []webhook.Option{webhook.WithLogger(logger), webhook.WithMetrics(webhook.NewMetrics(reg)), webhook.WithTransactions(q)}
	if s.WebhookBuffer > 0 {
		hookOpts = append(hookOpts, webhook.WithBodyBudget(s.WebhookBuffer))
	}
	hooks, err := webhook.NewHandler(s.WebhookSecret, st, eventHandlers(q, st, ops), hookOpts...)
	if err != nil {
		return nil, err
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
		Status:  status.Handler(st, hubNames(ops), time.Now, logger),
		Logger:  logger,
	})
	return &App{store: st, queue: q, handler: handler, logger: logger}, nil
}

// Handler serves the App's routes.
func (a *App) Handler() http.Handler { return a.handler }

// Start starts working jobs.
func (a *App) Start(ctx context.Context) error { return a.queue.Start(ctx) }

// Stop lets running jobs finish until ctx is done, then closes the store.
func (a *App) Stop(ctx context.Context) error {
	return errors.Join(a.queue.Stop(ctx), a.store.Close())
}

// Run serves the App on ln until ctx is done, then shuts down within
// shutdownGrace: it stops taking webhooks and fetching jobs at once, lets
// running requests and jobs finish, and hands the jobs still running at the
// deadline back to the queue, for another replica (or this one's successor)
// to take at once.
func Run(ctx context.Context, s *settings.Settings, ln net.Listener, logger *slog.Logger, opts ...Option) error {
	logger.Info("imagebot starting", "settings", s, "listen", ln.Addr().String())
	a, err := New(ctx, s, logger, append([]Option{WithReplicaID(replicaID(ln))}, opts...)...)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		a.store.Close()
		return err
	}
	served := make(chan error, 1)
	go func() { served <- server.Serve(ctx, ln, a.Handler(), shutdownGrace) }()
	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
	}
	logger.Info("imagebot stopping: no new webhooks or jobs; running ones get the grace period", "grace", shutdownGrace)
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	stopErr := a.queue.Stop(stopCtx)
	if ctx.Err() != nil {
		serveErr = <-served
	}
	return errors.Join(serveErr, stopErr, a.store.Close())
}

// replicaID names this process after its host and the port it listens on:
// unique among live processes, since only one can listen there, and the
// same for a process restarted in its place (a container restarted in its
// pod), which then takes back the jobs its predecessor left running.
func replicaID(ln net.Listener) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "imagebot"
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	id := host + ":" + port
	if len(id) > 100 { // River's limit
		id = id[len(id)-100:]
	}
	return id
}

// eventHandlers are the App's webhook event handlers; app.yml subscribes
// to exactly their events.
func eventHandlers(q *queue.Queue, st *store.Store, ops *operator.Config) []webhook.EventHandler {
	return []webhook.EventHandler{
		queueFull{&review.Events{Queue: q, Pulls: st, Now: time.Now}},
		&review.Installations{State: st},
		queueFull{&rollout.Events{Config: ops, Rollouts: st, Queue: q, Now: time.Now}},
		queueFull{&command.Events{Queue: q}},
	}
}

// queueFull tells the webhook receiver when a handler could not enqueue
// because the queue is full, so that the delivery is answered 503.
type queueFull struct{ webhook.EventHandler }

func (h queueFull) Handle(ctx context.Context, e webhook.Event) error {
	err := h.EventHandler.Handle(ctx, e)
	if errors.Is(err, queue.ErrQueueFull) {
		return fmt.Errorf("%w: %w", webhook.ErrQueueFull, err)
	}
	return err
}

// wakerQueue lets a worker registered before the queue exists insert and
// wake jobs on it: River needs its workers before the queue is made.
type wakerQueue struct{ q *queue.Queue }

func (w *wakerQueue) InsertOrWake(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return w.q.InsertOrWake(ctx, args, opts)
}

func (w *wakerQueue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (bool, error) {
	return w.q.Insert(ctx, args, opts)
}

func (w *wakerQueue) InsertFresh(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) error {
	return w.q.InsertFresh(ctx, args, opts)
}

// tracks reports whether the operator follows the rollouts of a repository.
func tracks(ops *operator.Config, fullName string) bool {
	if ops == nil {
		return false
	}
	_, ok := ops.Repository(fullName)
	return ok
}

// hubNames are the operator's hubs, for the status page.
func hubNames(ops *operator.Config) []string {
	if ops == nil {
		return nil
	}
	var names []string
	for _, h := range ops.Hubs {
		names = append(names, h.Name)
	}
	return names
}
