package review

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts checked heads by conclusion and the GitHub writes they
// caused, and times the checks.
type Metrics struct {
	checked  *prometheus.CounterVec
	writes   prometheus.Counter
	duration prometheus.Histogram
}

// NewMetrics registers the workflow's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		checked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imagebot_pull_request_checks_total", Help: "Pull request heads checked, by overall conclusion.",
		}, []string{"conclusion"}),
		writes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "imagebot_pull_request_writes_total", Help: "GitHub writes (Check Runs, annotation batches, comments) made for pull requests.",
		}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "imagebot_pull_request_check_seconds", Help: "Time to check one pull request head, fetching included.",
			Buckets: prometheus.ExponentialBuckets(0.05, 2, 10),
		}),
	}
	reg.MustRegister(m.checked, m.writes, m.duration)
	return m
}

func (m *Metrics) observe(o outcome, d time.Duration) {
	if m == nil {
		return
	}
	m.checked.WithLabelValues(string(o.conclusion)).Inc()
	m.writes.Add(float64(o.writes))
	m.duration.Observe(d.Seconds())
}
