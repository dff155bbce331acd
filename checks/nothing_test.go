package checks

import (
	"fmt"
	"testing"
)

// TestNothingToCheck: a tree without specs, locks or build files is no
// success; every check is skipped and the report is neutral.
func TestNothingToCheck(t *testing.T) {
	for name, tree := range map[string]Files{
		"empty":              {},
		"a README only":      {"README.md": []byte("# notes\n")},
		"configuration only": {".github/imagebot.yml": []byte("checks:\n  image-pinned: warning\n")},
	} {
		t.Run(name, func(t *testing.T) {
			r := Check(tree)
			if r.Conclusion != Neutral {
				t.Errorf("conclusion %s, want neutral", r.Conclusion)
			}
			present := r.Result(LockfilePresent)
			if present.Conclusion != Skipped || present.Summary != "Nothing to check: no environment files, lockfiles or build files found." {
				t.Errorf("lockfile-present: %s %q", present.Conclusion, present.Summary)
			}
		})
	}
}

// TestLeftOutFilesFail: files past the run's budget are named, and the
// checks they matter to fail; the root Dockerfile is read first, however
// many files the repository has.
func TestLeftOutFilesFail(t *testing.T) {
	tree := Files{"Dockerfile": []byte("FROM python:latest\nRUN pip install requests\n")}
	for i := range maxFiles + 2 {
		tree[fmt.Sprintf("env%04d/environment.yml", i)] = []byte("dependencies: []\n")
	}
	r := Check(tree)
	if r.Conclusion != Failure {
		t.Errorf("conclusion %s, want failure", r.Conclusion)
	}
	pinned := findingsOf(r, ImagePinned)
	if len(pinned) != 1 || pinned[0].Path != "Dockerfile" || pinned[0].Message != "`FROM python:latest` follows `latest`, so each build can start from a different base image." {
		t.Errorf("image-pinned: %+v", pinned)
	}
	// The Dockerfile and the first 999 environment files are read.
	want := Finding{Severity: Error,
		Message: "imagebot reads at most 1000 files and 96 MiB per run, and 3 files it would check were not read, so this check cannot pass: `env0999/environment.yml`, `env1000/environment.yml`, `env1001/environment.yml`.",
		Fix:     "List the directories that hold no image under ignore.paths in .github/imagebot.yml, so that every file that builds the image is checked."}
	for _, id := range []string{LockfilePresent, LockfileFresh} {
		found := false
		for _, f := range findingsOf(r, id) {
			found = found || f == want
		}
		if !found || r.Result(id).Conclusion != Failure {
			t.Errorf("%s: %s, no finding %+v", id, r.Result(id).Conclusion, want)
		}
	}
}

// sized is a tree whose files are listed larger than they are, to spend
// the byte budget without the memory.
type sized struct {
	Files
	size int64
}

func (s sized) Size(string) (int64, bool) { return s.size, true }

// TestByteBudget: what does not fit the bytes a run reads is left out
// without being read, and fails the checks it matters to.
func TestByteBudget(t *testing.T) {
	tree := sized{Files: Files{}, size: 30 << 20}
	for i := range 4 {
		tree.Files[fmt.Sprintf("env%d/environment.yml", i)] = []byte("dependencies: []\n")
	}
	r := Check(tree)
	want := "imagebot reads at most 1000 files and 96 MiB per run, and 1 file it would check was not read, so this check cannot pass: `env3/environment.yml`."
	got := findingsOf(r, LockfileFresh)
	if len(got) == 0 || got[0].Message != want || r.Result(LockfileFresh).Conclusion != Failure {
		t.Errorf("lockfile-fresh: %+v\nwant %s", got, want)
	}
}
