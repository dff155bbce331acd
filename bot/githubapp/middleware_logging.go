package githubapp

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/imagebot/imagebot/bot/joblog"
)

// Logging returns middleware that writes one debug line to logger per call
// that passes through it, after the response headers arrive: "github call"
// with method, route (the path template, see route), status (0 when no
// response came, with err), duration and request_id (X-GitHub-Request-Id,
// the id GitHub support asks for). A call made in a job logs to the job's
// logger (see joblog), so that its line names what the job acts on. It
// never writes request or response headers or bodies, so neither
// credentials nor tokens reach the log.
func Logging(logger *slog.Logger) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			logger := joblog.From(req.Context(), logger)
			if !logger.Enabled(req.Context(), slog.LevelDebug) {
				return next.RoundTrip(req)
			}
			start := time.Now()
			resp, err := next.RoundTrip(req)
			attrs := []slog.Attr{
				slog.String("method", req.Method),
				slog.String("route", route(req.URL.Path)),
			}
			if err != nil {
				attrs = append(attrs, slog.Int("status", 0), slog.Duration("duration", time.Since(start)), slog.String("err", err.Error()))
			} else {
				attrs = append(attrs, slog.Int("status", resp.StatusCode), slog.Duration("duration", time.Since(start)),
					slog.String("request_id", resp.Header.Get("X-GitHub-Request-Id")))
			}
			logger.LogAttrs(req.Context(), slog.LevelDebug, "github call", attrs...)
			return resp, err
		})
	}
}
