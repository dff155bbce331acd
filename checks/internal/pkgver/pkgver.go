// Package pkgver orders and matches package versions under the rules of the
// manager that owns them: conda's VersionOrder and MatchSpecs for conda
// packages, PEP 440 for PyPI packages. A Cache memoises parses, because a
// lock repeats the same version and constraint text thousands of times.
//
// It must stay pure: no I/O, no GitHub types.
package pkgver

import (
	"strings"

	"github.com/imagebot/imagebot/checks/conda"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/pep440"
)

// Cache parses versions and constraints once per distinct text. It is not
// safe for concurrent use; make one per check run.
type Cache struct {
	condaVersions map[string]condaVersion
	condaSpecs    map[string]condaSpec
	pypiVersions  map[string]pypiVersion
	pypiSpecs     map[string]pypiSpec
	markers       map[string]markerEntry
}

type condaVersion struct {
	v   conda.Version
	err error
}

type condaSpec struct {
	version conda.Spec
	build   string
	err     error
}

type pypiVersion struct {
	v   pep440.Version
	err error
}

type pypiSpec struct {
	s   pep440.Specifiers
	err error
}

// markerEntry is a parsed marker, or why it does not parse.
type markerEntry struct {
	m   pep440.Marker
	err error
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{
		condaVersions: map[string]condaVersion{},
		condaSpecs:    map[string]condaSpec{},
		pypiVersions:  map[string]pypiVersion{},
		pypiSpecs:     map[string]pypiSpec{},
		markers:       map[string]markerEntry{},
	}
}

func (c *Cache) conda(s string) (conda.Version, bool) {
	v, err := c.condaErr(s)
	return v, err == nil
}

func (c *Cache) condaErr(s string) (conda.Version, error) {
	e, seen := c.condaVersions[s]
	if !seen {
		v, err := conda.ParseVersion(s)
		e = condaVersion{v, err}
		c.condaVersions[s] = e
	}
	return e.v, e.err
}

func (c *Cache) pypi(s string) (pep440.Version, bool) {
	v, err := c.pypiErr(s)
	return v, err == nil
}

func (c *Cache) pypiErr(s string) (pep440.Version, error) {
	e, seen := c.pypiVersions[s]
	if !seen {
		v, err := pep440.ParseVersion(s)
		e = pypiVersion{v, err}
		c.pypiVersions[s] = e
	}
	return e.v, e.err
}

// Compare orders two versions of one manager's package. ok is false when
// either version does not parse under that manager's rules.
func (c *Cache) Compare(m lock.Manager, a, b string) (cmp int, ok bool) {
	if m == lock.PyPI {
		va, oka := c.pypi(a)
		vb, okb := c.pypi(b)
		if !oka || !okb {
			return 0, false
		}
		return va.Compare(vb), true
	}
	va, oka := c.conda(a)
	vb, okb := c.conda(b)
	if !oka || !okb {
		return 0, false
	}
	return va.Compare(vb), true
}

// Divergence says where two versions first differ: 0 major, 1 minor,
// 2 patch, 3 finer, -1 equal. ok is false when either does not parse.
func (c *Cache) Divergence(m lock.Manager, a, b string) (level int, ok bool) {
	if m == lock.PyPI {
		va, oka := c.pypi(a)
		vb, okb := c.pypi(b)
		if !oka || !okb {
			return 0, false
		}
		return pep440.Divergence(va, vb), true
	}
	va, oka := c.conda(a)
	vb, okb := c.conda(b)
	if !oka || !okb {
		return 0, false
	}
	return conda.Divergence(va, vb), true
}

// condaSpec parses the part of a MatchSpec after the name ("3.51.2
// h0c1763c_0", ">=1.5.7,<1.6.0a0", "=1.2"): conda-lock writes only the
// version, pixi the version and the build. Parsing it as a MatchSpec
// applies conda's rules for splitting off the build and for "=".
func (c *Cache) condaSpec(spec string) condaSpec {
	e, seen := c.condaSpecs[spec]
	if !seen {
		m, err := conda.ParseMatchSpec("pkg " + spec)
		if strings.TrimSpace(spec) == "" {
			m, err = conda.MatchSpec{Name: "pkg"}, nil
		}
		e = condaSpec{version: m.Version, build: m.Build, err: err}
		c.condaSpecs[spec] = e
	}
	return e
}

func (c *Cache) pypiSpec(spec string) pypiSpec {
	e, seen := c.pypiSpecs[spec]
	if !seen {
		s, err := pep440.ParseSpecifiers(spec)
		e = pypiSpec{s: s, err: err}
		c.pypiSpecs[spec] = e
	}
	return e
}

// Satisfies reports whether a locked version (and conda build string)
// meets a constraint written for manager m: a conda version spec with an
// optional build glob, or a PEP 440 specifier set. The error says why the
// constraint or the version cannot be parsed (too long, nested too deep,
// not valid), so that callers report "cannot judge" instead of either a
// false failure or a silent pass.
func (c *Cache) Satisfies(m lock.Manager, version, build, spec string) (bool, error) {
	if m == lock.PyPI {
		s := c.pypiSpec(spec)
		if s.err != nil {
			return false, s.err
		}
		v, err := c.pypiErr(version)
		if err != nil {
			return false, err
		}
		return s.s.Contains(v), nil
	}
	s := c.condaSpec(spec)
	if s.err != nil {
		return false, s.err
	}
	v, err := c.condaErr(version)
	if err != nil {
		return false, err
	}
	return s.version.Match(v) && conda.MatchBuild(s.build, build), nil
}

// Exact reports the one version a constraint pins exactly, if it does.
func (c *Cache) Exact(m lock.Manager, spec string) (string, bool) {
	if m == lock.PyPI {
		s := c.pypiSpec(spec)
		if s.err != nil {
			return "", false
		}
		return s.s.Exact()
	}
	s := c.condaSpec(spec)
	if s.err != nil {
		return "", false
	}
	return s.version.Exact()
}

// CondaVersion parses a conda version once.
func (c *Cache) CondaVersion(s string) (conda.Version, bool) { return c.conda(s) }

// PyPIVersion parses a PEP 440 version once.
func (c *Cache) PyPIVersion(s string) (pep440.Version, bool) { return c.pypi(s) }

// MarkerHolds reports whether a PEP 508 environment marker is known to
// hold in env. A marker that uses a variable env does not define (such as
// extra) is not known to hold. A marker that does not parse is an error:
// whether its dependency applies cannot be told.
func (c *Cache) MarkerHolds(marker string, env map[string]string) (bool, error) {
	e, seen := c.markers[marker]
	if !seen {
		e.m, e.err = pep440.ParseMarker(marker)
		c.markers[marker] = e
	}
	if e.err != nil {
		return false, e.err
	}
	ok, known := e.m.Evaluate(env)
	return ok && known, nil
}
