package registry

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// platformChoice is what an index holds for the resolver's platform.
type platformChoice struct {
	// platform is the digest of the first image manifest in the index whose
	// platform satisfies the resolver's, or "" when there is none.
	platform string
	// available lists the index's image platforms ("linux/arm64, linux/s390x",
	// or "none"), for the error that explains a missing platform.
	available string
}

// readIndex GETs the index manifest named by index (a digest, so the answer
// never changes) and picks the resolver's platform from it. Entries that are
// not image manifests, such as nested indexes, are skipped, and so are
// attestation manifests, whose platform is unknown/unknown.
func (r *Resolver) readIndex(ctx context.Context, p *remote.Puller, index name.Digest) (platformChoice, error) {
	desc, err := p.Get(ctx, index)
	if err != nil {
		return platformChoice{}, err
	}
	manifest, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
	if err != nil {
		return platformChoice{}, fmt.Errorf("read index %s: %w", index, err)
	}
	var choice platformChoice
	var platforms []string
	for _, m := range manifest.Manifests {
		if m.Platform == nil || !m.MediaType.IsImage() {
			continue
		}
		if choice.platform == "" && m.Platform.Satisfies(r.platform) {
			choice.platform = m.Digest.String()
		}
		if m.Platform.OS != "unknown" {
			platforms = append(platforms, m.Platform.String())
		}
	}
	sort.Strings(platforms)
	choice.available = strings.Join(platforms, ", ")
	if choice.available == "" {
		choice.available = "none"
	}
	return choice, nil
}

// platformCache maps index digests to what each holds for the resolver's
// platform. Indexes are content-addressed, so an entry never goes stale. It
// holds at most limit entries; when a new entry would exceed that, the cache
// is emptied first, which costs each index still being polled one more read.
type platformCache struct {
	mu      sync.Mutex
	limit   int
	entries map[string]platformChoice
}

func newPlatformCache(limit int) *platformCache {
	return &platformCache{limit: limit, entries: map[string]platformChoice{}}
}

func (c *platformCache) get(digest string) (platformChoice, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	choice, ok := c.entries[digest]
	return choice, ok
}

func (c *platformCache) put(digest string, choice platformChoice) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[digest]; !ok && len(c.entries) >= c.limit {
		clear(c.entries)
	}
	c.entries[digest] = choice
}
