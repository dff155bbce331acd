package fakegithub

import (
	"sort"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"
)

// TestDescription checks that the pinned description is indexed whole and holds every
// operation the fake implements.
func TestDescription(t *testing.T) {
	d := loadDescription(t)
	t.Logf("GitHub's REST description loaded in %v", d.loadTime)
	equal(t, "operations indexed", len(d.operations), 1223)
	var missing []string
	for op := range handlers {
		if d.operations[op] == nil {
			missing = append(missing, op)
		}
	}
	sort.Strings(missing)
	equal(t, "implemented operations missing from the description", missing, []string(nil))
}

// TestConcurrentUse writes from several goroutines at once, as the App's workers do.
func TestConcurrentUse(t *testing.T) {
	w := newWorld(t)
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for i := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("hi")})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			w.repo.Commit("feature", map[string]string{"f": string(rune('a' + i))})
			_, _, err := w.c.Checks.CreateCheckRun(w.ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "c", HeadSHA: w.head})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(t, err)
	}
	ids := map[int64]bool{}
	for _, c := range w.s.Comments(worldRepo, w.pr) {
		ids[c.ID] = true
	}
	equal(t, "distinct comments", len(ids), writers)
	equal(t, "check runs", len(w.s.CheckRuns(worldRepo, w.head)), writers)
	equal(t, "recorded calls", len(w.s.Writes()), 2*writers)
}
