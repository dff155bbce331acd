package githubapp

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// memLimits is Limits in memory, for one process.
type memLimits struct {
	mu     sync.Mutex
	paused map[int64]time.Time
	writes map[int64][]time.Time // oldest first
}

func newMemLimits() *memLimits {
	return &memLimits{paused: map[int64]time.Time{}, writes: map[int64][]time.Time{}}
}

func (m *memLimits) Turn(ctx context.Context, installation int64, fn func(ctx context.Context, t Turn) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(ctx, memTurn{m, installation})
}

type memTurn struct {
	m  *memLimits
	id int64
}

func (t memTurn) PausedUntil() time.Time { return t.m.paused[t.id] }

func (t memTurn) Pause(_ context.Context, until time.Time) error {
	if until.After(t.m.paused[t.id]) {
		t.m.paused[t.id] = until
	}
	return nil
}

func (t memTurn) NthLatestWrite(_ context.Context, n int) (time.Time, bool, error) {
	w := t.m.writes[t.id]
	if len(w) < n {
		return time.Time{}, false, nil
	}
	return w[len(w)-n], true, nil
}

func (t memTurn) RecordWrite(_ context.Context, at, forgetBefore time.Time) error {
	w := append(t.m.writes[t.id], at)
	t.m.writes[t.id] = slices.DeleteFunc(w, func(x time.Time) bool { return x.Before(forgetBefore) })
	return nil
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestInstallationPause(t *testing.T) {
	a := newApp(t)
	limits := newMemLimits()
	clk := &clock{t: time.Now()}
	gh := installation(t, a.creator(t, Config{Limits: limits, Now: clk.now, Retry: quickRetry}))
	get := func() error {
		_, _, err := gh.Repositories.Get(ctx, testOwner, testRepo)
		return err
	}
	if err := get(); err != nil {
		t.Fatal(err)
	}
	a.srv.Fail("repos/get", 1, http.StatusForbidden, http.Header{"Retry-After": {"30"}})
	var limited *RateLimitedError
	if err := get(); !errors.As(err, &limited) {
		t.Fatalf("the rate-limited call returned %v", err)
	}
	a.srv.Reset()

	// Every call of the installation now waits, unsent, for the pause's end.
	clk.advance(10 * time.Second)
	err := get()
	var paused *InstallationPausedError
	if !errors.As(err, &paused) || paused.Installation != testInstallationID || paused.Paced {
		t.Fatalf("a call during the pause returned %v", err)
	}
	if wait, ok := RetryAfterAt(err, clk.now()); !ok || wait != 20*time.Second {
		t.Errorf("RetryAfter = %s, %t; want the 20 s left", wait, ok)
	}
	if _, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "x", HeadSHA: a.head}); !errors.As(err, &paused) {
		t.Errorf("a write during the pause returned %v", err)
	}
	if calls := a.srv.Calls(); len(calls) != 0 {
		t.Errorf("%d calls sent during the pause, want none: %v", len(calls), calls)
	}
	clk.advance(20 * time.Second)
	if err := get(); err != nil {
		t.Errorf("after the pause: %v", err)
	}
	// Other installations, and the App's own calls, are not paused.
	appGH, _ := a.creator(t, Config{Limits: limits, Now: clk.now}).NewAppClient()
	limits.paused[testInstallationID] = clk.now().Add(time.Hour)
	if _, _, err := appGH.Apps.GetInstallation(ctx, testInstallationID); err != nil {
		t.Errorf("the App's call during an installation's pause: %v", err)
	}
}

func TestInstallationWritePacing(t *testing.T) {
	a := newApp(t)
	clk := &clock{t: time.Now()}
	gh := installation(t, a.creator(t, Config{Limits: newMemLimits(), Now: clk.now,
		WriteLimits: []WriteLimit{{Count: 2, Window: time.Minute}, {Count: 3, Window: time.Hour}}}))
	create := func() error {
		_, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "x", HeadSHA: a.head})
		return err
	}
	// steps advance the clock, then make a write; wantWait is the wait a
	// paced write is given, 0 when it goes.
	steps := []struct {
		advance  time.Duration
		wantWait time.Duration
	}{
		{0, 0},                               // at 0:00
		{10 * time.Second, 0},                // at 0:10
		{10 * time.Second, 40 * time.Second}, // at 0:20 the minute's two are spent until the first is a minute old
		{40 * time.Second, 0},                // at 1:00, the hour's third
		{50 * time.Minute, 9 * time.Minute},  // at 51:00 the hour's three are spent until the first is an hour old
		{9 * time.Minute, 0},                 // at 60:00
	}
	for i, s := range steps {
		clk.advance(s.advance)
		err := create()
		var paced *InstallationPausedError
		switch {
		case s.wantWait == 0 && err != nil:
			t.Errorf("step %d: %v", i, err)
		case s.wantWait != 0 && !errors.As(err, &paced):
			t.Errorf("step %d: %v, want a paced write", i, err)
		case s.wantWait != 0:
			if got := paced.Until.Sub(clk.now()); !paced.Paced || got != s.wantWait {
				t.Errorf("step %d: paced %t, wait %s; want %s", i, paced.Paced, got, s.wantWait)
			}
		}
	}
	// Reads are not paced.
	if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
		t.Errorf("a read after the writes: %v", err)
	}
	if got := len(a.srv.Writes()); got != 4 {
		t.Errorf("%d writes sent, want 4", got)
	}
}

// TestInstallationCallsOneAtATime makes many calls of one installation at
// once: they must reach GitHub one after another.
func TestInstallationCallsOneAtATime(t *testing.T) {
	a := newApp(t)
	var mu sync.Mutex
	inFlight, most := 0, 0
	count := func(next http.RoundTripper) http.RoundTripper {
		return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
			if req.URL.Path != "/repos/"+testOwner+"/"+testRepo {
				return next.RoundTrip(req)
			}
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			mu.Unlock()
			defer func() {
				mu.Lock()
				inFlight--
				mu.Unlock()
			}()
			return next.RoundTrip(req)
		})
	}
	gh := installation(t, a.creator(t, Config{Limits: newMemLimits(), Middleware: []func(http.RoundTripper) http.RoundTripper{count}}))
	a.srv.Delay("repos/get", 20*time.Millisecond)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, _, err := gh.Repositories.Get(ctx, testOwner, testRepo); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("%d calls of the installation were in flight at once, want 1", most)
	}
}
