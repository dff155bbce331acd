package hubconfig

import "testing"

const (
	indexDigest    = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	platformDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	otherDigest    = "sha256:3333333333333333333333333333333333333333333333333333333333333333"
)

func TestPointsAt(t *testing.T) {
	const (
		image = "quay.io/org/hub-image"
		tag   = "0123456789ab"
	)
	digests := []string{indexDigest, platformDigest}
	tests := []struct {
		v     string
		image string
		want  bool
		why   string
	}{
		{"0123456789ab", image, true, "the bare tag"},
		{"fedcba987654", image, false, "another bare tag"},
		{"0123456789a", image, false, "a prefix of the tag is another tag"},
		{"latest", image, false, "a bare mutable tag"},
		{"", image, false, "no value"},
		{"quay.io/org/hub-image:0123456789ab", image, true, "image:tag"},
		{"quay.io/org/hub-image:fedcba987654", image, false, "the old tag"},
		{"quay.io/org/hub-image:latest", image, false, ":latest is never the build's tag, even if it resolves to its digest today"},
		{"quay.io/org/hub-image", image, false, "no tag means :latest"},
		{"quay.io/org/other-image:0123456789ab", image, false, "the tag on another image"},
		{"ghcr.io/org/hub-image:0123456789ab", image, false, "the tag in another registry"},
		{"QUAY.IO/org/hub-image:0123456789ab", image, true, "registry hosts are not case-sensitive"},
		{"quay.io/org/hub-image@" + indexDigest, image, true, "the index digest"},
		{"quay.io/org/hub-image@" + platformDigest, image, true, "the linux/amd64 manifest digest"},
		{"quay.io/org/hub-image@" + otherDigest, image, false, "another digest"},
		{"quay.io/org/hub-image:0123456789ab@" + otherDigest, image, false, "the digest wins over the tag, as runtimes pull by digest"},
		{"quay.io/org/hub-image:latest@" + indexDigest, image, true, "a digest pins whatever the tag says"},
		{indexDigest, image, true, "a bare digest"},
		{otherDigest, image, false, "another bare digest"},
		{"python:0123456789ab", "docker.io/library/python", true, "Docker Hub's short name"},
		{"docker.io/library/python:0123456789ab", "python", true, "Docker Hub's full name against its short one"},
		{"index.docker.io/library/python:0123456789ab", "python", true, "Docker Hub's legacy host"},
		{"library/python:0123456789ab", "python", true, "library/ without the host"},
		{"org/python:0123456789ab", "python", false, "another Docker Hub namespace"},
		{"quay.io/Org/hub-image:0123456789ab", image, false, "not a valid reference"},
		{"quay.io/org/hub-image:0123456789ab", "not a valid image", false, "the image does not parse"},
	}
	for _, tt := range tests {
		if got := PointsAt(tt.v, tt.image, tag, digests...); got != tt.want {
			t.Errorf("PointsAt(%q, %q) = %v, want %v: %s", tt.v, tt.image, got, tt.want, tt.why)
		}
	}
	if PointsAt("quay.io/org/hub-image@"+indexDigest, image, tag) {
		t.Error("a digest points at a build whose digests are not known yet")
	}
}
