package githubapp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestTransientCalls(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(a *app)
		ctx   func() context.Context
		want  bool
	}{
		{name: "success", want: false},
		{
			name:  "502 Bad Gateway",
			setup: func(a *app) { a.srv.Fail("repos/get", 1, http.StatusBadGateway, nil) },
			want:  true,
		},
		{
			name: "503 on the installation-token request",
			setup: func(a *app) {
				a.srv.Fail("apps/create-installation-access-token", 1, http.StatusServiceUnavailable, nil)
			},
			want: true,
		},
		{
			name:  "401 on the installation-token request",
			setup: func(a *app) { a.srv.Fail("apps/create-installation-access-token", 1, http.StatusUnauthorized, nil) },
			want:  false,
		},
		{
			name:  "404",
			setup: func(a *app) { a.srv.Fail("repos/get", 1, http.StatusNotFound, nil) },
			want:  false,
		},
		{
			name:  "the client's timeout",
			setup: func(a *app) { a.srv.Delay("repos/get", 5*time.Second) },
			want:  true,
		},
		{
			name: "a cancelled context",
			ctx: func() context.Context {
				c, cancel := context.WithCancel(ctx)
				cancel()
				return c
			},
			want: false,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(t)
			gh := installation(t, a.creator(t, Config{Timeout: 200 * time.Millisecond, Retry: Retry{Attempts: 1}}))
			if tc.setup != nil {
				tc.setup(a)
			}
			c := ctx
			if tc.ctx != nil {
				c = tc.ctx()
			}
			_, _, err := gh.Repositories.Get(c, testOwner, testRepo)
			if got := Transient(err); got != tc.want {
				t.Errorf("Transient(%v) = %t, want %t", err, got, tc.want)
			}
			if _, limited := RetryAfter(err); limited {
				t.Errorf("RetryAfter(%v) reports a rate limit", err)
			}
		})
	}
}

func TestTransientErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"a plain error", errors.New("boom"), false},
		{"connection reset", &url.Error{Op: "Get", URL: "https://api.github.com/", Err: syscall.ECONNRESET}, true},
		{"connection aborted", fmt.Errorf("read: %w", syscall.ECONNABORTED), true},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), true},
		{"closed before the response", &url.Error{Op: "Get", URL: "https://api.github.com/", Err: io.EOF}, true},
		{"closed in the middle of the body", fmt.Errorf("decode: %w", io.ErrUnexpectedEOF), true},
		{"a context deadline", fmt.Errorf("list: %w", context.DeadlineExceeded), true},
		{"a cancelled context", fmt.Errorf("list: %w", context.Canceled), false},
		{"connection refused", &url.Error{Op: "Get", URL: "https://api.github.com/", Err: syscall.ECONNREFUSED}, false},
		{"500", &github.ErrorResponse{Response: &http.Response{StatusCode: 500}}, true},
		{"422", &github.ErrorResponse{Response: &http.Response{StatusCode: 422}}, false},
		{"a rate limit", &RateLimitedError{Status: 429, RetryAfter: time.Second}, false},
	} {
		if got := Transient(tc.err); got != tc.want {
			t.Errorf("%s: Transient(%v) = %t, want %t", tc.name, tc.err, got, tc.want)
		}
	}
}
