package main

import (
	"os"
	"strings"
	"testing"
)

// TestDiffReadsWithinOneBudget: diff's two lockfiles share one budget of
// bytes, so two locks of the largest size cannot take twice the memory;
// a pair that does not fit is a usage error naming the file that did not.
func TestDiffReadsWithinOneBudget(t *testing.T) {
	const lock = "../../testdata/repos/compliant/conda-lock.yml"
	st, err := os.Stat(lock)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		limit  int64
		code   int
		stderr string
	}{
		{"both fit", 2 * st.Size(), 0, ""},
		{"the second does not fit", 2*st.Size() - 1, exitUsage, "does not fit: diff reads at most"},
		{"the first does not fit", st.Size() - 1, exitUsage, "does not fit: diff reads at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := diffReadLimit
			diffReadLimit = tt.limit
			t.Cleanup(func() { diffReadLimit = old })
			code, _, stderr := runCmd(t, "diff", lock, lock)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.stderr)
			}
		})
	}
}
