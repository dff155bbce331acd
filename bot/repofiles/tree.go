package repofiles

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"

	"github.com/imagebot/imagebot/checks/lock"
)

// tree is one side of a Snapshot as a checks.Tree: the wanted files of one
// revision, read through the snapshot's reader.
type tree struct {
	r       *reader
	entries map[string]Entry
	paths   []string // sorted
}

func newTree(r *reader, entries []Entry) *tree {
	t := &tree{r: r, entries: make(map[string]Entry, len(entries))}
	for _, e := range entries {
		t.entries[e.Path] = e
		t.paths = append(t.paths, e.Path)
	}
	sort.Strings(t.paths)
	return t
}

// Paths lists the tree's wanted files in sorted order.
func (t *tree) Paths() []string { return slices.Clone(t.paths) }

// ReadFile returns a file's content, fetching its blob on first use (see
// Snapshot). A path the tree lacks is an fs.ErrNotExist; a file larger than
// lock.MaxSize is a *TooLargeError. It is safe for concurrent use, and uses
// the context Load was given.
func (t *tree) ReadFile(path string) ([]byte, error) {
	e, ok := t.entries[path]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	return t.r.blob(e)
}

// Size returns a file's size: as the tree listed it, or as read. It makes
// no call, so that the checks can budget before reading (checks.Sizer).
func (t *tree) Size(path string) (int64, bool) {
	e, ok := t.entries[path]
	if !ok {
		return 0, false
	}
	if e.Size >= 0 {
		return e.Size, true
	}
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	if data, ok := t.r.blobs[e.SHA]; ok {
		return int64(len(data)), true
	}
	if tl, ok := t.r.tooLarge[e.SHA]; ok {
		return max(tl.Size, lock.MaxSize+1), true
	}
	return 0, false
}
