package registry_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"

	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/internal/testregistry"
)

type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestIsTransient(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"503", &transport.Error{StatusCode: http.StatusServiceUnavailable}, true},
		{"500", &transport.Error{StatusCode: http.StatusInternalServerError}, true},
		{"504", &transport.Error{StatusCode: http.StatusGatewayTimeout}, true},
		{"429, wrapped", fmt.Errorf("poll: %w", &transport.Error{StatusCode: http.StatusTooManyRequests}), true},
		{"408", &transport.Error{StatusCode: http.StatusRequestTimeout}, true},
		{"404", &transport.Error{StatusCode: http.StatusNotFound}, false},
		{"401", &transport.Error{StatusCode: http.StatusUnauthorized}, false},
		{"403", &transport.Error{StatusCode: http.StatusForbidden}, false},
		{"400", &transport.Error{StatusCode: http.StatusBadRequest}, false},
		{"the caller's deadline", fmt.Errorf("resolve: %w", context.DeadlineExceeded), true},
		{"a net.Error timeout in a url.Error", &url.Error{Op: "Head", URL: "https://quay.io/v2/", Err: timeoutError{}}, true},
		{"a connection deadline", os.ErrDeadlineExceeded, true},
		{"a cancelled context is not worth waiting for", context.Canceled, false},
		{"ErrNotFound", registry.ErrNotFound, false},
		{"ErrUnauthorized", registry.ErrUnauthorized, false},
		{"ErrInvalidReference", registry.ErrInvalidReference, false},
		{"ErrNoPlatform", registry.ErrNoPlatform, false},
		{"another error", errors.New("manifest digest does not match"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := registry.IsTransient(tt.err); got != tt.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// faultyRegistry answers manifest requests with one method with a fixed
// status, or holds them until the client gives up, while a fault is set.
type faultyRegistry struct {
	registry http.Handler
	mu       sync.Mutex
	method   string // "" for no fault
	status   int    // 0 to hold the request
}

func (s *faultyRegistry) set(method string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.method, s.status = method, status
}

func (s *faultyRegistry) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	s.mu.Lock()
	method, status := s.method, s.status
	s.mu.Unlock()
	if method != req.Method || !strings.Contains(req.URL.Path, "/manifests/") {
		s.registry.ServeHTTP(w, req)
		return
	}
	if status == 0 {
		select {
		case <-req.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	w.WriteHeader(status)
}

// TestResolveExplainsFailures makes one manifest request fail and checks the
// error's kind, text and transience, that the request was not retried, and
// that the failure was not remembered: the next call, without the fault,
// succeeds.
func TestResolveExplainsFailures(t *testing.T) {
	inner := testregistry.Quiet()
	f := pushFixtures(t, testregistry.Serve(t, inner))
	s := &faultyRegistry{registry: inner}
	host := testregistry.Serve(t, s)
	single, multi := host+"/community/single:"+tag, host+"/community/multi:"+tag
	headSingle := "HEAD /v2/community/single/manifests/" + tag
	indexReqs := []string{"HEAD /v2/community/multi/manifests/" + tag, "GET /v2/community/multi/manifests/" + f.index}
	indexRef := host + "/community/multi@" + f.index

	tests := []struct {
		name          string
		method        string
		status        int
		ref           string
		wantKind      error // nil when none applies
		wantTransient bool
		wantMsg       string
		wantReqs      []string // manifest requests, with and without the fault
	}{
		{"500", http.MethodHead, 500, single, nil, true,
			"the registry " + host + " had a temporary problem (HTTP 500 Internal Server Error) while imagebot looked up " + single, []string{headSingle}},
		{"502", http.MethodHead, 502, single, nil, true,
			"the registry " + host + " had a temporary problem (HTTP 502 Bad Gateway) while imagebot looked up " + single, []string{headSingle}},
		{"503", http.MethodHead, 503, single, nil, true,
			"the registry " + host + " had a temporary problem (HTTP 503 Service Unavailable) while imagebot looked up " + single, []string{headSingle}},
		{"408", http.MethodHead, 408, single, nil, true,
			"the registry " + host + " had a temporary problem (HTTP 408 Request Timeout) while imagebot looked up " + single, []string{headSingle}},
		{"429", http.MethodHead, 429, single, nil, true,
			"the registry " + host + " is rate-limiting imagebot (HTTP 429) while it looks up " + single, []string{headSingle}},
		{"401 without a challenge", http.MethodHead, 401, single, registry.ErrUnauthorized, false,
			"the registry " + host + " refused anonymous access to " + single + " (HTTP 401): the repository is private, or it does not exist yet", []string{headSingle}},
		{"403", http.MethodHead, 403, single, registry.ErrUnauthorized, false,
			"the registry " + host + " refused anonymous access to " + single + " (HTTP 403): the repository is private, or it does not exist yet", []string{headSingle}},
		{"400", http.MethodHead, 400, single, nil, false,
			"the registry " + host + " answered HTTP 400 Bad Request when imagebot looked up " + single, []string{headSingle}},
		{"503 reading the index", http.MethodGet, 503, multi, nil, true,
			"the registry " + host + " had a temporary problem (HTTP 503 Service Unavailable) while imagebot looked up " + indexRef, indexReqs},
		{"the index gone between HEAD and GET", http.MethodGet, 404, multi, registry.ErrNotFound, false,
			indexRef + " is not in the registry yet", indexReqs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t)
			r := newResolver(t, rec)
			s.set(tt.method, tt.status)
			t.Cleanup(func() { s.set("", 0) })
			got, err := r.Resolve(context.Background(), tt.ref)
			checkFailure(t, got, err, tt.wantKind, tt.wantTransient, tt.wantMsg)
			checkRequests(t, "manifest requests with the fault", manifestRequests(rec.take()), tt.wantReqs)

			s.set("", 0)
			if _, err := r.Resolve(context.Background(), tt.ref); err != nil {
				t.Fatalf("Resolve without the fault: %v", err)
			}
			checkRequests(t, "manifest requests without the fault", manifestRequests(rec.take()), tt.wantReqs)
		})
	}
}

// TestResolveGivesUp holds the HEAD until the caller's context ends.
func TestResolveGivesUp(t *testing.T) {
	inner := testregistry.Quiet()
	pushFixtures(t, testregistry.Serve(t, inner))
	s := &faultyRegistry{registry: inner}
	host := testregistry.Serve(t, s)
	ref := host + "/community/single:" + tag
	tests := []struct {
		name          string
		ctx           func() (context.Context, context.CancelFunc)
		wantCause     error
		wantTransient bool
		wantMsg       string
	}{
		{
			name: "deadline",
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 100*time.Millisecond)
			},
			wantCause:     context.DeadlineExceeded,
			wantTransient: true,
			wantMsg:       "the registry " + host + " did not answer in time while imagebot looked up " + ref,
		},
		{
			name: "cancelled",
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(100*time.Millisecond, cancel)
				return ctx, cancel
			},
			wantCause: context.Canceled,
			wantMsg:   "imagebot could not look up " + ref + " in the registry " + host + `: Head "http://` + host + "/v2/community/single/manifests/" + tag + `": context canceled`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResolver(t, newRecorder(t))
			if _, err := r.Resolve(context.Background(), ref); err != nil { // sets up the session
				t.Fatal(err)
			}
			s.set(http.MethodHead, 0)
			t.Cleanup(func() { s.set("", 0) })
			ctx, cancel := tt.ctx()
			defer cancel()
			got, err := r.Resolve(ctx, ref)
			checkFailure(t, got, err, nil, tt.wantTransient, tt.wantMsg)
			if !errors.Is(err, tt.wantCause) {
				t.Errorf("Resolve error %v does not match %v", err, tt.wantCause)
			}
		})
	}
}

// checkFailure asserts a failed Resolve: its text, its transience, and that
// it matches wantKind and no other kind.
func checkFailure(t *testing.T, got registry.Digests, err error, wantKind error, wantTransient bool, wantMsg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("Resolve = %+v, want an error", got)
	}
	if err.Error() != wantMsg {
		t.Errorf("Resolve error text:\n got %q\nwant %q", err.Error(), wantMsg)
	}
	if transient := registry.IsTransient(err); transient != wantTransient {
		t.Errorf("IsTransient(%v) = %v, want %v", err, transient, wantTransient)
	}
	for _, kind := range []error{registry.ErrNotFound, registry.ErrUnauthorized, registry.ErrInvalidReference, registry.ErrNoPlatform} {
		if errors.Is(err, kind) != (kind == wantKind) {
			t.Errorf("errors.Is(%v, %v) = %v", err, kind, !(kind == wantKind))
		}
	}
}
