package imagebot

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// maxTrackedFile bounds the files the repository tracks outside testdata/:
// build outputs and binaries belong in .gitignore, not in history.
const maxTrackedFile = 1 << 20

func TestNoLargeTrackedFiles(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "-z").Output()
	if err != nil {
		t.Skipf("not a git checkout (git ls-files: %v)", err)
	}
	for _, path := range bytes.Split(bytes.TrimRight(out, "\x00"), []byte{0}) {
		name := string(path)
		if strings.HasPrefix(name, "testdata/") || strings.Contains(name, "/testdata/") {
			continue
		}
		info, err := os.Lstat(name)
		if err != nil {
			continue // deleted in the working tree
		}
		if info.Size() > maxTrackedFile {
			t.Errorf("%s is %.1f MB: the repository tracks nothing over 1 MB outside testdata/ (a build output belongs in .gitignore)", name, float64(info.Size())/(1<<20))
		}
	}
}
