package githubapp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/google/go-github/v60/github"
)

// defaultSecondaryWait is how long GitHub asks clients to wait after a
// secondary rate limit that names no time: "at least one minute".
const defaultSecondaryWait = time.Minute

// RateLimitedError is a response in which GitHub refused a call for a rate
// limit. The client's transport returns it as the call's error in place of
// the response, and never retries the call; RetryAfter reads the wait from
// it.
type RateLimitedError struct {
	Method string
	Route  string // the path template, as the metrics label it
	Status int    // 403 or 429
	// Primary is true when the hourly quota is spent (X-RateLimit-Remaining:
	// 0), false for a secondary limit.
	Primary bool
	// Reset is when calls may resume, from X-RateLimit-Reset; zero when
	// GitHub sent a relative wait instead.
	Reset time.Time
	// RetryAfter is the wait counted from the response, used when Reset is
	// zero: the Retry-After header, or one minute when GitHub named no time.
	RetryAfter time.Duration
	Message    string // GitHub's message, if its body had one
}

func (e *RateLimitedError) Error() string {
	kind := "secondary"
	if e.Primary {
		kind = "primary"
	}
	msg := fmt.Sprintf("github: %s %s: %d: %s rate limit", e.Method, e.Route, e.Status, kind)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// wait is how long from now the error asks callers to wait, never negative.
func (e *RateLimitedError) wait(now time.Time) time.Duration {
	if e.Reset.IsZero() {
		return e.RetryAfter
	}
	return max(e.Reset.Sub(now), 0)
}

// rateLimits returns middleware that classifies GitHub's rate-limit
// answers, following GitHub's own rules, and returns each as a
// *RateLimitedError instead of the response (whose body it closes):
//   - 403 or 429 with Retry-After: a secondary limit; wait that many seconds;
//   - 403 or 429 with X-RateLimit-Remaining: 0: the primary limit; wait
//     until X-RateLimit-Reset;
//   - 429 otherwise: a secondary limit; wait until X-RateLimit-Reset when
//     it is given, else one minute.
//
// Every other response passes through untouched. Nothing is retried: the
// caller decides, with RetryAfter.
func rateLimits(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		limited := classifyRateLimit(resp)
		if limited == nil {
			return resp, nil
		}
		limited.Method, limited.Route = req.Method, route(req.URL.Path)
		limited.Message = errorMessage(resp.Body)
		resp.Body.Close()
		return nil, limited
	})
}

// classifyRateLimit applies rateLimits' rules to a response; nil means the
// response is not a rate limit.
func classifyRateLimit(resp *http.Response) *RateLimitedError {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return nil
	}
	h := resp.Header
	e := &RateLimitedError{Status: resp.StatusCode}
	reset, hasReset := unixHeader(h.Get("X-RateLimit-Reset"))
	switch seconds, err := strconv.ParseInt(h.Get("Retry-After"), 10, 64); {
	case err == nil && seconds >= 0:
		e.RetryAfter = time.Duration(seconds) * time.Second
	case h.Get("X-RateLimit-Remaining") == "0" && hasReset:
		e.Primary, e.Reset = true, reset
	case resp.StatusCode == http.StatusTooManyRequests && hasReset:
		e.Reset = reset
	case resp.StatusCode == http.StatusTooManyRequests:
		e.RetryAfter = defaultSecondaryWait
	default:
		return nil
	}
	return e
}

func unixHeader(v string) (time.Time, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// errorMessage reads GitHub's {"message": …} from an error body, reading at
// most 64 KiB.
func errorMessage(body io.Reader) string {
	var b struct {
		Message string `json:"message"`
	}
	_ = json.NewDecoder(io.LimitReader(body, 64<<10)).Decode(&b)
	return b.Message
}

// RetryAfter reports whether err is a GitHub rate limit and, if so, how long
// from now to wait before calling again. See RetryAfterAt.
func RetryAfter(err error) (time.Duration, bool) { return RetryAfterAt(err, time.Now()) }

// RetryAfterAt is RetryAfter with the current time given. It recognises,
// anywhere in err's chain:
//   - *RateLimitedError, which this package's transport returns: the time
//     left until its Reset, or its RetryAfter;
//   - go-github's *github.RateLimitError (the primary limit; go-github also
//     returns it without calling when it already knows the quota is spent):
//     the time left until Rate.Reset;
//   - go-github's *github.AbuseRateLimitError (a secondary limit): its
//     response's headers read by rateLimits' rules, else its RetryAfter,
//     else one minute;
//   - *InstallationPausedError, a call kept back by its installation's
//     pause or write limits: the time left until its Until.
//
// A wait is never negative.
func RetryAfterAt(err error, now time.Time) (time.Duration, bool) {
	var limited *RateLimitedError
	var paused *InstallationPausedError
	var primary *github.RateLimitError
	var secondary *github.AbuseRateLimitError
	switch {
	case errors.As(err, &limited):
		return limited.wait(now), true
	case errors.As(err, &paused):
		return max(paused.Until.Sub(now), 0), true
	case errors.As(err, &primary):
		return max(primary.Rate.Reset.Sub(now), 0), true
	case errors.As(err, &secondary):
		if secondary.Response != nil {
			if e := classifyRateLimit(secondary.Response); e != nil {
				return e.wait(now), true
			}
		}
		if secondary.RetryAfter != nil {
			return max(*secondary.RetryAfter, 0), true
		}
		return defaultSecondaryWait, true
	}
	return 0, false
}
