package githubapp

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics measures the App's REST calls: every request its transport sends,
// installation-token requests included.
type Metrics struct {
	calls     *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	remaining *prometheus.GaugeVec
}

// NewMetrics registers the GitHub client metrics with reg:
//   - imagebot_github_requests_total{method, route, status}: calls, by HTTP
//     method, path template (see route: never an owner, repository, number,
//     ref or file path) and status code, or "error" when no response came;
//   - imagebot_github_request_duration_seconds{method, route}: the time from
//     sending a request to receiving its response headers;
//   - imagebot_github_rate_limit_remaining{installation}: the
//     X-RateLimit-Remaining of the last response to an installation's call
//     that carried one, by installation id ("app" for the App's own /app
//     calls, installation-token requests included). An installation has no
//     value until GitHub has answered one of its calls with the header, rather
//     than a 0 that would read as an exhausted quota.
//
// It panics if reg already holds metrics of these names, as MustRegister does.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "imagebot_github_requests_total",
			Help: "GitHub REST calls, by method, path template and status code (\"error\" when no response came).",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "imagebot_github_request_duration_seconds",
			Help:    "Time from sending a GitHub REST call to receiving its response headers.",
			Buckets: prometheus.ExponentialBuckets(0.025, 2, 10),
		}, []string{"method", "route"}),
		remaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "imagebot_github_rate_limit_remaining",
			Help: "X-RateLimit-Remaining of the last GitHub response that carried it, by installation (\"app\" for the App's own calls); absent until GitHub has answered.",
		}, []string{"installation"}),
	}
	reg.MustRegister(m.calls, m.latency, m.remaining)
	return m
}

// Middleware counts and times each call that passes through next; it
// changes nothing about the call.
func (m *Metrics) Middleware(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		start := time.Now()
		resp, err := next.RoundTrip(req)
		r := route(req.URL.Path)
		m.latency.WithLabelValues(req.Method, r).Observe(time.Since(start).Seconds())
		if err != nil {
			m.calls.WithLabelValues(req.Method, r, "error").Inc()
			return resp, err
		}
		m.calls.WithLabelValues(req.Method, r, strconv.Itoa(resp.StatusCode)).Inc()
		if n, err := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining")); err == nil {
			if who := quotaOwner(req, r); who != "" {
				m.remaining.WithLabelValues(who).Set(float64(n))
			}
		}
		return resp, nil
	})
}

// quotaOwner names whose quota a call's X-RateLimit-Remaining counts: "app"
// for the App's own /app calls, else the installation the call was made for,
// or "" when that is unknown.
func quotaOwner(req *http.Request, route string) string {
	if route == "/app" || strings.HasPrefix(route, "/app/") {
		return "app"
	}
	if id, ok := req.Context().Value(installationKey{}).(int64); ok {
		return strconv.FormatInt(id, 10)
	}
	return ""
}

// installationKey marks a request context with the installation whose
// client made the call.
type installationKey struct{}

// forInstallation returns middleware that marks each request's context with
// installation, for the middleware beneath to read.
func forInstallation(installation int64, next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		return next.RoundTrip(req.WithContext(context.WithValue(req.Context(), installationKey{}, installation)))
	})
}
