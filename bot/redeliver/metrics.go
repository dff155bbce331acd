package redeliver

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts what the sweep recovered.
type Metrics struct {
	redeliveries *prometheus.CounterVec
}

// NewMetrics registers imagebot_webhook_redeliveries_total{event}, the
// redeliveries the sweep asked GitHub for, by event, with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{redeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "imagebot_webhook_redeliveries_total",
		Help: "Failed webhook deliveries that imagebot never received and asked GitHub to deliver again, by event.",
	}, []string{"event"})}
	reg.MustRegister(m.redeliveries)
	return m
}

func (m *Metrics) redelivered(event string) {
	if m != nil {
		m.redeliveries.WithLabelValues(event).Inc()
	}
}
