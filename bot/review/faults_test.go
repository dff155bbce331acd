package review

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// TestReadFaultsNeverBecomeFindings fails each kind of GitHub read a job
// makes (the comparison, the merge base's tree, the head's tree, the
// configuration's blob, a checked file's blob, a symbolic link's target)
// with a rate limit or with server errors: the job
// snoozes or is retried, publishes no Check Run, and the next attempt
// publishes the real results, none of which mentions the fault.
func TestReadFaultsNeverBecomeFindings(t *testing.T) {
	withConfig := func(files map[string]string) map[string]string {
		files[".github/imagebot.yml"] = "checks:\n  image-pinned: error\n"
		return files
	}
	reads := []struct {
		name   string
		op     string
		config bool // the base has .github/imagebot.yml, whose blob is read first
		warm   bool // another pull request from the same base has cached the merge base's tree (and with link, every blob of outage)
		link   bool // the pull request's conda-lock.yml is a link to locks/x.yml, whose target is the one blob not cached
	}{
		{"comparison", "repos/compare-commits", false, false, false},
		{"merge base's tree", "git/get-tree", false, false, false},
		{"head's tree", "git/get-tree", false, true, false},
		{"configuration", "git/get-blob", true, false, false},
		{"a checked file", "git/get-blob", false, false, false},
		{"a link's target", "git/get-blob", false, true, true},
	}
	faults := []struct {
		name   string
		times  int
		status int
		header http.Header
		snooze time.Duration // 0: a plain error, retried with backoff
	}{
		{"429 with Retry-After", 1, http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}}, 30 * time.Second},
		{"403 secondary rate limit", 1, http.StatusForbidden, http.Header{"Retry-After": {"60"}}, 60 * time.Second},
		{"four 502s", 4, http.StatusBadGateway, nil, 0},
	}
	for _, read := range reads {
		for _, fault := range faults {
			t.Run(read.name+"/"+fault.name, func(t *testing.T) {
				base := fixtures.ReadTree(t, "../../testdata/repos/compliant")
				outage := fixtures.ReadTree(t, "../../testdata/repos/outage")
				if read.config {
					base = withConfig(base)
				}
				if read.link {
					base["locks/x.yml"] = outage["conda-lock.yml"]
				}
				h := newHarness(t, base)
				if read.warm {
					warm := map[string]string{"README.md": "# docs\n"}
					if read.link {
						warm = outage
					}
					h.repo.Commit("warm", warm)
					if err := h.check(h.repo.OpenPull("warm", "main"), h.repo.Branch("warm"), false); err != nil {
						t.Fatal(err)
					}
				}
				number, head := h.open(outage)
				if read.link {
					head = h.repo.CommitLinks("bump", map[string]string{"conda-lock.yml": "locks/x.yml"})
				}
				h.gh.Fail(read.op, fault.times, fault.status, fault.header)
				err := h.check(number, head, false)
				var snooze *rivertype.JobSnoozeError
				switch {
				case fault.snooze > 0 && (!errors.As(err, &snooze) || snooze.Duration != fault.snooze):
					t.Errorf("error %v, want a %s snooze", err, fault.snooze)
				case fault.snooze == 0 && (err == nil || errors.As(err, &snooze)):
					t.Errorf("error %v, want a plain error to retry", err)
				}
				if runs := h.runs(head); len(runs) != 0 {
					t.Errorf("the faulted attempt published %v", runs)
				}
				if err := h.check(number, head, false); err != nil {
					t.Fatalf("the next attempt: %v", err)
				}
				want := "dependency-diff=completed/neutral(1) image-pinned=completed/success(0) lockfile-consistent=completed/failure(1) lockfile-fresh=completed/success(0) lockfile-present=completed/success(0)"
				if got := strings.Join(h.runs(head), " "); got != want {
					t.Errorf("runs %s\nwant %s", got, want)
				}
				for _, r := range h.gh.CheckRuns(h.repo.FullName(), head) {
					for _, a := range r.Annotations {
						if strings.Contains(a.Message, "could not read") {
							t.Errorf("%s: %s", r.Name, a.Message)
						}
					}
				}
			})
		}
	}
}
