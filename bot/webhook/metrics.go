package webhook

import "github.com/prometheus/client_golang/prometheus"

// Metrics counts deliveries by event and result (accepted, duplicate,
// ignored, invalid, bad_signature, malformed, too_large, busy, queue_full, error, ping).
type Metrics struct {
	deliveries *prometheus.CounterVec
}

// NewMetrics registers the webhook metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "imagebot_webhook_deliveries_total",
		Help: "Webhook deliveries received, by event and result.",
	}, []string{"event", "result"})}
	reg.MustRegister(m.deliveries)
	return m
}

func (m *Metrics) observe(event, result string) {
	if event == "" {
		event = "unknown"
	}
	m.deliveries.WithLabelValues(event, result).Inc()
}
