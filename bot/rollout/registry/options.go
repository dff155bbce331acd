package registry

import (
	"net/http"

	"github.com/google/go-containerregistry/pkg/authn"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// Option configures a Resolver.
type Option func(*Resolver)

// WithKeychain sets where registry credentials come from. The default is
// authn.DefaultKeychain (the Docker config file), which falls back to
// anonymous access; public images need no credentials.
func WithKeychain(k authn.Keychain) Option {
	return func(r *Resolver) { r.keychain = k }
}

// WithTransport sets the HTTP transport that carries every request. The
// default is go-containerregistry's remote.DefaultTransport.
func WithTransport(t http.RoundTripper) Option {
	return func(r *Resolver) { r.transport = t }
}

// WithInsecureRegistries names registries ("host" or "host:port", exactly as
// they appear in image references) that may be reached over plain HTTP, such
// as local and test registries: the first request tries HTTPS and plain HTTP
// together and keeps whichever answers. go-containerregistry already does so,
// without this option, for localhost, loopback, *.local and private (RFC 1918)
// addresses.
func WithInsecureRegistries(hosts ...string) Option {
	return func(r *Resolver) {
		for _, h := range hosts {
			r.insecure[h] = true
		}
	}
}

// WithPlatform sets the platform whose manifest Digests.Platform names when
// a tag points at an index. The default is linux/amd64. Fields left empty
// (such as Variant) match any value.
func WithPlatform(p v1.Platform) Option {
	return func(r *Resolver) { r.platform = p }
}

// WithUserAgent sets the product that requests name first in their
// User-Agent header. The default is "imagebot".
func WithUserAgent(ua string) Option {
	return func(r *Resolver) { r.userAgent = ua }
}
