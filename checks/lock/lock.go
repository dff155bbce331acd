// Package lock reads every supported lockfile format into one model:
// a Lock holds Environments, an Environment holds Platforms, and a Platform
// holds the Packages locked for it.
//
// Parsing is static and offline: bytes in, a *Lock or an error out. The
// package must not import anything that performs network I/O, and it knows
// nothing of GitHub. Versions are kept as the text the lock wrote; ordering
// and matching belong to the conda and pep440 packages.
package lock

// Format names a lockfile format.
type Format string

// The supported formats.
const (
	FormatCondaLock  Format = "conda-lock"  // conda-lock.yml, version 1
	FormatExplicit   Format = "explicit"    // conda @EXPLICIT file (conda-linux-64.lock)
	FormatPixi       Format = "pixi"        // pixi.lock, versions 5, 6 and 7
	FormatUV         Format = "uv"          // uv.lock
	FormatPipCompile Format = "pip-compile" // requirements.txt written by pip-compile or uv pip compile
)

// Manager says which package ecosystem a package comes from.
type Manager string

// The package managers.
const (
	Conda Manager = "conda"
	PyPI  Manager = "pypi"
)

// DefaultEnvironment is the name given to the single environment of
// formats that do not name environments.
const DefaultEnvironment = "default"

// AnyPlatform is the platform of formats that lock for every platform at
// once (uv.lock, pip-compile requirements).
const AnyPlatform = "any"

// Lock is one parsed lockfile.
type Lock struct {
	Path    string // slash-separated path inside the repository, as given to Parse
	Format  Format
	Version int // the format's own version number; 0 when the format has none
	// Sources lists the spec files the lock says it was generated from,
	// relative to the lock's directory, as the lock wrote them
	// (conda-lock metadata.sources; pip-compile's header command line).
	Sources      []string
	Environments []*Environment // sorted by Name
}

// Environment is one named environment of a lock.
type Environment struct {
	Name      string
	Channels  []string    // channel names or URLs, in priority order
	Platforms []*Platform // sorted by Name
}

// Platform is the set of packages locked for one platform of an environment.
type Platform struct {
	Name     string     // conda subdir such as "linux-64", or AnyPlatform
	Packages []*Package // sorted by Manager, then Name; (Manager, Name) is unique
}

// Package is one locked package.
type Package struct {
	Manager Manager
	// Name is the package name. Conda names are kept as written (they are
	// lower case by convention); PyPI names are normalised as in PEP 503
	// (lower case, runs of "-", "_" and "." become one "-").
	Name    string
	Version string // as written by the lock
	Build   string // conda build string ("h0c1763c_0"); empty for PyPI
	URL     string
	Hashes  Hashes
	// Depends lists the package's own dependency constraints as the lock
	// recorded them. Empty when the format carries no dependency data
	// (explicit locks, pip-compile).
	Depends []Dependency
	// Constrains lists pixi "constrains": constraints that apply only when
	// the named package is present.
	Constrains []Dependency
	Line       int // 1-based line of the package's entry in the lock; 0 if unknown
}

// Hashes are a package's content hashes, lower-case hex; empty when absent.
type Hashes struct {
	MD5    string
	SHA256 string
}

// Dependency is one dependency constraint of a package.
type Dependency struct {
	Manager Manager // the manager of the package the constraint names
	Name    string  // normalised like Package.Name
	// Spec is the constraint without the name: a conda version spec with an
	// optional build glob ("3.51.2 h0c1763c_0", ">=1.2,<2.0a0"), or a PEP 440
	// specifier set (">=2.0,<3"). Empty means any version.
	Spec string
	// Marker is a PEP 508 environment marker for PyPI dependencies, empty
	// when unconditional.
	Marker string
}

// Environment returns the environment with the given name, or nil.
func (l *Lock) Environment(name string) *Environment {
	for _, e := range l.Environments {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Platform returns the platform with the given name, or nil.
func (e *Environment) Platform(name string) *Platform {
	for _, p := range e.Platforms {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Package returns the package with the given manager and name, or nil.
// Packages are sorted, so the lookup is a binary search.
func (p *Platform) Package(m Manager, name string) *Package {
	lo, hi := 0, len(p.Packages)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		q := p.Packages[mid]
		if q.Manager < m || (q.Manager == m && q.Name < name) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	if lo < len(p.Packages) && p.Packages[lo].Manager == m && p.Packages[lo].Name == name {
		return p.Packages[lo]
	}
	return nil
}
