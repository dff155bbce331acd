// Package registry answers the rollout tracker's "published" question: which
// digest does image:tag resolve to in its registry right now?
//
// It speaks the OCI distribution API through go-containerregistry's remote
// package, and it is built to be polled, so it asks the registry as little as
// it can:
//
//   - A tag is resolved with one HEAD request for its manifest. A HEAD is not a
//     pull (Docker Hub counts manifest GETs against its pull limits), and no
//     manifest is ever read by tag.
//   - Only when that HEAD shows an index (a multi-arch image) whose platform
//     digest is not yet known does the resolver read the index, once and by
//     digest, which is immutable. It picks the manifest for its platform
//     (linux/amd64 unless configured) and remembers index digest → platform
//     digest in memory (up to 4096 indexes), so later calls that see the same
//     index make exactly one HEAD request each. Two concurrent first calls for the same index may
//     both read it.
//   - A single-platform image's digest is its platform digest. The resolver
//     does not read the image's config to confirm its platform: that would
//     cost a GET on every new digest.
//   - The /v2/ ping and bearer token for a repository are obtained on first
//     use and kept for the Resolver's lifetime; the token is renewed when the
//     registry rejects it. After a registry refuses access, the next call
//     resolves the keychain again, so rotated credentials are picked up.
//   - A failed request is not retried: the tracker's next poll is the retry,
//     and IsTransient says whether waiting can help.
//
// Image references come from the operator's configuration (the caller's
// business), and are still validated strictly: each must name its registry
// (docker.io included), repository and tag or digest.
//
// The package depends on go-containerregistry and the standard library only.
// It knows nothing of GitHub, hubs or rollouts.
package registry
