package githubapp

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// now is the test's present; fault headers are relative to it.
var now = time.Unix(1_900_000_000, 0)

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestRateLimitedCalls(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   int
		header   http.Header
		want     *RateLimitedError // nil: not a rate limit
		wantWait time.Duration
	}{
		{
			name:   "primary: quota spent",
			status: http.StatusForbidden,
			header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {unix(now.Add(90 * time.Second))}},
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 403, Primary: true,
				Reset: now.Add(90 * time.Second), Message: "Forbidden"},
			wantWait: 90 * time.Second,
		},
		{
			name:   "primary, reset already passed",
			status: http.StatusForbidden,
			header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {unix(now.Add(-time.Second))}},
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 403, Primary: true,
				Reset: now.Add(-time.Second), Message: "Forbidden"},
			wantWait: 0,
		},
		{
			name:   "secondary: 429 with Retry-After",
			status: http.StatusTooManyRequests,
			header: http.Header{"Retry-After": {"30"}},
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 429,
				RetryAfter: 30 * time.Second, Message: "Too Many Requests"},
			wantWait: 30 * time.Second,
		},
		{
			name:   "secondary: 403 with Retry-After, which wins over X-RateLimit-Remaining",
			status: http.StatusForbidden,
			header: http.Header{"Retry-After": {"45"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {unix(now.Add(time.Hour))}},
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 403,
				RetryAfter: 45 * time.Second, Message: "Forbidden"},
			wantWait: 45 * time.Second,
		},
		{
			name:   "secondary: 429 with only X-RateLimit-Reset",
			status: http.StatusTooManyRequests,
			header: http.Header{"X-Ratelimit-Reset": {unix(now.Add(2 * time.Minute))}},
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 429,
				Reset: now.Add(2 * time.Minute), Message: "Too Many Requests"},
			wantWait: 2 * time.Minute,
		},
		{
			name:   "secondary: bare 429 waits a minute, as GitHub asks",
			status: http.StatusTooManyRequests,
			want: &RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 429,
				RetryAfter: time.Minute, Message: "Too Many Requests"},
			wantWait: time.Minute,
		},
		{name: "403 without rate-limit headers is a permission error", status: http.StatusForbidden},
		{name: "502 is not a rate limit", status: http.StatusBadGateway},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			gh := installation(t, a.creator(t, Config{}))
			a.srv.Fail("checks/create", 1, tc.status, tc.header)
			_, resp, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "lockfile-present", HeadSHA: a.head})
			if err == nil {
				t.Fatal("the call succeeded")
			}
			if n := a.calls("checks/create"); n != 1 {
				t.Errorf("checks/create was called %d times, want 1: the transport must not retry", n)
			}
			var got *RateLimitedError
			errors.As(err, &got)
			if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
				t.Errorf("rate-limit error %#v, want %#v", got, tc.want)
			}
			wait, limited := RetryAfterAt(err, now)
			if limited != (tc.want != nil) || wait != tc.wantWait {
				t.Errorf("RetryAfterAt = %s, %t; want %s, %t", wait, limited, tc.wantWait, tc.want != nil)
			}
			if tc.want == nil {
				var apiErr *github.ErrorResponse
				if !errors.As(err, &apiErr) || resp.StatusCode != tc.status {
					t.Errorf("error %T %v, want go-github's ErrorResponse with status %d", err, err, tc.status)
				}
			}
			if Transient(err) != (tc.status >= 500) {
				t.Errorf("Transient = %t for status %d", Transient(err), tc.status)
			}
		})
	}
}

func TestRateLimitedError(t *testing.T) {
	for _, tc := range []struct {
		err  *RateLimitedError
		want string
	}{
		{&RateLimitedError{Method: "POST", Route: "/repos/{owner}/{repo}/check-runs", Status: 403, Primary: true, Message: "API rate limit exceeded"},
			"github: POST /repos/{owner}/{repo}/check-runs: 403: primary rate limit: API rate limit exceeded"},
		{&RateLimitedError{Method: "GET", Route: "/repos/{owner}/{repo}", Status: 429},
			"github: GET /repos/{owner}/{repo}: 429: secondary rate limit"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestRateLimitedTokenRequest(t *testing.T) {
	a := newApp(t)
	gh := installation(t, a.creator(t, Config{}))
	a.srv.Fail("apps/create-installation-access-token", 1, http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}})
	_, _, err := gh.Repositories.Get(ctx, testOwner, testRepo)
	if wait, ok := RetryAfterAt(err, now); !ok || wait != 7*time.Second {
		t.Errorf("RetryAfterAt(%v) = %s, %t; want 7s, true", err, wait, ok)
	}
	if Transient(err) {
		t.Errorf("Transient(%v) = true", err)
	}
	if n := a.calls("repos/get"); n != 0 {
		t.Errorf("repos/get called %d times without a token", n)
	}
	if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
		t.Fatalf("the next call: %v", err)
	}
	if n := a.srv.InstallationTokens(); n != 2 {
		t.Errorf("%d token requests, want 2 (the refused one and the next)", n)
	}
}

func TestRetryAfterGoGitHubErrors(t *testing.T) {
	seconds := func(n int) *time.Duration { d := time.Duration(n) * time.Second; return &d }
	for _, tc := range []struct {
		name     string
		err      error
		want     time.Duration
		wantOkay bool
	}{
		{name: "nil", err: nil},
		{name: "another error", err: errors.New("boom")},
		{
			name:     "primary, as go-github reports it (also without a call, when it knows the quota is spent)",
			err:      &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: now.Add(5 * time.Minute)}}},
			want:     5 * time.Minute,
			wantOkay: true,
		},
		{
			name:     "primary, wrapped by a caller",
			err:      fmt.Errorf("load files: %w", &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: now.Add(time.Second)}}}),
			want:     time.Second,
			wantOkay: true,
		},
		{
			name:     "primary whose reset passed",
			err:      &github.RateLimitError{Rate: github.Rate{Reset: github.Timestamp{Time: now.Add(-time.Hour)}}},
			want:     0,
			wantOkay: true,
		},
		{
			name: "secondary with its response's Retry-After",
			err: &github.AbuseRateLimitError{RetryAfter: seconds(99),
				Response: &http.Response{StatusCode: http.StatusForbidden, Header: http.Header{"Retry-After": {"12"}}}},
			want:     12 * time.Second,
			wantOkay: true,
		},
		{
			name:     "secondary with only go-github's RetryAfter",
			err:      &github.AbuseRateLimitError{RetryAfter: seconds(20), Response: &http.Response{StatusCode: http.StatusForbidden}},
			want:     20 * time.Second,
			wantOkay: true,
		},
		{
			name:     "secondary naming no time",
			err:      &github.AbuseRateLimitError{Response: &http.Response{StatusCode: http.StatusForbidden}},
			want:     time.Minute,
			wantOkay: true,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := RetryAfterAt(tc.err, now)
			if got != tc.want || ok != tc.wantOkay {
				t.Errorf("RetryAfterAt = %s, %t; want %s, %t", got, ok, tc.want, tc.wantOkay)
			}
		})
	}
}

func TestRetryAfterUsesTheClock(t *testing.T) {
	err := &RateLimitedError{Primary: true, Reset: time.Now().Add(time.Hour)}
	got, ok := RetryAfter(err)
	if !ok || got <= 59*time.Minute || got > time.Hour {
		t.Errorf("RetryAfter = %s, %t; want just under an hour", got, ok)
	}
}
