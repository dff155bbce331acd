package repofiles

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/lock"
)

// tree is one side of a Snapshot as a checks.Tree: the wanted files of one
// revision, read through the snapshot's reader. A wanted file that is a
// symbolic link is read through the link, followed as checks.ResolveListed
// follows links.
type tree struct {
	r       *reader
	entries map[string]Entry // the wanted files, links among them
	paths   []string         // sorted

	// all holds every file and link of the revision, and dirs its
	// directories: what following links needs. Both are nil when no
	// wanted file is a link.
	all   map[string]Entry
	dirs  map[string]bool
	links map[string]resolution // the wanted links followed, by path
}

// resolution is where a wanted link leads: a file, or a *checks.LinkError.
type resolution struct {
	e   Entry
	err error
}

// newTree serves the wanted files of a revision's listing.
func newTree(r *reader, listing []Entry) *tree {
	t := &tree{r: r, entries: map[string]Entry{}, links: map[string]resolution{}}
	links := false
	for _, e := range wanted(listing) {
		t.entries[e.Path] = e
		t.paths = append(t.paths, e.Path)
		links = links || e.Link
	}
	sort.Strings(t.paths)
	if !links {
		return t
	}
	t.all, t.dirs = make(map[string]Entry, len(listing)), map[string]bool{".": true}
	for _, e := range listing {
		t.all[e.Path] = e
		for d := path.Dir(e.Path); !t.dirs[d]; d = path.Dir(d) {
			t.dirs[d] = true
		}
	}
	return t
}

// Paths lists the tree's wanted files in sorted order.
func (t *tree) Paths() []string { return slices.Clone(t.paths) }

// ReadFile returns a file's content, fetching its blob on first use (see
// Snapshot). A path the tree lacks is an fs.ErrNotExist; a file larger than
// lock.MaxSize is a *TooLargeError; a symbolic link that leaves the
// repository, loops or leads nowhere is a *checks.LinkError. It is safe
// for concurrent use, and uses the context Load was given.
func (t *tree) ReadFile(path string) ([]byte, error) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, err := t.file(path)
	if err != nil {
		return nil, err
	}
	return t.r.blob(e)
}

// Size returns a file's size as the tree listed it, or as far as its
// download went when that found it larger than the listing said. It makes
// no call, so that the checks can budget before reading (checks.Sizer). A
// link's size is that of the file it leads to, once followed.
func (t *tree) Size(path string) (int64, bool) {
	t.r.mu.Lock()
	defer t.r.mu.Unlock()
	e, ok := t.entries[path]
	if e.Link {
		res, followed := t.links[path]
		e, ok = res.e, followed && res.err == nil
	}
	if !ok {
		return 0, false
	}
	if tl, ok := t.r.tooLarge[e.SHA]; ok {
		return max(tl.Size, e.Size, lock.MaxSize+1), true
	}
	return e.Size, true
}

// file returns the entry whose blob holds a wanted file's content: its own,
// or for a symbolic link that of the file the link leads to. Following a
// link reads the targets of the links on its way (they are blobs), so it
// may fail with a GitHub fault, which is returned and not remembered; where
// a link leads is remembered, so that once the snapshot is sealed it is
// served without a call. Callers hold r.mu.
func (t *tree) file(p string) (Entry, error) {
	e, ok := t.entries[p]
	switch {
	case !ok:
		return Entry{}, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	case !e.Link:
		return e, nil
	}
	if res, ok := t.links[p]; ok {
		return res.e, res.err
	}
	if t.r.sealed {
		return Entry{}, fmt.Errorf("%s: %w", p, ErrNotFetched)
	}
	real, err := checks.ResolveListed(p, listing{t})
	var linkErr *checks.LinkError
	if err != nil && !errors.As(err, &linkErr) {
		return Entry{}, err
	}
	t.links[p] = resolution{e: t.all[real], err: err}
	return t.links[p].e, err
}

// listing is a tree as checks.ResolveListed follows links in it: a link's
// target is its blob.
type listing struct{ t *tree }

func (l listing) Entry(name string) (int64, bool, bool) {
	e, ok := l.t.all[name]
	return e.Size, e.Link, ok
}

func (l listing) IsDir(name string) bool { return l.t.dirs[name] }

func (l listing) Target(name string) (string, error) {
	data, err := l.t.r.blob(l.t.all[name])
	return string(data), err
}
