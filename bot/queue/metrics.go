package queue

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// metrics measures the queue:
//   - imagebot_queue_depth{kind}: the jobs waiting to run (as Pending counts
//     them), by kind, read from the database at each scrape;
//   - imagebot_job_wait_seconds{kind}: the time from when a job could run
//     until an attempt started (its latency in the queue);
//   - imagebot_job_duration_seconds{kind, result}: the time an attempt took,
//     by result: ok, snoozed (to wait for its next round or a rate limit), or
//     error.
type metrics struct {
	river.MiddlewareDefaults
	db       *sql.DB
	depth    *prometheus.Desc
	wait     *prometheus.HistogramVec
	duration *prometheus.HistogramVec
	now      func() time.Time
}

func newMetrics(reg prometheus.Registerer, db *sql.DB) *metrics {
	m := &metrics{
		db:    db,
		depth: prometheus.NewDesc("imagebot_queue_depth", "Jobs waiting to run (available, scheduled, retryable or pending), by kind.", []string{"kind"}, nil),
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "imagebot_job_wait_seconds", Help: "Time from when a job could run until an attempt of it started, by kind.",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 9),
		}, []string{"kind"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "imagebot_job_duration_seconds", Help: "Time one attempt of a job took, by kind and result (ok, snoozed or error).",
			Buckets: prometheus.ExponentialBuckets(0.01, 4, 9),
		}, []string{"kind", "result"}),
		now: time.Now,
	}
	reg.MustRegister(m, m.wait, m.duration)
	return m
}

// Work times one attempt.
func (m *metrics) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	start := m.now()
	if !job.ScheduledAt.IsZero() && start.After(job.ScheduledAt) {
		m.wait.WithLabelValues(job.Kind).Observe(start.Sub(job.ScheduledAt).Seconds())
	}
	err := doInner(ctx)
	var snoozed *rivertype.JobSnoozeError
	result := "ok"
	switch {
	case errors.As(err, &snoozed):
		result = "snoozed"
	case err != nil:
		result = "error"
	}
	m.duration.WithLabelValues(job.Kind, result).Observe(m.now().Sub(start).Seconds())
	return err
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.depth }

// depthQuery counts the waiting jobs by kind; see pendingQuery.
const depthQuery = `SELECT kind, count(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable', 'pending') GROUP BY kind`

// Collect implements prometheus.Collector.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := m.db.QueryContext(ctx, depthQuery)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.depth, err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			ch <- prometheus.NewInvalidMetric(m.depth, err)
			return
		}
		ch <- prometheus.MustNewConstMetric(m.depth, prometheus.GaugeValue, float64(n), kind)
	}
	if err := rows.Err(); err != nil {
		ch <- prometheus.NewInvalidMetric(m.depth, err)
	}
}
