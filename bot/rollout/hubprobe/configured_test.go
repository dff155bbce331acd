package hubprobe

import "testing"

func TestConfiguredFor(t *testing.T) {
	digests := []string{newIndex, newAMD64}
	tests := []struct {
		configured []string
		image, tag string
		digests    []string
		want       bool
		reason     string
	}{
		{[]string{newImage}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "same tag"},
		{[]string{oldImage}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "previous build's tag"},
		{[]string{oldImage, newImage}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "pullers mid update"},
		{[]string{newImage}, "quay.io/community/notebook", "", digests, false, "no tag asked for, none pinned"},
		{[]string{"quay.io/community/notebook@" + newIndex}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "pinned to the index digest"},
		{[]string{"quay.io/community/notebook@" + newAMD64}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "pinned to the platform digest"},
		{[]string{"quay.io/community/notebook@" + oldIndex}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "pinned to the old digest"},
		{[]string{"quay.io/community/notebook:3f2a9c1d7b4e@" + oldIndex}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "the runtime pulls the pinned old digest, not the tag"},
		{[]string{"quay.io/community/notebook:0c8e5d2a91f7@" + newAMD64}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "the pinned digest decides, not the tag"},
		{[]string{"quay.io/community/notebook@" + newIndex}, "quay.io/community/notebook", "3f2a9c1d7b4e", nil, false, "no digests known yet"},
		{[]string{"ghcr.io/community/notebook:3f2a9c1d7b4e"}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "another registry"},
		{[]string{"quay.io/community/notebook-gpu:3f2a9c1d7b4e"}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "another repository"},
		{[]string{"community/notebook:3f2a9c1d7b4e"}, "docker.io/community/notebook", "3f2a9c1d7b4e", digests, true, "Docker Hub without docker.io"},
		{[]string{"docker.io/community/notebook:3f2a9c1d7b4e"}, "community/notebook", "3f2a9c1d7b4e", digests, true, "Docker Hub asked for without docker.io"},
		{[]string{"index.docker.io/community/notebook:3f2a9c1d7b4e"}, "docker.io/community/notebook", "3f2a9c1d7b4e", digests, true, "Docker Hub's index domain"},
		{[]string{"python:3.12-slim"}, "docker.io/library/python", "3.12-slim", digests, true, "official image without library/"},
		{[]string{"docker.io/library/python:3.12-slim"}, "python", "3.12-slim", digests, true, "official image asked for without library/"},
		{[]string{"library/python:3.12-slim"}, "docker.io/python", "3.12-slim", digests, true, "library/ without docker.io"},
		{[]string{"python:3.12-slim"}, "quay.io/python", "3.12-slim", digests, false, "quay.io has no library/ default"},
		{[]string{"community/notebook:latest"}, "docker.io/community/notebook", "3f2a9c1d7b4e", digests, false, "hub follows :latest, not the build's tag"},
		{[]string{"community/notebook:latest"}, "docker.io/community/notebook", "latest", digests, true, "asked for :latest"},
		{[]string{"community/notebook"}, "docker.io/community/notebook", "latest", digests, true, "no tag means :latest"},
		{[]string{"community/notebook"}, "docker.io/community/notebook", "3f2a9c1d7b4e", digests, false, "no tag is not the build's tag"},
		{[]string{"localhost:5000/notebook:3f2a9c1d7b4e"}, "localhost:5000/notebook", "3f2a9c1d7b4e", digests, true, "registry with a port"},
		{[]string{"localhost:5000/notebook:3f2a9c1d7b4e"}, "docker.io/library/notebook", "3f2a9c1d7b4e", digests, false, "the port is no tag"},
		{[]string{"localhost/notebook:3f2a9c1d7b4e"}, "localhost/notebook", "3f2a9c1d7b4e", digests, true, "localhost is a domain"},
		{[]string{"Quay.IO/community/notebook:3f2a9c1d7b4e"}, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, true, "domains ignore case"},
		{[]string{newImage}, "quay.io/community/notebook:0c8e5d2a91f7", "3f2a9c1d7b4e", digests, true, "a tag in image is not compared"},
		{nil, "quay.io/community/notebook", "3f2a9c1d7b4e", digests, false, "hub runs no image pullers"},
	}
	for _, tt := range tests {
		o := Observation{ConfiguredImages: tt.configured}
		if got := o.ConfiguredFor(tt.image, tt.tag, tt.digests...); got != tt.want {
			t.Errorf("%q.ConfiguredFor(%q, %q) = %t, want %t (%s)", tt.configured, tt.image, tt.tag, got, tt.want, tt.reason)
		}
	}
}
