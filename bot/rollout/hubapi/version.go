package hubapi

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// Version returns the JupyterHub version of the hub whose API is at base
// (such as "https://hub.example.org", without /hub/api), from GET
// /hub/api/, which answers {"version": "3.0.0"}.
func (c *Client) Version(ctx context.Context, base string) (string, error) {
	body, err := c.get(ctx, base, "/hub/api/", "", maxVersionBody)
	if err != nil {
		return "", err
	}
	var answer struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || answer.Version == "" {
		return "", fmt.Errorf("the hub at %s did not say its version at /hub/api/: is it a JupyterHub?", base)
	}
	return answer.Version, nil
}

// Versions caches hubs' versions: a hub's version changes only when its
// operator upgrades it, while every pull request check asks. A version is
// kept for TTL; a failure is kept for a tenth of that, so a hub that is down
// is not asked again on every check. It is safe for concurrent use.
type Versions struct {
	Client *Client
	// TTL is how long a version is kept; one hour when zero.
	TTL time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	mu      sync.Mutex
	entries map[string]versionEntry
}

type versionEntry struct {
	version string
	err     error
	until   time.Time
}

// Version returns the version of the hub whose API is at base, from the
// cache while it is fresh.
func (v *Versions) Version(ctx context.Context, base string) (string, error) {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	ttl := v.TTL
	if ttl == 0 {
		ttl = time.Hour
	}
	v.mu.Lock()
	e, ok := v.entries[base]
	v.mu.Unlock()
	if ok && now().Before(e.until) {
		return e.version, e.err
	}
	version, err := v.Client.Version(ctx, base)
	e = versionEntry{version: version, err: err, until: now().Add(ttl)}
	if err != nil {
		if ctx.Err() != nil {
			return "", err // the caller gave up: nothing was learned about the hub
		}
		e.until = now().Add(ttl / 10)
	}
	v.mu.Lock()
	if v.entries == nil {
		v.entries = map[string]versionEntry{}
	}
	v.entries[base] = e
	v.mu.Unlock()
	return version, err
}
