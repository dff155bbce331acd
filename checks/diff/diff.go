// Package diff compares two locks package by package and classifies every
// change: added, removed, upgraded, downgraded or rebuilt, with flags for
// major bumps, downgrades and split siblings that moved apart.
//
// Versions are ordered by the rules of the manager that owns the package
// (conda's VersionOrder, or PEP 440). The package is pure: locks in,
// changes out; it knows nothing of files, GitHub or rendering.
package diff

import (
	"sort"

	"github.com/imagebot/imagebot/checks/internal/pkgver"
	"github.com/imagebot/imagebot/checks/lock"
)

// Kind is what happened to one package.
type Kind string

// The kinds of change.
const (
	Added      Kind = "added"
	Removed    Kind = "removed"
	Upgraded   Kind = "upgraded"
	Downgraded Kind = "downgraded"
	Rebuilt    Kind = "rebuilt" // same version, another build
)

// Flag marks a change that deserves attention.
type Flag string

// The flags.
const (
	Major     Flag = "major"     // the first release component (or epoch) changed; never for calendar versions
	Downgrade Flag = "downgrade" // the version went down
	Split     Flag = "split"     // a split sibling did not move along (sqlite without libsqlite)
)

// Change is one package that differs between two locks.
type Change struct {
	Manager     lock.Manager
	Environment string
	Platform    string
	Name        string
	Before      *lock.Package // nil when added
	After       *lock.Package // nil when removed
	Kind        Kind
	// Level says which release component changed first: 0 major, 1 minor,
	// 2 patch, 3 finer; -1 when the versions are equal, not comparable, or
	// both calendar versions (2025.8.3, 2025b), whose parts are dates.
	Level int
	Flags []Flag
	// Direct is true when a spec names the package directly.
	Direct bool
	// Siblings lists, for a Split change, the group members that ended at
	// another version, as they are in the after lock.
	Siblings []Sibling
}

// Sibling is a split-group member and its version after the change.
type Sibling struct {
	Name    string
	Version string
}

