package lock

import (
	"cmp"
	"slices"
	"strings"

	"github.com/imagebot/imagebot/checks/pep440"
)

// assembler allocates Packages and Dependencies in chunks, so a lock of
// thousands of packages costs a handful of allocations, and gathers them
// into environments and platforms.
type assembler struct {
	chunk int // packages per chunk
	pkgs  []Package
	deps  []Dependency
	envs  []*Environment
}

// depsChunk is how many Dependencies one allocation holds: small enough
// that the unused tail of the last chunk costs little.
const depsChunk = 1024

// newAssembler returns an assembler sized for about the given number of
// packages; the hint only sets the allocation size, which stays between 16
// and 4096 packages whatever the input claims.
func newAssembler(packages int) *assembler {
	return &assembler{chunk: min(max(packages, 16), 4096)}
}

func (a *assembler) newPackage() *Package {
	if len(a.pkgs) == cap(a.pkgs) {
		a.pkgs = make([]Package, 0, a.chunk)
	}
	a.pkgs = a.pkgs[:len(a.pkgs)+1]
	return &a.pkgs[len(a.pkgs)-1]
}

// newDeps returns an empty slice with room for n dependencies. Its capacity
// is exactly n, so appending more never writes into another package's.
func (a *assembler) newDeps(n int) []Dependency {
	if n == 0 {
		return nil
	}
	if cap(a.deps)-len(a.deps) < n {
		a.deps = make([]Dependency, 0, max(n, depsChunk))
	}
	i := len(a.deps)
	a.deps = a.deps[:i+n]
	return a.deps[i : i : i+n]
}

// environment returns the environment called name, adding it if needed.
func (a *assembler) environment(name string) *Environment {
	for _, e := range a.envs {
		if e.Name == name {
			return e
		}
	}
	e := &Environment{Name: name}
	a.envs = append(a.envs, e)
	return e
}

// platform returns e's platform called name, adding it if needed.
func platformOf(e *Environment, name string) *Platform {
	if n := len(e.Platforms); n > 0 && e.Platforms[n-1].Name == name {
		return e.Platforms[n-1]
	}
	for _, p := range e.Platforms {
		if p.Name == name {
			return p
		}
	}
	p := &Platform{Name: name}
	e.Platforms = append(e.Platforms, p)
	return p
}

// keepFunc chooses which of two packages with the same (Manager, Name) a
// platform keeps: kept came first in the lock, again later.
type keepFunc func(e *Environment, p *Platform, kept, again *Package) *Package

// keepFirst keeps the package that came first.
func keepFirst(_ *Environment, _ *Platform, kept, _ *Package) *Package { return kept }

// keepHighestPyPI keeps the package with the higher PEP 440 version, for
// formats that lock one name at several versions under different markers
// (a forked uv resolution, "uv pip compile --universal"). Versions that do
// not parse compare as text, below any that do.
func keepHighestPyPI(_ *Environment, _ *Platform, kept, again *Package) *Package {
	kv, kerr := pep440.ParseVersion(kept.Version)
	av, aerr := pep440.ParseVersion(again.Version)
	switch {
	case kerr == nil && aerr == nil:
		if av.Compare(kv) > 0 {
			return again
		}
		return kept
	case kerr == nil:
		return kept
	case aerr == nil:
		return again
	}
	if again.Version > kept.Version {
		return again
	}
	return kept
}

// finish sorts environments, platforms and packages into the model's order,
// resolving repeated (Manager, Name) pairs of a platform with keep.
func (a *assembler) finish(keep keepFunc) []*Environment {
	slices.SortFunc(a.envs, func(x, y *Environment) int { return strings.Compare(x.Name, y.Name) })
	for _, e := range a.envs {
		slices.SortFunc(e.Platforms, func(x, y *Platform) int { return strings.Compare(x.Name, y.Name) })
		for _, p := range e.Platforms {
			p.Packages = sortUnique(p.Packages, func(kept, again *Package) *Package { return keep(e, p, kept, again) })
		}
	}
	return a.envs
}

// comparePackages orders packages by Manager, then Name.
func comparePackages(x, y *Package) int {
	if c := cmp.Compare(x.Manager, y.Manager); c != 0 {
		return c
	}
	return strings.Compare(x.Name, y.Name)
}

// sortUnique sorts ps by (Manager, Name), and of packages that share
// both, lets keep choose one; "first" is the one on the earlier line.
func sortUnique(ps []*Package, keep func(kept, again *Package) *Package) []*Package {
	slices.SortFunc(ps, func(x, y *Package) int {
		if c := comparePackages(x, y); c != 0 {
			return c
		}
		return cmp.Compare(x.Line, y.Line)
	})
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && comparePackages(out[n-1], p) == 0 {
			out[n-1] = keep(out[n-1], p)
			continue
		}
		out = append(out, p)
	}
	clear(ps[len(out):])
	return out
}
