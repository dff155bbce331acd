package fakegithub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestFailFiresExactlyTimes(t *testing.T) {
	past := fmt.Sprint(time.Now().Add(-time.Minute).Unix())
	for _, tc := range []struct {
		name      string
		status    int
		header    http.Header
		times     int
		wantError func(error) bool
		wantHead  string // a header of the failed responses, "name: value"
	}{
		{
			name: "bad gateway twice", status: http.StatusBadGateway, times: 2,
			wantError: func(err error) bool { var e *github.ErrorResponse; return errors.As(err, &e) },
		},
		{
			name: "primary rate limit", status: http.StatusForbidden, times: 1,
			header:    http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {past}},
			wantError: func(err error) bool { var e *github.RateLimitError; return errors.As(err, &e) },
			wantHead:  "X-Ratelimit-Reset: " + past,
		},
		{
			name: "too many requests", status: http.StatusTooManyRequests, times: 3,
			header:    http.Header{"Retry-After": {"7"}},
			wantError: func(err error) bool { var e *github.ErrorResponse; return errors.As(err, &e) },
			wantHead:  "Retry-After: 7",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.s.Fail("issues/create-comment", tc.times, tc.status, tc.header)
			var statuses []int
			for i := 0; i <= tc.times; i++ {
				_, resp, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("hi")})
				statuses = append(statuses, statusOf(resp))
				if i == tc.times {
					must(t, err)
					continue
				}
				if !tc.wantError(err) {
					t.Errorf("call %d: error %T %v", i+1, err, err)
				}
				if tc.wantHead != "" {
					name, value := splitHeader(tc.wantHead)
					equal(t, "header "+name, resp.Header.Get(name), value)
				}
			}
			want := make([]int, tc.times, tc.times+1)
			for i := range want {
				want[i] = tc.status
			}
			equal(t, "statuses", statuses, append(want, http.StatusCreated))
			equal(t, "comments stored", len(w.s.Comments(worldRepo, w.pr)), 1)
			equal(t, "writes recorded", len(w.s.Writes()), tc.times+1)
		})
	}
}

func splitHeader(h string) (string, string) {
	for i := range h {
		if h[i] == ':' {
			return h[:i], h[i+2:]
		}
	}
	return h, ""
}

func TestDelay(t *testing.T) {
	w := newWorld(t)
	const d = 150 * time.Millisecond
	w.s.Delay("repos/get", d)
	start := time.Now()
	_, err := getWorldRepo(w, w.c)
	must(t, err)
	if elapsed := time.Since(start); elapsed < d {
		t.Errorf("delayed call took %v, want at least %v", elapsed, d)
	}

	ctx, cancel := context.WithTimeout(w.ctx, 20*time.Millisecond)
	defer cancel()
	_, _, err = w.c.Repositories.Get(ctx, worldOwner, worldName)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("call with a short deadline: %v, want deadline exceeded", err)
	}

	w.s.Delay("repos/get", 0)
	start = time.Now()
	_, err = getWorldRepo(w, w.c)
	must(t, err)
	if elapsed := time.Since(start); elapsed >= d {
		t.Errorf("undelayed call took %v", elapsed)
	}
}

func TestFaultsNameKnownOperations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		inject func(s *Server)
	}{
		{name: "Fail", inject: func(s *Server) { s.Fail("checks/create-run", 1, 502, nil) }},
		{name: "Delay", inject: func(s *Server) { s.Delay("checks/create-run", time.Second) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			s := New(rec)
			rec.captureFatal = true
			if !catchFatal(func() { tc.inject(s) }) {
				t.Fatal("an unknown operation was accepted")
			}
			equal(t, "reports", rec.reported(), []string{`fakegithub: GitHub's REST description has no operation "checks/create-run"`})
		})
	}
}

func TestFailAfterHandlingCarriesTheWriteOut(t *testing.T) {
	w := newWorld(t)
	w.s.FailAfterHandling("issues/create-comment", 1, http.StatusBadGateway)
	_, resp, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("hi")})
	if err == nil || statusOf(resp) != http.StatusBadGateway {
		t.Fatalf("create: %v, want a 502", err)
	}
	equal(t, "comments after the failed create", len(w.s.Comments(w.repo.FullName(), w.pr)), 1)
	_, _, err = w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("again")})
	must(t, err)
	equal(t, "comments", len(w.s.Comments(w.repo.FullName(), w.pr)), 2)
}

func TestInjectedSecondaryLimitHoldsTheInstallation(t *testing.T) {
	w := newWorld(t)
	w.s.InjectFaults(Faults{SecondaryLimits: 1, RetryAfter: time.Second})
	_, resp, err := w.c.Repositories.Get(w.ctx, worldOwner, worldName)
	if err == nil || statusOf(resp) != http.StatusForbidden || resp.Header.Get("Retry-After") != "1" {
		t.Fatalf("first call: %v (status %d), want a secondary limit with Retry-After: 1", err, statusOf(resp))
	}
	w.s.InjectFaults(Faults{})
	// Until Retry-After has passed, the installation's calls are refused and recorded.
	if _, _, err := w.c.Repositories.Get(w.ctx, worldOwner, worldName); err == nil {
		t.Error("a call during the rate limit succeeded")
	}
	during := w.s.CallsDuringRateLimit()
	if len(during) != 1 || during[0].Installation != installation || !during[0].RateLimited {
		t.Errorf("calls during the rate limit: %+v", during)
	}
	// The App's own calls are not the installation's.
	_, _, err = w.appClient(t).Apps.GetInstallation(w.ctx, installation)
	must(t, err)
	time.Sleep(time.Second)
	_, _, err = w.c.Repositories.Get(w.ctx, worldOwner, worldName)
	must(t, err)
	equal(t, "calls during the rate limit", len(w.s.CallsDuringRateLimit()), 1)
}

func TestInjectedServerErrorsAreDrawn(t *testing.T) {
	w := newWorld(t)
	w.s.InjectFaults(Faults{ServerErrors: 0.5, Seed: 7})
	failed := 0
	for range 200 {
		if _, _, err := w.c.Repositories.Get(w.ctx, worldOwner, worldName); err != nil {
			failed++
		}
	}
	if failed < 70 || failed > 130 {
		t.Errorf("%d of 200 calls failed at a 50%% rate", failed)
	}
}
