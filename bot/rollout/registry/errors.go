package registry

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// ErrNotFound means the registry has no such tag, or no such repository: the
// image has not been pushed yet.
var ErrNotFound = errors.New("not in the registry yet")

// ErrUnauthorized means the registry refused access (HTTP 401 or 403): it
// rejected imagebot's credentials, or, with no credentials, the repository is
// private or does not exist (registries do not say which).
var ErrUnauthorized = errors.New("the registry refused access")

// ErrInvalidReference means an image reference in the operator's configuration
// does not name a registry, a repository and a tag or digest, or one of them is
// malformed.
var ErrInvalidReference = errors.New("invalid image reference")

// ErrNoPlatform means the tag points at an index that holds no image for the
// resolver's platform, so the hub's nodes cannot run it.
var ErrNoPlatform = errors.New("no image for the platform")

// IsTransient reports whether err is one that waiting may cure: the registry
// answered 5xx, 429 (rate limited) or 408, or a request timed out (including
// the caller's context deadline). It is false for nil, for a cancelled
// context, and for ErrNotFound, ErrUnauthorized, ErrInvalidReference and
// ErrNoPlatform.
func IsTransient(err error) bool {
	if status, ok := httpStatus(err); ok {
		return status/100 == 5 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
	}
	return isTimeout(err)
}

// resolveError is an error from Resolve: its text is a sentence for a
// community maintainer, and errors.Is and errors.As reach both its kind (one
// of the Err values, when one applies) and the registry's own error.
type resolveError struct {
	msg   string
	kind  error
	cause error
}

func (e *resolveError) Error() string { return e.msg }

func (e *resolveError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// explain turns err, from looking up ref (as the caller wrote it) in its
// registry, into a resolveError. When the registry refused access it also
// drops p's sessions, so that the next call authenticates afresh.
func (r *Resolver) explain(ctx context.Context, p *remote.Puller, ref string, parsed name.Reference, err error) error {
	reg := parsed.Context().RegistryStr()
	e := &resolveError{cause: err}
	status, ok := httpStatus(err)
	switch {
	case ok && status == http.StatusNotFound:
		e.kind = ErrNotFound
		e.msg = fmt.Sprintf("%s is not in the registry yet", ref)
	case ok && (status == http.StatusUnauthorized || status == http.StatusForbidden):
		r.forget(p)
		e.kind = ErrUnauthorized
		if r.anonymous(ctx, parsed.Context()) {
			e.msg = fmt.Sprintf("the registry %s refused anonymous access to %s (HTTP %d): the repository is private, or it does not exist yet", reg, ref, status)
		} else {
			e.msg = fmt.Sprintf("the registry %s refused imagebot's credentials for %s (HTTP %d)", reg, ref, status)
		}
	case ok && status == http.StatusTooManyRequests:
		e.msg = fmt.Sprintf("the registry %s is rate-limiting imagebot (HTTP 429) while it looks up %s", reg, ref)
	case IsTransient(err):
		if ok {
			e.msg = fmt.Sprintf("the registry %s had a temporary problem (HTTP %d %s) while imagebot looked up %s", reg, status, http.StatusText(status), ref)
		} else {
			e.msg = fmt.Sprintf("the registry %s did not answer in time while imagebot looked up %s", reg, ref)
		}
	case ok:
		e.msg = fmt.Sprintf("the registry %s answered HTTP %d %s when imagebot looked up %s", reg, status, http.StatusText(status), ref)
	default:
		e.msg = fmt.Sprintf("imagebot could not look up %s in the registry %s: %v", ref, reg, err)
	}
	return e
}

// anonymous reports whether the keychain has no credentials for repo.
func (r *Resolver) anonymous(ctx context.Context, repo name.Repository) bool {
	auth, err := authn.Resolve(ctx, r.keychain, repo)
	return err == nil && auth == authn.Anonymous
}

// httpStatus returns the HTTP status of the registry's answer in err's chain.
func httpStatus(err error) (int, bool) {
	var te *transport.Error
	if errors.As(err, &te) {
		return te.StatusCode, true
	}
	return 0, false
}

// isTimeout reports whether err's chain holds a deadline or a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}
