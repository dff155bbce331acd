package registry

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// maxCachedIndexes bounds the index → platform cache; see platformCache.
const maxCachedIndexes = 4096

// Resolver resolves tags for the rollout tracker. It is safe for concurrent
// use, and meant to live as long as the process: it keeps each repository's
// authenticated session and the platform digests of the indexes it has read.
type Resolver struct {
	keychain  authn.Keychain
	transport http.RoundTripper
	insecure  map[string]bool
	platform  v1.Platform
	userAgent string

	mu     sync.Mutex
	puller *remote.Puller // nil until first use, and after a registry refuses access

	indexes *platformCache
}

// NewResolver returns a Resolver configured by opts.
func NewResolver(opts ...Option) *Resolver {
	r := &Resolver{
		keychain:  authn.DefaultKeychain,
		transport: remote.DefaultTransport,
		insecure:  map[string]bool{},
		platform:  v1.Platform{OS: "linux", Architecture: "amd64"},
		userAgent: "imagebot",
		indexes:   newPlatformCache(maxCachedIndexes),
	}
	for _, opt := range opts {
		opt(r)
	}
	return r
}

// Resolve returns the digests that ref ("registry/repository:tag" or
// "registry/repository@sha256:…") resolves to now. It costs one HEAD request,
// plus one GET of the index by digest the first time a new index is seen, and,
// on the first call for a repository, the /v2/ ping and any token request
// that set up its session.
//
// A tag or repository that does not exist yet yields an error that matches
// ErrNotFound; a refusal of access, ErrUnauthorized; a malformed reference,
// ErrInvalidReference (and no request); an index without the resolver's
// platform, ErrNoPlatform. IsTransient reports the errors that
// waiting may cure. Every error reads as a sentence a community maintainer
// understands.
func (r *Resolver) Resolve(ctx context.Context, ref string) (Digests, error) {
	parsed, err := r.parse(ref)
	if err != nil {
		return Digests{}, err
	}
	p, err := r.session()
	if err != nil {
		return Digests{}, fmt.Errorf("imagebot could not set up a registry client for %s: %w", ref, err)
	}
	desc, err := p.Head(ctx, parsed)
	if err != nil {
		return Digests{}, r.explain(ctx, p, ref, parsed, err)
	}
	d := Digests{Digest: desc.Digest.String(), MediaType: string(desc.MediaType)}
	if !desc.MediaType.IsIndex() {
		d.Platform = d.Digest
		return d, nil
	}
	index := parsed.Context().Digest(d.Digest)
	choice, ok := r.indexes.get(d.Digest)
	if !ok {
		if choice, err = r.readIndex(ctx, p, index); err != nil {
			return Digests{}, r.explain(ctx, p, index.String(), index, err)
		}
		r.indexes.put(d.Digest, choice)
	}
	if choice.platform == "" {
		return Digests{}, &resolveError{
			msg:  fmt.Sprintf("%s is in the registry, but has no %s image (its platforms: %s)", ref, r.platform, choice.available),
			kind: ErrNoPlatform,
		}
	}
	d.Platform = choice.platform
	return d, nil
}

// parse validates ref strictly: registry, repository and a tag or digest must
// all be present and well formed.
func (r *Resolver) parse(ref string) (name.Reference, error) {
	parsed, err := name.ParseReference(ref, name.StrictValidation)
	if err == nil && r.insecure[parsed.Context().RegistryStr()] {
		parsed, err = name.ParseReference(ref, name.StrictValidation, name.Insecure)
	}
	if err != nil {
		return nil, &resolveError{
			msg:   fmt.Sprintf("image reference %q is not valid: write it as registry/repository:tag or registry/repository@sha256:digest, such as quay.io/org/image:0123456789ab", ref),
			kind:  ErrInvalidReference,
			cause: err,
		}
	}
	return parsed, nil
}

// session returns the puller that holds each repository's authenticated
// session, making it on first use. remote.NewPuller fails only when given
// both an authenticator and a keychain, which this package never does.
func (r *Resolver) session() (*remote.Puller, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.puller != nil {
		return r.puller, nil
	}
	p, err := remote.NewPuller(
		remote.WithAuthFromKeychain(r.keychain),
		remote.WithTransport(r.transport),
		remote.WithUserAgent(r.userAgent),
		remote.WithPlatform(r.platform),
		remote.WithRetryPredicate(func(error) bool { return false }),
	)
	if err != nil {
		return nil, err
	}
	r.puller = p
	return p, nil
}

// forget drops p's sessions, so that the next call resolves the keychain and
// authenticates again. A newer puller than p is left alone.
func (r *Resolver) forget(p *remote.Puller) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.puller == p {
		r.puller = nil
	}
}
