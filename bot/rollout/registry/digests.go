package registry

import "strings"

// Digests is what a tag resolves to.
type Digests struct {
	// Digest is what the tag points at: an index (multi-arch) or a single
	// manifest, "sha256:…".
	Digest string
	// Platform is the digest of the manifest for the resolver's platform
	// (linux/amd64 by default); it equals Digest for a single-platform image.
	Platform string
	// MediaType is the media type of what Digest names, as the registry
	// reported it.
	MediaType string
}

// Match reports whether a digest a Kubernetes node reports is one of d's: the
// index digest or the platform digest. It accepts a bare "sha256:…" as well as
// an image ID such as "docker-pullable://quay.io/org/img@sha256:…", of which
// only the part after the last "@" is compared: a digest names content,
// whichever repository it was pulled from. The zero Digests matches nothing.
func (d Digests) Match(digest string) bool {
	if i := strings.LastIndexByte(digest, '@'); i >= 0 {
		digest = digest[i+1:]
	}
	if digest == "" {
		return false
	}
	return digest == d.Digest || digest == d.Platform
}
