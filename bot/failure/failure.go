// Package failure decides what a job does when a call to GitHub fails:
// wait out a rate limit without spending an attempt, retry a transient
// failure with backoff, or give up on what retrying cannot fix.
//
// It knows GitHub's errors (through githubapp) and River's job outcomes
// (through queue); it holds no state.
package failure

import (
	"errors"
	"net/http"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/queue"
)

// Decide turns a failed attempt's error into what its Work returns: a
// snooze until a rate limit resets; the error itself, for River to retry
// with backoff, when the failure is transient or unknown; a cancellation
// when GitHub says the thing is gone, forbidden or invalid.
func Decide(err error) error {
	if d, ok := githubapp.RetryAfter(err); ok {
		return queue.Snooze(d)
	}
	if githubapp.Transient(err) {
		return err
	}
	var gerr *github.ErrorResponse
	if errors.As(err, &gerr) && gerr.Response != nil {
		switch gerr.Response.StatusCode {
		case http.StatusNotFound, http.StatusForbidden, http.StatusUnprocessableEntity, http.StatusGone:
			return river.JobCancel(err)
		}
	}
	return err
}
