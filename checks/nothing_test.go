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

// TestTooManyFiles names the files left out in a grammatical sentence.
func TestTooManyFiles(t *testing.T) {
	for _, tt := range []struct {
		extra int
		want  string
	}{
		{1, "The repository has more than 500 files that imagebot reads; 1 was not checked."},
		{3, "The repository has more than 500 files that imagebot reads; 3 were not checked."},
	} {
		tree := Files{}
		for i := range maxFiles + tt.extra {
			tree[fmt.Sprintf("env%04d/environment.yml", i)] = []byte("dependencies: []\n")
		}
		var got []string
		for _, f := range Check(tree).Result(LockfilePresent).Findings {
			if f.Severity == Notice {
				got = append(got, f.Message)
			}
		}
		if len(got) != 1 || got[0] != tt.want {
			t.Errorf("%d extra files: notices %q, want %q", tt.extra, got, tt.want)
		}
	}
}
