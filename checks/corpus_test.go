package checks

import (
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestCorpus runs the checks on real image repositories.
func TestCorpus(t *testing.T) {
	tests := []struct {
		repo        string
		conclusions map[string]Conclusion
		// findings lists, per check, the exact locations of its error findings.
		errors map[string][]string
	}{
		{
			repo: "cryo-hub-image",
			conclusions: map[string]Conclusion{
				LockfilePresent: Success, LockfileFresh: Success, LockfileConsistent: Success,
				ImagePinned: Success, DependencyDiff: Skipped,
			},
		},
		{
			repo: "dubois-stem",
			conclusions: map[string]Conclusion{
				LockfilePresent: Failure, LockfileFresh: Skipped, LockfileConsistent: Skipped,
				ImagePinned: Failure, DependencyDiff: Skipped,
			},
			errors: map[string][]string{
				LockfilePresent: {"Dockerfile:5", "Dockerfile.before-fix:5"},
				ImagePinned:     {".github/workflows/build.yaml:27"},
			},
		},
		{
			repo: "geodepot",
			conclusions: map[string]Conclusion{
				LockfilePresent: Success, LockfileFresh: Success, LockfileConsistent: Success,
				ImagePinned: Skipped, DependencyDiff: Skipped,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.repo, func(t *testing.T) {
			dir := fixtures.CorpusPath(t, tt.repo)
			report := Check(FS(os.DirFS(dir)))
			for id, want := range tt.conclusions {
				if got := report.Result(id).Conclusion; got != want {
					t.Errorf("%s = %s, want %s; findings: %+v", id, got, want, report.Result(id).Findings)
				}
			}
			for id, want := range tt.errors {
				var got []string
				for _, f := range findingsOf(report, id) {
					if f.Severity == Error {
						got = append(got, location(f))
					}
				}
				if !equalStrings(got, want) {
					t.Errorf("%s errors at %v, want %v", id, got, want)
				}
			}
		})
	}
}

// TestCorpusLockHistory checks that the cryo lock history, seen as a pull
// request, diffs as the python 3.11 to 3.12 move it is. The counts were
// computed independently (PyYAML, keyed on manager, name and platform):
// 24 added, 19 removed, 313 version changes and 86 same-version rebuilds.
func TestCorpusLockHistory(t *testing.T) {
	dir := fixtures.CorpusPath(t, "cryo-lock-history")
	before, err := os.ReadFile(dir + "/conda-lock.6a2dccd.yml")
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(dir + "/conda-lock.fa9d846.yml")
	if err != nil {
		t.Fatal(err)
	}
	report := Check(Files{"conda-lock.yml": after}, WithBase(Files{"conda-lock.yml": before}))
	if len(report.Diffs) != 1 {
		t.Fatalf("got %d diffs, want 1", len(report.Diffs))
	}
	kinds := map[diff.Kind]int{}
	var python *diff.Change
	for i, c := range report.Diffs[0].Changes {
		kinds[c.Kind]++
		if c.Name == "python" && c.Manager == lock.Conda {
			python = &report.Diffs[0].Changes[i]
		}
	}
	want := map[diff.Kind]int{diff.Added: 24, diff.Removed: 19, diff.Upgraded: 305, diff.Downgraded: 8, diff.Rebuilt: 86}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds = %v, want %v", kinds, want)
	}
	if python == nil {
		t.Fatal("no python change")
	}
	if python.Before.Version != "3.11.13" || python.After.Version != "3.12.12" || python.Kind != diff.Upgraded || python.Level != 1 {
		t.Errorf("python: %s -> %s, %s level %d; want 3.11.13 -> 3.12.12, a minor upgrade",
			python.Before.Version, python.After.Version, python.Kind, python.Level)
	}
	if got := report.Result(DependencyDiff); got.Conclusion != Neutral || len(got.Findings) != 8 {
		t.Errorf("dependency-diff = %s with %d findings, want neutral with 8 downgrade warnings", got.Conclusion, len(got.Findings))
	}
}

func location(f Finding) string {
	if f.Line == 0 {
		return f.Path
	}
	return f.Path + ":" + strconv.Itoa(f.Line)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
