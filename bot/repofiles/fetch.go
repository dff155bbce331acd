package repofiles

import (
	"errors"
	"fmt"
)

// ErrNotFetched is ReadFile's error, once the snapshot is sealed, for a
// file that Fetch did not fetch.
var ErrNotFetched = errors.New("not fetched before the checks ran")

// Fetch reads the blobs of the given paths of the base and of the head
// (paths a tree lacks are skipped), from the cache or from GitHub, so that
// ReadFile serves them from memory. A file larger than lock.MaxSize is no
// error here: ReadFile reports it as a *TooLargeError, which the checks
// turn into a finding. Any other error, a GitHub fault above all, is
// returned, for the job to retry or snooze: the checks never see it.
func (s *Snapshot) Fetch(basePaths, headPaths []string) error {
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	for _, side := range []struct {
		t     *tree
		paths []string
	}{{s.base, basePaths}, {s.head, headPaths}} {
		for _, p := range side.paths {
			e, ok := side.t.entries[p]
			if !ok {
				continue
			}
			_, err := s.r.blob(e)
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
