package checks

import (
	"path"
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
)

// specPathsOf returns the spec files a lock was made from: the files the
// lock itself names as its sources, or else the spec its format is made
// from in the lock's own directory.
func (r *repository) specPathsOf(l *lock.Lock) []string {
	dir := path.Dir(l.Path)
	if len(l.Sources) > 0 {
		out := make([]string, 0, len(l.Sources))
		for _, s := range l.Sources {
			out = append(out, path.Join(dir, s))
		}
		return out
	}
	var candidates []string
	switch l.Format {
	case lock.FormatCondaLock:
		candidates = []string{"environment.yml", "environment.yaml"}
	case lock.FormatExplicit:
		// An explicit lock rendered from a conda-lock.yml shares its sources.
		for _, name := range []string{"conda-lock.yml", "conda-lock.yaml"} {
			if sibling := r.locks[path.Join(dir, name)]; sibling != nil && len(sibling.Sources) > 0 {
				return r.specPathsOf(sibling)
			}
		}
		candidates = []string{"environment.yml", "environment.yaml"}
	case lock.FormatPixi:
		candidates = []string{"pixi.toml", "pyproject.toml"}
	case lock.FormatUV:
		candidates = []string{"pyproject.toml"}
	case lock.FormatPipCompile:
		candidates = []string{strings.TrimSuffix(path.Base(l.Path), ".txt") + ".in"}
	}
	for _, c := range candidates {
		if p := path.Join(dir, c); r.has(p) {
			return []string{p}
		}
	}
	return nil
}

// locksOf returns the locks made from a spec file, in path order.
func (r *repository) locksOf(specPath string) []*lock.Lock {
	var out []*lock.Lock
	for _, l := range r.sortedLocks() {
		for _, p := range r.specPathsOf(l) {
			if p == specPath {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// hasForeignLock reports whether a lock imagebot cannot read sits next to
// a spec (poetry.lock next to pyproject.toml).
func (r *repository) hasForeignLock(specPath string) bool {
	dir := path.Dir(specPath)
	for p := range r.foreign {
		if path.Dir(p) == dir {
			return true
		}
	}
	return false
}

// isConda reports whether a lock format holds conda packages per platform.
func isConda(f lock.Format) bool {
	return f == lock.FormatCondaLock || f == lock.FormatExplicit || f == lock.FormatPixi
}
