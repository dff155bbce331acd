package githubapp

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
)

// Retry is how a failed call is made again where it failed, instead of
// failing the job that made it: a few times, soon, with jitter.
type Retry struct {
	// Attempts is the most times a call is made, the first included.
	// Default 4.
	Attempts int
	// Base is the longest wait before the first retry; each later one may
	// wait twice as long as the one before, up to Max. Default 250 ms.
	Base time.Duration
	// Max caps a wait. Default 2 s.
	Max time.Duration
	// Rand returns a number in [0, 1) that places a wait between nothing
	// and its cap ("full jitter"). Default math/rand/v2's Float64.
	Rand func() float64
}

// Retry defaults.
const (
	defaultRetryAttempts = 4
	defaultRetryBase     = 250 * time.Millisecond
	defaultRetryMax      = 2 * time.Second
)

// attempts returns Attempts, or its default.
func (r Retry) attempts() int {
	if r.Attempts <= 0 {
		return defaultRetryAttempts
	}
	return r.Attempts
}

// wait returns the wait before retry n (n ≥ 1).
func (r Retry) wait(n int) time.Duration {
	base, ceiling := r.Base, r.Max
	if base <= 0 {
		base = defaultRetryBase
	}
	if ceiling <= 0 {
		ceiling = defaultRetryMax
	}
	limit := min(base, ceiling)
	for i := 1; i < n && limit < ceiling; i++ {
		limit = min(2*limit, ceiling)
	}
	random := rand.Float64
	if r.Rand != nil {
		random = r.Rand
	}
	return time.Duration(random() * float64(limit))
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// idempotentKey marks a request context whose write may be sent twice.
type idempotentKey struct{}

// Idempotent returns ctx marked so that a write made with it (a PATCH, PUT
// or DELETE) is retried like a read: the caller vouches that sending it twice
// has the effect of sending it once, as editing a comment to a given body has.
func Idempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

// Middleware returns middleware that makes a call again, at most Attempts
// times in all and waiting as wait says in between, when GitHub answered it
// 500, 502, 503 or 504, or the connection failed on its way (see Transient),
// provided that making it again is safe:
//   - a GET or HEAD;
//   - a write whose context was marked Idempotent;
//   - any call that failed before it was sent, because its installation token
//     could not be had (GitHub answered the token request with a 5xx).
//
// Rate limits and paused installations are never retried here (the job waits
// them out), nor is a call whose context has ended, nor one whose body cannot
// be read again. The last answer or error is returned as it came.
func (r Retry) Middleware(next http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		ctx := req.Context()
		for n := 1; ; n++ {
			attempt := req
			if n > 1 {
				var err error
				if attempt, err = rewind(req); err != nil {
					return nil, err
				}
			}
			resp, err := next.RoundTrip(attempt)
			if n >= r.attempts() || ctx.Err() != nil || !retryable(req, resp, err) {
				return resp, err
			}
			if resp != nil {
				io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
				resp.Body.Close()
			}
			if err := sleep(ctx, r.wait(n)); err != nil {
				return nil, err
			}
		}
	})
}

// retryable reports whether a call that ended with resp or err is to be made
// again.
func retryable(req *http.Request, resp *http.Response, err error) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	var tokenErr *ghinstallation.HTTPError
	if errors.As(err, &tokenErr) && tokenErr.Response != nil {
		return tokenErr.Response.StatusCode >= http.StatusInternalServerError
	}
	safe := req.Method == http.MethodGet || req.Method == http.MethodHead || req.Context().Value(idempotentKey{}) != nil
	if !safe {
		return false
	}
	if err != nil {
		return Transient(err)
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// rewind returns a copy of req whose body reads from the start again.
func rewind(req *http.Request) (*http.Request, error) {
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		again.Body = body
	}
	return again, nil
}

// CreateOnce makes a create call whose intent the caller has recorded (so
// that what it creates can be found again). After a failure that may have
// created it anyway (see Transient), it asks find whether it exists, and
// makes the call again only when it does not: at most Attempts calls in all,
// waiting in between as Middleware does. find's own calls are reads, retried
// by Middleware. Other failures, and find's errors, are returned at once;
// when the attempts run out, the last failure is.
func (r Retry) CreateOnce(ctx context.Context, create func(ctx context.Context) error, find func(ctx context.Context) (found bool, err error)) error {
	for n := 1; ; n++ {
		err := create(ctx)
		if err == nil || n >= r.attempts() || !Transient(err) || ctx.Err() != nil {
			return err
		}
		if err := sleep(ctx, r.wait(n)); err != nil {
			return err
		}
		found, findErr := find(ctx)
		if findErr != nil {
			return findErr
		}
		if found {
			return nil
		}
	}
}

// CreateOnce is Retry{}.CreateOnce: the default retries.
func CreateOnce(ctx context.Context, create func(ctx context.Context) error, find func(ctx context.Context) (found bool, err error)) error {
	return Retry{}.CreateOnce(ctx, create, find)
}
