package repofiles

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/fakegithub"
)

// TestFetchThenSeal: Fetch reads the blobs asked for, and returns GitHub's
// faults; after Seal, ReadFile serves what was fetched and makes no call,
// a file not fetched is ErrNotFetched, and a file too large is a
// *TooLargeError, sized for the checks.
func TestFetchThenSeal(t *testing.T) {
	big := strings.Repeat("x", lock.MaxSize+1)
	// The tree lists big's size, so it is refused without a download.
	w := newWorld(t, with(mainFiles, map[string]string{"big/conda-lock.yml": big}), nil)
	base, head := w.pull(func(r *fakegithub.Repo) {
		r.Commit("feature", map[string]string{"conda-lock.yml": newLock})
	})
	snap, err := Load(ctx, w.gh, newMemCache(), owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	w.srv.Fail("git/get-blob", 1, http.StatusBadGateway, nil)
	if err := snap.Fetch(nil, []string{"conda-lock.yml"}); err == nil || !strings.Contains(err.Error(), "fetch conda-lock.yml: ") {
		t.Fatalf("Fetch with a 502 = %v, want the fault", err)
	}
	w.srv.Reset()
	if err := snap.Fetch([]string{"environment.yml"}, []string{"conda-lock.yml", "big/conda-lock.yml", "missing.lock"}); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	fetched := w.readOps()
	snap.Seal()
	if data, err := snap.Head.ReadFile("conda-lock.yml"); err != nil || string(data) != newLock {
		t.Errorf("ReadFile(conda-lock.yml) = %q, %v", data, err)
	}
	var tooLarge *TooLargeError
	if _, err := snap.Head.ReadFile("big/conda-lock.yml"); !errors.As(err, &tooLarge) {
		t.Errorf("ReadFile(big/conda-lock.yml) = %v, want a *TooLargeError", err)
	}
	if n, ok := snap.Head.(interface{ Size(string) (int64, bool) }).Size("big/conda-lock.yml"); !ok || n <= lock.MaxSize {
		t.Errorf("Size(big/conda-lock.yml) = %d, %v; want more than lock.MaxSize", n, ok)
	}
	if _, err := snap.Head.ReadFile("Dockerfile"); !errors.Is(err, ErrNotFetched) {
		t.Errorf("ReadFile(Dockerfile) = %v, want ErrNotFetched", err)
	}
	if got := w.readOps(); !slices.Equal(got, fetched) {
		t.Errorf("reads after Seal: %q, want none beyond %q", got, fetched)
	}
}
