package repofiles

import (
	"errors"
	"fmt"

	"github.com/imagebot/imagebot/checks"
)

// ErrTreeTruncated is Load's error for a repository whose tree GitHub does not
// list whole: more than 100,000 entries or 7 MB. Reading such a tree one
// directory at a time could take thousands of calls, so Load refuses it.
var ErrTreeTruncated = errors.New("the repository's tree is larger than GitHub lists in one response (100,000 entries or 7 MB); imagebot does not check repositories this large")

// tree returns the wanted files of the tree that id names (a tree id, or a
// commit id for that commit's tree): from the cache, or else with one
// recursive listing. It caches every regular file of the listing (modes
// 100644 and 100755: no symbolic links, no submodules), and keeps those that
// checks.Wanted accepts, so that a cached tree serves any version of
// checks.Wanted.
func (r *reader) tree(id string) ([]Entry, error) {
	cached, ok, err := r.cache.Tree(r.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("tree %s from the cache: %w", id, err)
	}
	if ok {
		return wanted(cached), nil
	}
	r.snap.Reads++
	t, _, err := r.gh.Git.GetTree(r.ctx, r.owner, r.repo, id, true)
	if err != nil {
		return nil, fmt.Errorf("tree %s: %w", id, err)
	}
	if t.GetTruncated() {
		return nil, fmt.Errorf("tree %s: %w", id, ErrTreeTruncated)
	}
	var entries []Entry
	for _, e := range t.Entries {
		if e.GetType() != "blob" || (e.GetMode() != "100644" && e.GetMode() != "100755") {
			continue
		}
		entries = append(entries, Entry{Path: e.GetPath(), SHA: e.GetSHA(), Size: int64(e.GetSize())})
	}
	if err := r.cache.PutTree(r.ctx, id, entries); err != nil {
		return nil, fmt.Errorf("tree %s into the cache: %w", id, err)
	}
	return wanted(entries), nil
}

// wanted keeps the entries whose paths checks.Wanted accepts.
func wanted(entries []Entry) []Entry {
	var out []Entry
	for _, e := range entries {
		if checks.Wanted(e.Path) {
			out = append(out, e)
		}
	}
	return out
}
