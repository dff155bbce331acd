package registry

import (
	"reflect"
	"testing"
)

// TestPlatformCacheLimit fills a cache of two entries and checks that a third
// empties it first, while updating a held entry does not.
func TestPlatformCacheLimit(t *testing.T) {
	c := newPlatformCache(2)
	a, b, d := platformChoice{platform: "sha256:a"}, platformChoice{platform: "sha256:b"}, platformChoice{available: "linux/arm64"}
	steps := []struct {
		put    string
		choice platformChoice
		want   map[string]platformChoice
	}{
		{"idx1", a, map[string]platformChoice{"idx1": a}},
		{"idx2", b, map[string]platformChoice{"idx1": a, "idx2": b}},
		{"idx2", d, map[string]platformChoice{"idx1": a, "idx2": d}}, // an update, at the limit
		{"idx3", a, map[string]platformChoice{"idx3": a}},            // over the limit: emptied first
		{"idx1", b, map[string]platformChoice{"idx3": a, "idx1": b}},
	}
	for i, s := range steps {
		c.put(s.put, s.choice)
		if !reflect.DeepEqual(c.entries, s.want) {
			t.Fatalf("after put %d (%s): entries %v, want %v", i, s.put, c.entries, s.want)
		}
		for digest, want := range s.want {
			if got, ok := c.get(digest); !ok || got != want {
				t.Fatalf("after put %d: get(%s) = %v, %v; want %v, true", i, digest, got, ok, want)
			}
		}
	}
	if got, ok := c.get("idx2"); ok {
		t.Fatalf("get(idx2) = %v, true after the cache was emptied", got)
	}
}
