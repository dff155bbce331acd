package repofiles

import (
	"errors"
	"fmt"

	"github.com/imagebot/imagebot/checks"
)

// ErrNotFetched is ReadFile's error, once the snapshot is sealed, for a
// file that Fetch did not fetch.
var ErrNotFetched = errors.New("not fetched before the checks ran")

// Fetch reads the blobs of the given paths of the base and of the head
// (paths a tree lacks are skipped), from the cache or from GitHub, so that
// ReadFile serves them from memory. For a symbolic link, that is the
// targets of the links on its way and the file it leads to. A file larger
// than lock.MaxSize, and a link that leaves the repository, loops or leads
// nowhere, are no error here: ReadFile reports them (a *TooLargeError, a
// *checks.LinkError), and the checks turn them into findings. Any other
// error, a GitHub fault above all, is returned, for the job to retry or
// snooze: the checks never see it.
func (s *Snapshot) Fetch(basePaths, headPaths []string) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, side := range []struct {
		t     *tree
		paths []string
	}{{s.base, basePaths}, {s.head, headPaths}} {
		for _, p := range side.paths {
			if _, ok := side.t.entries[p]; !ok {
				continue
			}
			e, err := side.t.file(p)
			var linkErr *checks.LinkError
			switch {
			case errors.As(err, &linkErr):
				continue
			case err != nil:
				return fmt.Errorf("fetch %s: %w", p, err)
			}
			_, err = s.r.blob(e)
			var tooLarge *TooLargeError
			switch {
			case errors.As(err, &tooLarge):
				s.r.tooLarge[e.SHA] = tooLarge
			case err != nil:
				return fmt.Errorf("fetch %s: %w", p, err)
			}
		}
	}
	return nil
}

// Seal makes ReadFile serve only what Fetch fetched: it makes no call to
// GitHub or the cache any more, and a file not fetched is ErrNotFetched.
func (s *Snapshot) Seal() {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.sealed = true
}
