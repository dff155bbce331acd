package hubconfig

import (
	"regexp"
	"slices"
	"strings"

	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// bareDigest is a value that holds only a digest.
var bareDigest = regexp.MustCompile(`^sha256:[a-f0-9]{64}$`)

// PointsAt reports whether a value from a values file points at an image
// build: the build's tag on image, or any of its digests (the index's and
// the platforms' manifests'). The value is one of
//
//   - a bare tag ("0123456789ab"), which points at it when it is tag;
//   - a bare digest ("sha256:…"), when it is one of digests;
//   - a full reference ("quay.io/org/img:tag", "quay.io/org/img@sha256:…",
//     "img:tag@sha256:…"), when it names image (compared as normalised
//     references, so "python" is "docker.io/library/python") and its
//     digest is one of digests, or, without a digest, its tag is tag.
//
// Another tag does not point at the build even if the registry resolves it
// to the same digest today: a mutable ":latest" (or no tag, which means
// it) moves with the next push, so only the build's own tag or digest
// counts. A value that does not parse points at nothing.
func PointsAt(v, image, tag string, digests ...string) bool {
	if bareDigest.MatchString(v) {
		return slices.Contains(digests, v)
	}
	if !strings.ContainsAny(v, "/:@") {
		return v != "" && v == tag
	}
	ref, err := operator.ParseReference(v)
	if err != nil {
		return false
	}
	want, err := operator.ParseReference(image)
	if err != nil || ref.Name() != want.Name() {
		return false
	}
	if ref.Digest != "" {
		return slices.Contains(digests, ref.Digest)
	}
	return ref.Tag != "" && ref.Tag == tag
}
