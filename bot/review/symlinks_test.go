package review

import (
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestSymlinkedLocks runs pull requests whose conda-lock.yml is a symbolic
// link: one to a lock inside the repository is checked as that lock (no
// false "no lockfile"), and one that leaves the repository or leads
// nowhere fails lockfile-present, naming the link and its target.
func TestSymlinkedLocks(t *testing.T) {
	compliant := fixtures.ReadTree(t, "../../testdata/repos/compliant")
	for _, tc := range []struct {
		name        string
		target      string
		wantPresent string // lockfile-present's run
		wantMessage string // in its annotation
	}{
		{name: "inside the repository", target: "locks/x.yml", wantPresent: "lockfile-present=completed/success(0)"},
		{name: "leaving the repository", target: "../../etc/passwd", wantPresent: "lockfile-present=completed/failure(1)",
			wantMessage: "imagebot could not read conda-lock.yml: conda-lock.yml is a symbolic link to ../../etc/passwd, outside the repository"},
		{name: "dangling", target: "locks/missing.yml", wantPresent: "lockfile-present=completed/failure(1)",
			wantMessage: "imagebot could not read conda-lock.yml: conda-lock.yml is a symbolic link to locks/missing.yml, which does not exist in the repository"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, compliant)
			h.repo.Commit("bump", map[string]string{"locks/x.yml": compliant["conda-lock.yml"]})
			head := h.repo.CommitLinks("bump", map[string]string{"conda-lock.yml": tc.target})
			number := h.repo.OpenPull("bump", "main")
			if err := h.check(number, head, false); err != nil {
				t.Fatal(err)
			}
			runs := strings.Join(h.runs(head), " ")
			if !strings.Contains(runs, tc.wantPresent) {
				t.Errorf("runs %s, want %s", runs, tc.wantPresent)
			}
			var messages []string
			for _, r := range h.gh.CheckRuns(h.repo.FullName(), head) {
				if r.Name != "lockfile-present" {
					continue
				}
				for _, a := range r.Annotations {
					messages = append(messages, a.Path+": "+a.Message)
				}
			}
			if tc.wantMessage == "" && len(messages) != 0 || tc.wantMessage != "" && (len(messages) != 1 || !strings.HasPrefix(messages[0], "conda-lock.yml: "+tc.wantMessage+"\n\nFix: ")) {
				t.Errorf("lockfile-present annotations %q, want %q", messages, tc.wantMessage)
			}
			if strings.Contains(runs, "failure") != (tc.wantMessage != "") {
				t.Errorf("runs %s", runs)
			}
		})
	}
}