// HasFlag reports whether the change carries f.
func (c *Change) HasFlag(f Flag) bool {
	for _, g := range c.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// Option configures Compute.
type Option func(*options)

type options struct {
	groups [][]string
	direct func(m lock.Manager, environment, name string) bool
	cache  Versions
	ignore func(name string) bool
}

// WithGroups adds split groups: sets of package names that are built
// together and must move together, beyond those the locks reveal by
// pinning each other exactly.
func WithGroups(groups [][]string) Option {
	return func(o *options) { o.groups = append(o.groups, groups...) }
}

// WithDirect marks the changes of packages that a spec names directly.
func WithDirect(direct func(m lock.Manager, environment, name string) bool) Option {
	return func(o *options) { o.direct = direct }
}

// WithIgnore leaves out packages whose names ignore reports true for.
func WithIgnore(ignore func(name string) bool) Option {
	return func(o *options) { o.ignore = ignore }
}

// Versions orders the versions of a manager's packages and reads the one
// version a dependency constraint pins; ok is false for text that does not
// parse under the manager's rules. Divergence says where two versions first
// differ: 0 in the major part, 1 minor, 2 patch, 3 finer.
type Versions interface {
	Compare(m lock.Manager, a, b string) (cmp int, ok bool)
	Divergence(m lock.Manager, a, b string) (level int, ok bool)
	Exact(m lock.Manager, spec string) (version string, ok bool)
}

// WithVersions makes Compute read versions through v, so that work on the
// same locks (the checks) parses each version text once. Without it
// Compute parses them itself, by conda's and PEP 440's rules.
func WithVersions(v Versions) Option {
	return func(o *options) { o.cache = v }
}

// DefaultGroups are conda-forge packages built from one feedstock that pin
// each other; locks without dependency data (explicit files) still get
// split detection for them.
var DefaultGroups = [][]string{
	{"sqlite", "libsqlite"},
	{"expat", "libexpat"},
	{"xz", "liblzma", "xz-tools"},
	{"curl", "libcurl"},
	{"libblas", "libcblas", "liblapack", "liblapacke"},
	{"libgcc", "libgcc-ng", "libgomp", "libstdcxx", "libstdcxx-ng", "libgfortran", "libgfortran5"},
}

// Compute returns the changes from before to after, sorted by manager,
// environment, platform and name. Either lock may be nil (all added, or
// all removed).
func Compute(before, after *lock.Lock, opts ...Option) []Change {
	o := options{}
	for _, opt := range opts {
		opt(&o)
	}
	if o.cache == nil {
		o.cache = pkgver.NewCache()
	}
	var changes []Change
	for _, env := range environmentNames(before, after) {
		be, ae := environment(before, env), environment(after, env)
		for _, plat := range platformNames(be, ae) {
			bp, ap := platform(be, plat), platform(ae, plat)
			start := len(changes)
			changes = comparePlatform(changes, &o, env, plat, bp, ap)
			flagSplits(changes[start:], &o, bp, ap)
		}
	}
	sort.SliceStable(changes, func(i, j int) bool {
		a, b := &changes[i], &changes[j]
		if a.Manager != b.Manager {
			return a.Manager < b.Manager
		}
		if a.Environment != b.Environment {
			return a.Environment < b.Environment
		}
		if a.Platform != b.Platform {
			return a.Platform < b.Platform
		}
		return a.Name < b.Name
	})
	return changes
}

// comparePlatform merges the two sorted package lists of one platform.
func comparePlatform(changes []Change, o *options, env, plat string, bp, ap *lock.Platform) []Change {
	var bs, as []*lock.Package
	if bp != nil {
		bs = bp.Packages
	}
	if ap != nil {
		as = ap.Packages
	}
	i, j := 0, 0
	for i < len(bs) || j < len(as) {
		var b, a *lock.Package
		switch {
		case j >= len(as) || (i < len(bs) && less(bs[i], as[j])):
			b = bs[i]
			i++
		case i >= len(bs) || less(as[j], bs[i]):
			a = as[j]
			j++
		default:
			b, a = bs[i], as[j]
			i++
			j++
		}
		if c, ok := classify(o, b, a); ok {
			c.Environment, c.Platform = env, plat
			if o.ignore != nil && o.ignore(c.Name) {
				continue
			}
			if o.direct != nil {
				c.Direct = o.direct(c.Manager, env, c.Name)
			}
			changes = append(changes, c)
		}
	}
	return changes
}

func less(a, b *lock.Package) bool {
	if a.Manager != b.Manager {
		return a.Manager < b.Manager
	}
	return a.Name < b.Name
}

// classify describes how one package changed; ok is false when it did not.
func classify(o *options, b, a *lock.Package) (Change, bool) {
	switch {
	case b == nil:
		return Change{Manager: a.Manager, Name: a.Name, After: a, Kind: Added, Level: -1}, true
	case a == nil:
		return Change{Manager: b.Manager, Name: b.Name, Before: b, Kind: Removed, Level: -1}, true
	}
	c := Change{Manager: a.Manager, Name: a.Name, Before: b, After: a, Level: -1}
	cmp, ok := o.cache.Compare(a.Manager, b.Version, a.Version)
	if !ok {
		// Not comparable under the manager's rules: judge by the text.
		cmp = compareText(b.Version, a.Version)
	}
	switch {
	case cmp < 0:
		c.Kind = Upgraded
	case cmp > 0:
		c.Kind = Downgraded
		c.Flags = append(c.Flags, Downgrade)
	case b.Build != a.Build:
		c.Kind = Rebuilt
	case b.Version != a.Version:
		// Equal by version order but written differently ("1.0" and "1.0.0").
		c.Kind = Rebuilt
	default:
		return Change{}, false
	}
	if ok && cmp != 0 && !(calendar(b.Version) && calendar(a.Version)) {
		c.Level, _ = o.cache.Divergence(a.Manager, b.Version, a.Version)
		if c.Level == 0 {
			c.Flags = append([]Flag{Major}, c.Flags...)
		}
	}
	return c, true
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func environmentNames(locks ...*lock.Lock) []string {
	seen := map[string]bool{}
	var names []string
	for _, l := range locks {
		if l == nil {
			continue
		}
		for _, e := range l.Environments {
			if !seen[e.Name] {
				seen[e.Name] = true
				names = append(names, e.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

func platformNames(envs ...*lock.Environment) []string {
	seen := map[string]bool{}
	var names []string
	for _, e := range envs {
		if e == nil {
			continue
		}
		for _, p := range e.Platforms {
			if !seen[p.Name] {
				seen[p.Name] = true
				names = append(names, p.Name)
			}
		}
	}
	sort.Strings(names)
	return names
}

func environment(l *lock.Lock, name string) *lock.Environment {
	if l == nil {
		return nil
	}
	return l.Environment(name)
}

func platform(e *lock.Environment, name string) *lock.Platform {
	if e == nil {
		return nil
	}
	return e.Platform(name)
}
