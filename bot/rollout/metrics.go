package rollout

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics measures rollouts:
//   - imagebot_rollouts{stage}: the rollouts followed now, by the last stage
//     they reached (read from the store at each scrape, so every replica
//     reports the same);
//   - imagebot_rollout_stage_seconds{stage}: the time from the merge to each
//     stage, observed by the replica whose round saw the stage reached.
type Metrics struct {
	stages *prometheus.HistogramVec
	active *prometheus.Desc
	list   ActiveRollouts
}

// NewMetrics registers the rollout metrics with reg.
func NewMetrics(reg prometheus.Registerer, list ActiveRollouts) *Metrics {
	m := &Metrics{
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "imagebot_rollout_stage_seconds", Help: "Time from a pull request's merge until its rollout reached a stage.",
			Buckets: []float64{60, 300, 600, 1800, 3600, 3 * 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600},
		}, []string{"stage"}),
		active: prometheus.NewDesc("imagebot_rollouts", "Rollouts being followed, by the last stage they reached.", []string{"stage"}, nil),
		list:   list,
	}
	reg.MustRegister(m.stages, m)
	return m
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.active }

// Collect implements prometheus.Collector: it counts the active rollouts
// by stage, every stage present (0 when none is there).
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	recs, err := m.list.EveryActiveRollout(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(m.active, err)
		return
	}
	count := map[Stage]int{}
	for _, rec := range recs {
		if r, err := unmarshal(rec.Document); err == nil {
			count[r.Stage()]++
		}
	}
	for _, s := range Stages {
		ch <- prometheus.MustNewConstMetric(m.active, prometheus.GaugeValue, float64(count[s]), string(s))
	}
}

// observe records the stages a round saw reached for the first time.
func (m *Metrics) observe(before map[Stage]time.Time, r *Rollout) {
	if m == nil {
		return
	}
	for s, at := range r.Reached() {
		if _, seen := before[s]; !seen && s != StageMerged {
			m.stages.WithLabelValues(string(s)).Observe(at.Sub(r.MergedAt).Seconds())
		}
	}
}
