package githubapp

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// quickRetry retries at once, so that the tests need not wait.
var quickRetry = Retry{Rand: func() float64 { return 0 }}

func TestRetryMiddleware(t *testing.T) {
	patchComment := func(ctx context.Context, gh *github.Client, a *app) error {
		_, _, err := gh.Issues.EditComment(ctx, testOwner, testRepo, 1, &github.IssueComment{Body: github.String("x")})
		return err
	}
	getRepo := func(ctx context.Context, gh *github.Client, a *app) error {
		_, _, err := gh.Repositories.Get(ctx, testOwner, testRepo)
		return err
	}
	createRun := func(ctx context.Context, gh *github.Client, a *app) error {
		_, _, err := gh.Checks.CreateCheckRun(ctx, testOwner, testRepo, github.CreateCheckRunOptions{Name: "x", HeadSHA: a.head})
		return err
	}
	tests := []struct {
		name       string
		op         string // the operation the fault hits
		faults     int
		status     int
		header     http.Header
		call       func(ctx context.Context, gh *github.Client, a *app) error
		idempotent bool
		wantCalls  int // calls to op
		wantErr    bool
	}{
		{name: "a read answered 502 is made again", op: "repos/get", faults: 1, status: 502, call: getRepo, wantCalls: 2},
		{name: "a read answered 503 three times succeeds the fourth", op: "repos/get", faults: 3, status: 503, call: getRepo, wantCalls: 4},
		{name: "a read answered 500 four times fails", op: "repos/get", faults: 4, status: 500, call: getRepo, wantCalls: 4, wantErr: true},
		{name: "a 404 is not retried", op: "repos/get", faults: 1, status: 404, call: getRepo, wantCalls: 1, wantErr: true},
		{name: "501 is not retried", op: "repos/get", faults: 1, status: 501, call: getRepo, wantCalls: 1, wantErr: true},
		{name: "a rate limit is not retried", op: "repos/get", faults: 1, status: 403, header: http.Header{"Retry-After": {"30"}},
			call: getRepo, wantCalls: 1, wantErr: true},
		{name: "a create answered 502 is not retried", op: "checks/create", faults: 1, status: 502, call: createRun, wantCalls: 1, wantErr: true},
		{name: "an edit answered 502 is not retried by default", op: "issues/update-comment", faults: 1, status: 502,
			call: patchComment, wantCalls: 1, wantErr: true},
		{name: "an edit marked idempotent is retried", op: "issues/update-comment", faults: 1, status: 502,
			call: patchComment, idempotent: true, wantCalls: 2, wantErr: true /* 404: the comment does not exist */},
		{name: "a create whose installation token failed is made once", op: "apps/create-installation-access-token", faults: 1, status: 503,
			call: createRun, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newApp(t)
			gh := installation(t, a.creator(t, Config{Retry: quickRetry}))
			a.srv.Fail(tt.op, tt.faults, tt.status, tt.header)
			c := ctx
			if tt.idempotent {
				c = Idempotent(ctx)
			}
			err := tt.call(c, gh, a)
			if (err != nil) != tt.wantErr {
				t.Errorf("error %v, want error %t", err, tt.wantErr)
			}
			calls := 0
			for _, call := range a.srv.Calls() {
				if call.OperationID == tt.op {
					calls++
				}
			}
			if calls != tt.wantCalls {
				t.Errorf("%d calls to %s, want %d", calls, tt.op, tt.wantCalls)
			}
		})
	}
}

func TestRetryWaits(t *testing.T) {
	r := Retry{Base: 100 * time.Millisecond, Max: time.Second, Rand: func() float64 { return 0.999999 }}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second}
	for i, w := range want {
		if got := r.wait(i + 1).Round(time.Millisecond); got != w {
			t.Errorf("wait before retry %d = %s, want %s", i+1, got, w)
		}
	}
	if got := (Retry{Rand: func() float64 { return 0 }}).wait(3); got != 0 {
		t.Errorf("full jitter at 0 waits %s, want 0", got)
	}
}

func TestRetryStopsWithTheContext(t *testing.T) {
	a := newApp(t)
	gh := installation(t, a.creator(t, Config{Retry: Retry{Base: time.Hour, Max: time.Hour, Rand: func() float64 { return 1 }}}))
	a.srv.Fail("repos/get", 1, http.StatusBadGateway, nil)
	c, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, _, err := gh.Repositories.Get(c, testOwner, testRepo); err == nil {
		t.Fatal("the call succeeded")
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("the retry waited %s past the context's end", waited)
	}
}

func TestCreateOnce(t *testing.T) {
	transient := &github.ErrorResponse{Response: &http.Response{StatusCode: http.StatusBadGateway}}
	invalid := &github.ErrorResponse{Response: &http.Response{StatusCode: http.StatusUnprocessableEntity}}
	tests := []struct {
		name        string
		creates     []error // what each create returns; the last repeats
		found       []bool  // what each find returns
		wantCreates int
		wantFinds   int
		wantErr     error
	}{
		{name: "created", creates: []error{nil}, wantCreates: 1},
		{name: "a 502, then not found: created again", creates: []error{transient, nil}, found: []bool{false}, wantCreates: 2, wantFinds: 1},
		{name: "a 502 that created it anyway: found", creates: []error{transient}, found: []bool{true}, wantCreates: 1, wantFinds: 1},
		{name: "a 422 is returned at once", creates: []error{invalid}, wantCreates: 1, wantErr: invalid},
		{name: "502s until the attempts run out", creates: []error{transient}, found: []bool{false, false, false},
			wantCreates: 4, wantFinds: 3, wantErr: transient},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			creates, finds := 0, 0
			err := quickRetry.CreateOnce(ctx, func(context.Context) error {
				creates++
				return tt.creates[min(creates, len(tt.creates))-1]
			}, func(context.Context) (bool, error) {
				finds++
				return tt.found[finds-1], nil
			})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if creates != tt.wantCreates || finds != tt.wantFinds {
				t.Errorf("%d creates and %d finds, want %d and %d", creates, finds, tt.wantCreates, tt.wantFinds)
			}
		})
	}
}
