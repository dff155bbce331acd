package hubapi

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// spawnMetric is the name, after the hub's prefix, of the histogram of
// spawn durations that JupyterHub labels by outcome (status).
const spawnMetric = "_server_spawn_duration_seconds"

// Spawns counts a hub's spawns by outcome since the hub started: its
// counters, which only grow until the hub restarts.
type Spawns struct {
	Success int // status="success"
	Failure int // status="failure"
}

// Spawns reads the spawn counters from the hub's /hub/metrics with token,
// which needs the scope read:metrics. prefix is the metrics' name prefix,
// "jupyterhub" unless the hub renames them.
func (c *Client) Spawns(ctx context.Context, base, token, prefix string) (Spawns, error) {
	body, err := c.get(ctx, base, "/hub/metrics", token, maxMetricsBody)
	if err != nil {
		return Spawns{}, err
	}
	s, err := ParseSpawns(bytes.NewReader(body), prefix)
	if err != nil {
		return Spawns{}, fmt.Errorf("the hub at %s: %w", base, err)
	}
	return s, nil
}

// ParseSpawns reads the spawn counters from a metrics page in Prometheus's
// text format: <prefix>_server_spawn_duration_seconds, a histogram whose
// sample count per status label counts spawns; a page that declares no
// type for it gives the same counts as <prefix>_server_spawn_duration_seconds_count
// samples. A page without the metric is an error that names it, since the
// prefix is probably wrong.
func ParseSpawns(r io.Reader, prefix string) (Spawns, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(r)
	if err != nil {
		return Spawns{}, fmt.Errorf("its /hub/metrics is not in Prometheus's text format: %w", err)
	}
	name := prefix + spawnMetric
	var s Spawns
	found := false
	count := func(m *dto.Metric, v float64) error {
		if math.IsNaN(v) || v < 0 || v > math.MaxInt32 {
			return fmt.Errorf("its /hub/metrics counts %v spawns, which is no count", v)
		}
		switch label(m, "status") {
		case "success":
			s.Success += int(v)
		case "failure":
			s.Failure += int(v)
		}
		return nil
	}
	if f, ok := families[name]; ok && f.GetType() == dto.MetricType_HISTOGRAM {
		found = true
		for _, m := range f.GetMetric() {
			if err := count(m, float64(m.GetHistogram().GetSampleCount())); err != nil {
				return Spawns{}, err
			}
		}
	}
	if f, ok := families[name+"_count"]; ok && !found {
		found = true
		for _, m := range f.GetMetric() {
			if err := count(m, value(m)); err != nil {
				return Spawns{}, err
			}
		}
	}
	if !found {
		return Spawns{}, fmt.Errorf("its /hub/metrics has no %s: check the metrics prefix (%q) in imagebot's configuration", name, prefix)
	}
	return s, nil
}

// label returns the value of a metric's label, or "".
func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// value returns the value of a counter, gauge or untyped sample.
func value(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.GetCounter().GetValue()
	case m.Gauge != nil:
		return m.GetGauge().GetValue()
	}
	return m.GetUntyped().GetValue()
}
