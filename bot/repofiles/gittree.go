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

// tree returns the files and symbolic links of the tree that id names (a
// tree id, or a commit id for that commit's tree): from the cache, or else
// with one recursive listing, which it caches. Files are the listing's
// blobs of modes 100644 and 100755, links those of mode 120000; submodules
// are left out. The whole listing is kept, so that a cached tree serves any
// version of checks.Wanted, and links can be followed to any file.
func (r *reader) tree(id string) ([]Entry, error) {
	cached, ok, err := r.cache.Tree(r.ctx, id)
	if err != nil {
		return nil, fmt.Errorf("tree %s from the cache: %w", id, err)
	}
	if ok {
		return cached, nil
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
		if e.GetType() != "blob" {
			continue
		}
		switch e.GetMode() {
		case "100644", "100755":
			entries = append(entries, Entry{Path: e.GetPath(), SHA: e.GetSHA(), Size: int64(e.GetSize())})
		case "120000":
			entries = append(entries, Entry{Path: e.GetPath(), SHA: e.GetSHA(), Size: int64(e.GetSize()), Link: true})
		}
	}
	if err := r.cache.PutTree(r.ctx, id, entries); err != nil {
		return nil, fmt.Errorf("tree %s into the cache: %w", id, err)
	}
	return entries, nil
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

// hasLink reports whether one of the entries is a symbolic link.
func hasLink(entries []Entry) bool {
	for _, e := range entries {
		if e.Link {
			return true
		}
	}
	return false
}
