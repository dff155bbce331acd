package webhook

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts deliveries by event and result (accepted, duplicate,
// ignored, invalid, bad_signature, malformed, too_large, busy, queue_full,
// error, ping), and times the commits of their groups (see groupCommit).
type Metrics struct {
	deliveries *prometheus.CounterVec
	commits    prometheus.Histogram
}

// commitBuckets spans a commit on a fast local disk (well under a
// millisecond) to one stalled by its storage for seconds.
var commitBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}

// NewMetrics registers the webhook metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imagebot_webhook_deliveries_total",
			Help: "Webhook deliveries received, by event and result.",
		}, []string{"event", "result"}),
		commits: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "imagebot_webhook_commit_seconds",
			Help:    "Time one group of concurrent deliveries took to commit its records, state and jobs in one transaction; each delivery is answered only after it.",
			Buckets: commitBuckets,
		}),
	}
	reg.MustRegister(m.deliveries, m.commits)
	return m
}

func (m *Metrics) observe(event, result string) {
	if event == "" {
		event = "unknown"
	}
	m.deliveries.WithLabelValues(event, result).Inc()
}

func (m *Metrics) observeCommit(d time.Duration) {
	m.commits.Observe(d.Seconds())
}
