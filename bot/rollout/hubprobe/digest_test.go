package hubprobe

import "testing"

func TestNormalizeImageID(t *testing.T) {
	const sha512 = "sha512:" +
		"0d4b0b1e3c6a2f9e8d7c6b5a49382716051f2e3d4c5b6a79880f1e2d3c4b5a69" +
		"78877665544332211009f8e7d6c5b4a39281706f5e4d3c2b1a0918273645546a"
	tests := []struct {
		imageID string
		want    string
		reason  string
	}{
		{"docker-pullable://quay.io/community/notebook@" + newIndex, newIndex, "dockershim"},
		{"quay.io/community/notebook@" + newAMD64, newAMD64, "containerd"},
		{newIndex, newIndex, "bare digest"},
		{"docker://" + oldIndex, oldIndex, "dockershim, image without a registry digest"},
		{"docker-pullable://community/notebook@" + oldIndex, oldIndex, "Docker Hub name without docker.io"},
		{"docker.io/library/python@" + oldAMD64, oldAMD64, "Docker Hub official image"},
		{"localhost:5000/notebook@" + newIndex, newIndex, "registry with a port"},
		{"quay.io/community/notebook:3f2a9c1d7b4e@" + newIndex, newIndex, "tag and digest"},
		{"ghcr.io/community/notebook@" + sha512, sha512, "sha512"},
		{"", "", "container not started"},
		{"quay.io/community/notebook:3f2a9c1d7b4e", "", "tag only"},
		{"docker-pullable://quay.io/community/notebook", "", "no digest"},
		{"quay.io/community/notebook@sha256:e480ce5b", "", "digest too short"},
		{"quay.io/community/notebook@sha256:E480CE5B8D5C58178945311AC9550B9AC0555A6465A73DD8434B690CE080D281", "", "upper-case hex"},
		{"quay.io/community/notebook@md5:0cc175b9c0f1b6a831c399e269772661", "", "unknown algorithm"},
		{"sha256:" + newIndex[len("sha256:"):] + "00", "", "digest too long"},
	}
	for _, tt := range tests {
		if got := NormalizeImageID(tt.imageID); got != tt.want {
			t.Errorf("NormalizeImageID(%q) = %q, want %q (%s)", tt.imageID, got, tt.want, tt.reason)
		}
	}
}
