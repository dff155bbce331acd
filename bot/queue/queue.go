package queue

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
)

// ErrQueueFull is returned by Insert when MaxPending jobs are already
// waiting; the webhook answers 503 so that GitHub's delivery shows the failure.
var ErrQueueFull = errors.New("job queue is full")

// Options configures a Queue. Zero values take the defaults given.
type Options struct {
	// Workers are the job workers. Required.
	Workers *river.Workers
	// Queues are the queues this process works and how many jobs of each it
	// runs at once. Default: river.QueueDefault with MaxWorkers 4.
	Queues map[string]river.QueueConfig
	// RescueStuckJobsAfter is how long a job may stay running before it is
	// taken to be orphaned (its process died) and scheduled to run again.
	// Must exceed JobTimeout. Default 150 s.
	RescueStuckJobsAfter time.Duration
	// JobTimeout is how long one attempt may run before its context is
	// cancelled. Default 2 min.
	JobTimeout time.Duration
	// MaxPending is how many jobs may wait (see Pending) before Insert fails
	// with ErrQueueFull. Default 10000.
	MaxPending int
	// RetryPolicy schedules the retry of a job whose attempt failed.
	// Default: Backoff with its defaults.
	RetryPolicy river.ClientRetryPolicy
	// Logger receives River's logs. Default slog.Default().
	Logger *slog.Logger
	// ID names this process among the replicas sharing the database (River's
	// client ID), and must stay the same when the process is restarted in
	// its place: a Queue started with the ID of a process that died makes the
	// jobs that process left running available again at once (see Start).
	// Two live processes must never share one. Default: River's, unique to
	// each start (the dead process's jobs then wait for the rescue, see
	// RescueStuckJobsAfter).
	ID string
	// Periodic are the jobs that run every so often, once across the
	// replicas: the replica elected leader inserts them (see PeriodicJob).
	Periodic []PeriodicJob
	// Metrics registers the queue's metrics (depth, and jobs' wait and
	// duration by kind) when set.
	Metrics prometheus.Registerer
	// PollInterval is how often idle workers look for new jobs when no
	// notification arrives (River's FetchPollInterval; River's default 1 s).
	// River's minimum time between fetches is lowered to match when it is
	// shorter than River's 100 ms default.
	PollInterval time.Duration
}

// Option defaults.
const (
	defaultMaxWorkers           = 4
	defaultRescueStuckJobsAfter = 150 * time.Second
	defaultJobTimeout           = 2 * time.Minute
	defaultMaxPending           = 10000
)

// Queue is imagebot's durable job queue. Insert may be called before Start
// and by processes that never Start.
type Queue struct {
	client     riverClient
	txClient   txClient
	st         *store.Store
	ping       func(context.Context) error
	release    func()
	maxPending int
	backlog    backlog // the intake's estimate of the pending jobs
	holders    holders // which job holds each unique key the intake inserted
	id         string
	logger     *slog.Logger
}

// riverClient is what Queue uses of a *river.Client[TTx], whatever TTx is.
type riverClient interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobRetry(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
	Stopped() <-chan struct{}
}

// New runs River's migrations up (under the store's migration lock, so that
// replicas starting together take turns) and returns a Queue on st's
// database, ready to Insert and Start. On SQLite it shares st's connection;
// on PostgreSQL it opens a pool of its own from st.URL(), which Stop closes,
// and inserts through st's pool the jobs of InTransaction.
// Close st only after Stop has returned: River still writes while stopping.
func New(ctx context.Context, st *store.Store, opts Options) (*Queue, error) {
	config, err := riverConfig(opts)
	if err != nil {
		return nil, err
	}
	maxPending := opts.MaxPending
	if maxPending <= 0 {
		maxPending = defaultMaxPending
	}
	q := &Queue{st: st, maxPending: maxPending, id: opts.ID, logger: config.Logger}
	config.Middleware = append(config.Middleware, &jobLogging{logger: config.Logger})
	if opts.Metrics != nil {
		config.Middleware = append(config.Middleware, newMetrics(opts.Metrics, st.DB()))
	}
	config.Middleware = append(config.Middleware, &installationPause{st: st, now: time.Now})
	config.Logger = riverLogger(config.Logger)
	switch st.Dialect() {
	case store.SQLite:
		client, err := newRiverClient(ctx, st, riversqlite.New(st.DB()), config)
		if err != nil {
			return nil, err
		}
		q.client, q.txClient = client, client
		q.ping = st.Ping
		q.release = func() {}
	case store.Postgres:
		pool, err := pgxpool.New(ctx, st.URL())
		if err != nil {
			// pgx's message may quote the URL, password and all.
			return nil, errors.New("open River's PostgreSQL pool: the database URL does not parse")
		}
		q.client, err = newRiverClient(ctx, st, riverpgxv5.New(pool), config)
		if err != nil {
			pool.Close()
			return nil, err
		}
		// Inserts in a transaction shared with the store go through the
		// store's database/sql pool: an insert-only client on it.
		q.txClient, err = river.NewClient(riverdatabasesql.New(st.DB()), &river.Config{
			Workers: opts.Workers, Logger: config.Logger, JobTimeout: config.JobTimeout})
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("new River insert client: %w", err)
		}
		q.ping = pool.Ping
		q.release = pool.Close
	default:
		return nil, fmt.Errorf("new queue: unknown store dialect %q", st.Dialect())
	}
	return q, nil
}

// riverConfig turns opts into River's configuration, defaults filled in.
func riverConfig(opts Options) (*river.Config, error) {
	if opts.Workers == nil {
		return nil, errors.New("new queue: Options.Workers is required")
	}
	config := &river.Config{
		Workers:              opts.Workers,
		Queues:               opts.Queues,
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
		JobTimeout:           opts.JobTimeout,
		RetryPolicy:          opts.RetryPolicy,
		Logger:               opts.Logger,
		FetchPollInterval:    opts.PollInterval,
		ID:                   opts.ID,
		PeriodicJobs:         periodicJobs(opts.Periodic),
	}
	if config.Queues == nil {
		config.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: defaultMaxWorkers}}
	}
	if config.RescueStuckJobsAfter <= 0 {
		config.RescueStuckJobsAfter = defaultRescueStuckJobsAfter
	}
	if config.JobTimeout <= 0 {
		config.JobTimeout = defaultJobTimeout
	}
	if config.RescueStuckJobsAfter <= config.JobTimeout {
		return nil, fmt.Errorf("new queue: RescueStuckJobsAfter (%s) must exceed JobTimeout (%s), or running jobs would be rescued", config.RescueStuckJobsAfter, config.JobTimeout)
	}
	if config.RetryPolicy == nil {
		config.RetryPolicy = &Backoff{}
	}
	if config.Logger == nil {
		config.Logger = slog.Default()
	}
	if opts.PollInterval > 0 {
		config.FetchCooldown = min(river.FetchCooldownDefault, opts.PollInterval)
	}
	return config, nil
}
