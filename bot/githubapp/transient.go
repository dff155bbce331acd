package githubapp

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
)

// Transient reports whether a failed GitHub call may succeed when simply
// made again later:
//   - GitHub answered with a 5xx status, to the call itself (go-github's
//     *github.ErrorResponse) or to the installation-token request it needed
//     (ghinstallation's *HTTPError);
//   - the call timed out: a network timeout, the client's Timeout, or a
//     context deadline;
//   - the connection broke: reset, aborted, a broken pipe, or closed before
//     the response was complete (io.EOF, io.ErrUnexpectedEOF).
//
// Rate limits are not transient (wait as RetryAfter says), nor are other
// statuses, nor a cancelled context.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var apiErr *github.ErrorResponse
	if errors.As(err, &apiErr) && apiErr.Response != nil {
		return apiErr.Response.StatusCode >= http.StatusInternalServerError
	}
	var tokenErr *ghinstallation.HTTPError
	if errors.As(err, &tokenErr) && tokenErr.Response != nil {
		return tokenErr.Response.StatusCode >= http.StatusInternalServerError
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return true
	}
	for _, broken := range []error{
		context.DeadlineExceeded, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
		io.EOF, io.ErrUnexpectedEOF,
	} {
		if errors.Is(err, broken) {
			return true
		}
	}
	return false
}
