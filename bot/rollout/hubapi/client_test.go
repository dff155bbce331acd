package hubapi

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"

// fakeHub answers /hub/api/ and, with the token, /hub/metrics.
func fakeHub(t *testing.T, version string) (*httptest.Server, *atomic.Int32) {
	metrics, err := os.ReadFile("testdata/jupyterhub-3.0.0.metrics")
	if err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		switch {
		case r.URL.Path == "/hub/api/" && version == "":
			http.Error(w, "no", http.StatusBadGateway)
		case r.URL.Path == "/hub/api/":
			w.Write([]byte(`{"version": "` + version + `"}`))
		case r.URL.Path == "/hub/metrics" && r.Header.Get("Authorization") == "token "+token:
			w.Write(metrics)
		case r.URL.Path == "/hub/metrics":
			http.Error(w, `{"status": 403, "message": "Access to metrics requires scope 'read:metrics'"}`, http.StatusForbidden)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestClient(t *testing.T) {
	srv, _ := fakeHub(t, "3.0.0")
	ctx := context.Background()
	c := &Client{}
	if v, err := c.Version(ctx, srv.URL); err != nil || v != "3.0.0" {
		t.Errorf("Version = %q, %v", v, err)
	}
	if s, err := c.Spawns(ctx, srv.URL, token, "jupyterhub"); err != nil || s != (Spawns{Failure: 2}) {
		t.Errorf("Spawns = %+v, %v", s, err)
	}
	_, err := c.Spawns(ctx, srv.URL, "not-the-token", "jupyterhub")
	want := "the hub at " + srv.URL + " refused imagebot's token for /hub/metrics (HTTP 403): the token needs the scope read:metrics"
	if err == nil || err.Error() != want {
		t.Errorf("with a wrong token: %v, want %q", err, want)
	}
	if err != nil && strings.Contains(err.Error(), "not-the-token") {
		t.Errorf("the error repeats the token: %v", err)
	}
	if _, err := c.Version(ctx, srv.URL+"/nothing"); err == nil || err.Error() != "the hub at "+srv.URL+"/nothing answered HTTP 404 Not Found for /hub/api/" {
		t.Errorf("a path that is no hub: %v", err)
	}
}

func TestVersionsCache(t *testing.T) {
	up, upCalls := fakeHub(t, "4.1.5")
	down, downCalls := fakeHub(t, "")
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	v := &Versions{Client: &Client{}, Now: func() time.Time { return now }}
	ctx := context.Background()
	steps := []struct {
		after     time.Duration
		base      *httptest.Server
		want      string
		wantCalls int32 // requests to that hub so far
	}{
		{0, up, "4.1.5", 1},
		{30 * time.Minute, up, "4.1.5", 1}, // cached
		{31 * time.Minute, up, "4.1.5", 2}, // an hour after the first look
		{0, down, "", 1},                   // an error
		{5 * time.Minute, down, "", 1},     // the error is cached for 6 minutes
		{2 * time.Minute, down, "", 2},     // then asked again
		{0, up, "4.1.5", 2},                // the other hub's entry stands
	}
	for i, s := range steps {
		now = now.Add(s.after)
		got, err := v.Version(ctx, s.base.URL)
		if got != s.want || (s.want == "") != (err != nil) {
			t.Errorf("step %d: %q, %v; want %q", i, got, err, s.want)
		}
		calls := upCalls
		if s.base == down {
			calls = downCalls
		}
		if n := calls.Load(); n != s.wantCalls {
			t.Errorf("step %d: %d requests, want %d", i, n, s.wantCalls)
		}
	}
}
