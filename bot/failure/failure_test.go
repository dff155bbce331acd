package failure

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river/rivertype"
)

func TestDecide(t *testing.T) {
	response := func(status int) error {
		return &github.ErrorResponse{Response: &http.Response{StatusCode: status, Request: &http.Request{}}}
	}
	tests := []struct {
		name   string
		err    error
		snooze time.Duration // > 0: want a snooze this long
		cancel bool
	}{
		{name: "secondary rate limit", err: &github.AbuseRateLimitError{Response: &http.Response{StatusCode: 403, Request: &http.Request{}}, RetryAfter: ptr(30 * time.Second)}, snooze: 30 * time.Second},
		{name: "502 is retried", err: response(http.StatusBadGateway)},
		{name: "timeout is retried", err: context.DeadlineExceeded},
		{name: "404 gives up", err: response(http.StatusNotFound), cancel: true},
		{name: "403 without rate limit gives up", err: response(http.StatusForbidden), cancel: true},
		{name: "422 gives up", err: response(http.StatusUnprocessableEntity), cancel: true},
		{name: "an unknown error is retried", err: errors.New("boom")},
	}
	for _, tt := range tests {
		got := Decide(tt.err)
		var snooze *rivertype.JobSnoozeError
		var cancel *rivertype.JobCancelError
		switch {
		case tt.snooze > 0:
			if !errors.As(got, &snooze) || snooze.Duration != tt.snooze {
				t.Errorf("%s: %v, want a %s snooze", tt.name, got, tt.snooze)
			}
		case tt.cancel:
			if !errors.As(got, &cancel) {
				t.Errorf("%s: %v, want a cancellation", tt.name, got)
			}
		default:
			if got != tt.err {
				t.Errorf("%s: %v, want the error itself", tt.name, got)
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }
