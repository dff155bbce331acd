package registry_test

import (
	"testing"

	"github.com/imagebot/imagebot/bot/rollout/registry"
)

func TestDigestsMatch(t *testing.T) {
	const (
		index    = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
		platform = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
		other    = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
	)
	multi := registry.Digests{Digest: index, Platform: platform}
	single := registry.Digests{Digest: platform, Platform: platform}
	tests := []struct {
		name   string
		d      registry.Digests
		digest string
		want   bool
	}{
		{"index digest", multi, index, true},
		{"platform digest", multi, platform, true},
		{"another digest", multi, other, false},
		{"image ID with repository", multi, "quay.io/org/img@" + index, true},
		{"docker-pullable image ID", multi, "docker-pullable://quay.io/org/img@" + platform, true},
		{"image ID from another repository: a digest names content", multi, "ghcr.io/mirror/img@" + index, true},
		{"image ID with another digest", multi, "docker-pullable://quay.io/org/img@" + other, false},
		{"single-platform image", single, platform, true},
		{"hex without algorithm", multi, index[len("sha256:"):], false},
		{"upper-case hex is not the same string", multi, "sha256:" + "AAAA" + index[len("sha256:")+4:], false},
		{"prefix of a digest", multi, index[:20], false},
		{"empty digest", multi, "", false},
		{"image ID ending in @", multi, "quay.io/org/img@", false},
		{"zero Digests match nothing", registry.Digests{}, "", false},
		{"zero Digests, a real digest", registry.Digests{}, index, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Match(tt.digest); got != tt.want {
				t.Errorf("%+v.Match(%q) = %v, want %v", tt.d, tt.digest, got, tt.want)
			}
		})
	}
}
