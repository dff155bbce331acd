package githubapp

import (
	"maps"
	"net/http"
	"testing"

	"github.com/google/go-github/v60/github"
	"github.com/prometheus/client_golang/prometheus"
)

func TestMetrics(t *testing.T) {
	a := newApp(t)
	reg := prometheus.NewRegistry()
	st := &stamp{}
	cc := a.creator(t, Config{
		BaseURL:    a.srv.URL() + "api/v3/",
		Middleware: []func(http.RoundTripper) http.RoundTripper{NewMetrics(reg).Middleware, st.middleware},
	})
	gh := installation(t, cc)
	appGH, _ := cc.NewAppClient()
	if got := gather(t, reg); len(got.remaining) != 0 {
		t.Errorf("rate limit remaining %v before any call, want no value", got.remaining)
	}

	// Responses, in order, with the X-RateLimit-Remaining each carries:
	// token 4999, repos/get 4998 and 4997, the rate-limited checks/create
	// 0 (its own header), apps/get-installation 4995.
	for i := 0; i < 2; i++ {
		if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
			t.Fatal(err)
		}
	}
	a.srv.Fail("checks/create", 1, http.StatusForbidden, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {unix(now)}})
	if _, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "x", HeadSHA: a.head}); err == nil {
		t.Fatal("the rate-limited call succeeded")
	}
	if _, _, err := appGH.Apps.GetInstallation(ctx, testInstallationID); err != nil {
		t.Fatal(err)
	}

	wantCalls := map[string]float64{
		"GET /app/installations/{installation_id} 200":                1,
		"GET /repos/{owner}/{repo} 200":                               2,
		"POST /app/installations/{installation_id}/access_tokens 201": 1,
		"POST /repos/{owner}/{repo}/check-runs 403":                   1,
	}
	got := gather(t, reg)
	if !maps.Equal(got.calls, wantCalls) {
		t.Errorf("calls %v, want %v", got.calls, wantCalls)
	}
	// The token request and apps/get-installation count against the App's
	// quota, the rest against the installation's.
	wantRemaining := map[string]float64{"app": 4995, "77": 0}
	if !maps.Equal(got.remaining, wantRemaining) {
		t.Errorf("rate limit remaining %v, want %v", got.remaining, wantRemaining)
	}
	wantCounts := map[string]uint64{
		"GET /app/installations/{installation_id}":                1,
		"GET /repos/{owner}/{repo}":                               2,
		"POST /app/installations/{installation_id}/access_tokens": 1,
		"POST /repos/{owner}/{repo}/check-runs":                   1,
	}
	if !maps.Equal(got.latencies, wantCounts) {
		t.Errorf("latency observations %v, want %v", got.latencies, wantCounts)
	}
}

func TestMetricsCountTransportErrors(t *testing.T) {
	reg := prometheus.NewRegistry()
	cc, err := NewClientCreator(Config{
		AppID: testAppID, PrivateKey: testPEM(),
		BaseURL:    "http://127.0.0.1:1/", // nothing listens on port 1
		Middleware: []func(http.RoundTripper) http.RoundTripper{NewMetrics(reg).Middleware},
	})
	if err != nil {
		t.Fatal(err)
	}
	appGH, _ := cc.NewAppClient()
	if _, _, err := appGH.Apps.GetInstallation(ctx, testInstallationID); err == nil {
		t.Fatal("a call to a closed port succeeded")
	}
	got := gather(t, reg)
	want := map[string]float64{"GET /app/installations/{installation_id} error": 1}
	if !maps.Equal(got.calls, want) {
		t.Errorf("calls %v, want %v", got.calls, want)
	}
}

// observed is what the GitHub client metrics hold.
type observed struct {
	calls     map[string]float64 // "method route status" → count
	latencies map[string]uint64  // "method route" → observations
	remaining map[string]float64 // installation → X-RateLimit-Remaining
}

func gather(t *testing.T, reg *prometheus.Registry) observed {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := observed{calls: map[string]float64{}, latencies: map[string]uint64{}, remaining: map[string]float64{}}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch f.GetName() {
			case "imagebot_github_requests_total":
				out.calls[labels["method"]+" "+labels["route"]+" "+labels["status"]] = m.GetCounter().GetValue()
			case "imagebot_github_request_duration_seconds":
				out.latencies[labels["method"]+" "+labels["route"]] = m.GetHistogram().GetSampleCount()
			case "imagebot_github_rate_limit_remaining":
				out.remaining[labels["installation"]] = m.GetGauge().GetValue()
			default:
				t.Errorf("unexpected metric %s", f.GetName())
			}
		}
	}
	return out
}
