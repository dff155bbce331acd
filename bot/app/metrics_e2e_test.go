package app

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/imagebot/imagebot/internal/testregistry"
)

// scrape reads /metrics as Prometheus does.
func (w *world) scrape() map[string]*dto.MetricFamily {
	w.t.Helper()
	resp, err := http.Get(w.srv.URL + "/metrics")
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		w.t.Fatalf("parse /metrics: %v", err)
	}
	return families
}

// labelled finds the series of a family whose labels include want.
func labelled(f *dto.MetricFamily, want map[string]string) *dto.Metric {
	for _, m := range f.GetMetric() {
		ok := true
		for k, v := range want {
			found := false
			for _, l := range m.GetLabel() {
				found = found || (l.GetName() == k && l.GetValue() == v)
			}
			ok = ok && found
		}
		if ok {
			return m
		}
	}
	return nil
}

// TestMetrics scrapes /metrics after a merge whose rollout is followed and
// asserts each family operators watch.
func TestMetrics(t *testing.T) {
	w := newWorld(t, testregistry.InProcess(t), func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
	before := w.scrape()
	if f := before["imagebot_github_rate_limit_remaining"]; f != nil && labelled(f, map[string]string{"installation": "42"}) != nil {
		t.Errorf("the rate limit of installation 42 is reported before GitHub answered one of its calls")
	}
	number, sha := w.merge("one", "A change")
	w.eventually(time.Minute, "the rollout comment", func() bool { return w.comment(number) != "" })
	w.build(sha, "completed", "success", 0)
	// The rollout's poll waits in the queue between its rounds; scrape then.
	var families map[string]*dto.MetricFamily
	w.eventually(time.Minute, "the build seen, and the poll waiting", func() bool {
		families = w.scrape()
		stages, depth := families["imagebot_rollout_stage_seconds"], families["imagebot_queue_depth"]
		return stages != nil && labelled(stages, map[string]string{"stage": "built"}) != nil &&
			depth != nil && labelled(depth, map[string]string{"kind": "rollout_poll"}) != nil
	})
	// The fake GitHub sends X-RateLimit-Remaining only with a rate limit:
	// the quota stays unknown, and so unreported (githubapp's tests cover
	// a known one).
	if f := families["imagebot_github_rate_limit_remaining"]; f != nil && labelled(f, map[string]string{"installation": "42"}) != nil {
		t.Errorf("installation 42's rate limit is reported, but GitHub never said it")
	}
	for _, tt := range []struct {
		name   string
		kind   dto.MetricType
		labels map[string]string
		check  func(*dto.Metric) bool
	}{
		{"imagebot_rollouts", dto.MetricType_GAUGE, map[string]string{"stage": "built"}, func(m *dto.Metric) bool { return m.GetGauge().GetValue() == 1 }},
		{"imagebot_rollouts", dto.MetricType_GAUGE, map[string]string{"stage": "live"}, func(m *dto.Metric) bool { return m.GetGauge().GetValue() == 0 }},
		{"imagebot_rollout_stage_seconds", dto.MetricType_HISTOGRAM, map[string]string{"stage": "built"}, func(m *dto.Metric) bool { return m.GetHistogram().GetSampleCount() == 1 }},
		{"imagebot_queue_depth", dto.MetricType_GAUGE, map[string]string{"kind": "rollout_poll"}, func(m *dto.Metric) bool { return m.GetGauge().GetValue() == 1 }},
		{"imagebot_job_wait_seconds", dto.MetricType_HISTOGRAM, map[string]string{"kind": "rollout_poll"}, func(m *dto.Metric) bool { return m.GetHistogram().GetSampleCount() > 0 }},
		{"imagebot_job_duration_seconds", dto.MetricType_HISTOGRAM, map[string]string{"kind": "rollout_poll", "result": "snoozed"}, func(m *dto.Metric) bool { return m.GetHistogram().GetSampleCount() > 0 }},
		{"imagebot_webhook_deliveries_total", dto.MetricType_COUNTER, map[string]string{"event": "pull_request", "result": "accepted"}, func(m *dto.Metric) bool { return m.GetCounter().GetValue() == 1 }},
		{"imagebot_webhook_commit_seconds", dto.MetricType_HISTOGRAM, nil, func(m *dto.Metric) bool { return m.GetHistogram().GetSampleCount() > 0 }},
		{"imagebot_github_requests_total", dto.MetricType_COUNTER, map[string]string{"status": "200"}, func(m *dto.Metric) bool { return m.GetCounter().GetValue() > 0 }},
	} {
		f := families[tt.name]
		if f == nil {
			t.Errorf("/metrics has no %s", tt.name)
			continue
		}
		if f.GetType() != tt.kind {
			t.Errorf("%s is a %s, want a %s", tt.name, f.GetType(), tt.kind)
		}
		m := labelled(f, tt.labels)
		if m == nil || !tt.check(m) {
			t.Errorf("%s%v = %v: not as expected", tt.name, tt.labels, m)
		}
	}
}
