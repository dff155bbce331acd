package githubapp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Limits keeps what GitHub's rate limits ask of each installation where
// every replica of the App sees it (the store's database).
type Limits interface {
	// Turn runs fn as the installation's only turn among every process
	// sharing the limits; fn makes one call. What fn records through t is
	// kept when fn returns nil.
	Turn(ctx context.Context, installation int64, fn func(ctx context.Context, t Turn) error) error
}

// Turn is one call's turn at an installation.
type Turn interface {
	// PausedUntil is when the installation's pause ends; zero when it was
	// never paused.
	PausedUntil() time.Time
	// Pause pauses the installation's calls until until, never shortening
	// a pause.
	Pause(ctx context.Context, until time.Time) error
	// NthLatestWrite returns the time of the installation's n-th most recent
	// content-creating request; ok is false when fewer were recorded.
	NthLatestWrite(ctx context.Context, n int) (at time.Time, ok bool, err error)
	// RecordWrite records a content-creating request sent at at, and
	// forgets those sent before forgetBefore.
	RecordWrite(ctx context.Context, at, forgetBefore time.Time) error
}

// WriteLimit allows at most Count content-creating requests in any Window.
type WriteLimit struct {
	Count  int
	Window time.Duration
}

// GitHubWriteLimits are GitHub's documented secondary rate limits on
// content-creating requests: no more than 80 per minute and no more than 500
// per hour.
var GitHubWriteLimits = []WriteLimit{{Count: 80, Window: time.Minute}, {Count: 500, Window: time.Hour}}

// InstallationPausedError is a call that an installation's limits kept from
// being sent: the installation is paused because GitHub answered one of its
// calls (in this process or another) with a rate limit, or, when Paced,
// sending it now would exceed the write limits. RetryAfter reads the wait
// from it; the call may be made after Until.
type InstallationPausedError struct {
	Installation int64
	Until        time.Time
	Paced        bool
}

func (e *InstallationPausedError) Error() string {
	if e.Paced {
		return fmt.Sprintf("github: installation %d has made as many content-creating requests as GitHub allows for now; the next may go at %s",
			e.Installation, e.Until.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("github: installation %d is paused by a rate limit until %s", e.Installation, e.Until.UTC().Format(time.RFC3339))
}

// installationLimits returns middleware that applies installation's limits
// to every call through it, following GitHub's advice on rate limits:
//   - the installation's calls are made one at a time, in this process (a
//     lock per installation) and across replicas (limits' turn), so that a
//     rate limit reaches no call already on its way;
//   - a call of a paused installation is not sent: it fails at once with an
//     *InstallationPausedError naming the pause's end;
//   - a content-creating request (POST, PATCH, PUT, DELETE) that would
//     exceed a write limit is not sent either: it fails with a Paced
//     *InstallationPausedError naming when it may go; otherwise it is
//     recorded as sent;
//   - a *RateLimitedError answer (see rateLimits), other than to the App's
//     own /app calls, pauses the installation until GitHub's wait is over.
//
// An error of limits' turn is returned as the call's error.
func installationLimits(installation int64, limits Limits, writeLimits []WriteLimit, turns *localTurns, now func() time.Time, next http.RoundTripper) http.RoundTripper {
	var longest time.Duration
	for _, l := range writeLimits {
		longest = max(longest, l.Window)
	}
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx := req.Context()
		leave, err := turns.enter(ctx, installation)
		if err != nil {
			return nil, err
		}
		defer leave()
		var resp *http.Response
		var callErr error
		err = limits.Turn(ctx, installation, func(ctx context.Context, t Turn) error {
			at := now()
			if until := t.PausedUntil(); until.After(at) {
				callErr = &InstallationPausedError{Installation: installation, Until: until}
				return nil
			}
			if contentCreating(req.Method) {
				wait, err := writeWait(ctx, t, writeLimits, at)
				if err != nil {
					return err
				}
				if wait > 0 {
					callErr = &InstallationPausedError{Installation: installation, Until: at.Add(wait), Paced: true}
					return nil
				}
				if err := t.RecordWrite(ctx, at, at.Add(-longest)); err != nil {
					return err
				}
			}
			resp, callErr = next.RoundTrip(req)
			var limited *RateLimitedError
			if errors.As(callErr, &limited) && !strings.HasPrefix(limited.Route, "/app") {
				answered := now()
				return t.Pause(ctx, answered.Add(limited.wait(answered)))
			}
			return nil
		})
		if err != nil {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, fmt.Errorf("github: installation %d: %w", installation, err)
		}
		return resp, callErr
	})
}

// contentCreating reports whether a request of method counts against
// GitHub's content-creation limits.
func contentCreating(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

// writeWait returns how long from at a content-creating request must wait so
// that no limit sees more than its Count requests in any of its Windows: for
// each limit, until the Count-th latest request leaves the window.
func writeWait(ctx context.Context, t Turn, limits []WriteLimit, at time.Time) (time.Duration, error) {
	var wait time.Duration
	for _, l := range limits {
		oldest, ok, err := t.NthLatestWrite(ctx, l.Count)
		if err != nil {
			return 0, err
		}
		if ok {
			wait = max(wait, oldest.Add(l.Window).Sub(at))
		}
	}
	return wait, nil
}

// localTurns lets one call per installation through at a time in this
// process, so that a process waits for an installation's turn in memory
// rather than on the database.
type localTurns struct {
	mu    sync.Mutex
	turns map[int64]chan struct{}
}

// enter waits for the installation's turn, or for ctx to end; leave ends the
// turn.
func (l *localTurns) enter(ctx context.Context, installation int64) (leave func(), err error) {
	l.mu.Lock()
	if l.turns == nil {
		l.turns = map[int64]chan struct{}{}
	}
	turn, ok := l.turns[installation]
	if !ok {
		turn = make(chan struct{}, 1)
		l.turns[installation] = turn
	}
	l.mu.Unlock()
	select {
	case turn <- struct{}{}:
		return func() { <-turn }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
