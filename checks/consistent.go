package checks

import (
	"fmt"
	"strings"

	"github.com/imagebot/imagebot/checks/internal/pkgver"
	"github.com/imagebot/imagebot/checks/lock"
)

// checkConsistent is lockfile-consistent: inside each lock, per
// environment and platform, every package's own dependency constraints
// are met by the versions the lock holds. This is the failure of the
// sqlite/libsqlite outage: sqlite pins libsqlite exactly, and a solve that
// moved one without the other broke Python's sqlite3 module.
func checkConsistent(r *repository, cache *pkgver.Cache) (findings []Finding, examined bool) {
	for _, l := range r.sortedLocks() {
		if !hasDependencyData(l) {
			continue
		}
		examined = true
		fix := fmt.Sprintf("Re-solve the lock instead of editing it: `%s`.", r.relockCommand(l))
		var items []platformFinding
		for _, env := range l.Environments {
			for _, plat := range env.Platforms {
				items = append(items, r.platformConflicts(l, env.Name, plat, fix, cache)...)
			}
		}
		findings = append(findings, mergePlatforms(items)...)
	}
	return findings, examined
}

// hasDependencyData reports whether a lock records its packages'
// dependencies (explicit and pip-compile locks do not).
func hasDependencyData(l *lock.Lock) bool {
	for _, e := range l.Environments {
		for _, p := range e.Platforms {
			for _, pkg := range p.Packages {
				if len(pkg.Depends) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// platformConflicts checks one platform of one environment.
func (r *repository) platformConflicts(l *lock.Lock, env string, plat *lock.Platform, fix string, cache *pkgver.Cache) []platformFinding {
	where := platformsPlaceholder
	if env != lock.DefaultEnvironment {
		where += ", environment " + env
	}
	var items []platformFinding
	markers := markerEnvironment(plat.Name, plat)
	applies := func(d lock.Dependency) bool { return d.Marker == "" || cache.MarkerHolds(d.Marker, markers) }
	report := func(pkg *lock.Package, verb string, d lock.Dependency, dep *lock.Package) {
		items = append(items, platformFinding{platform: plat.Name, Finding: Finding{
			Severity: Error, Path: l.Path, Line: pkg.Line,
			Message: fmt.Sprintf("%s %s %s %s, but the lock has %s %s (%s).",
				pkg.Name, pkg.Version, verb, constraint(d), dep.Name, dep.Version, where),
			Fix: fix,
		}})
	}
	for _, pkg := range plat.Packages {
		if r.cfg.IgnoresPackage(pkg.Name) {
			continue
		}
		for _, d := range pkg.Depends {
			if !applies(d) {
				continue
			}
			if dep := dependencyTarget(plat, d); dep != nil && !r.cfg.IgnoresPackage(dep.Name) && !meets(dep, d, cache) {
				report(pkg, "requires", d, dep)
			}
		}
		for _, d := range pkg.Constrains {
			// A constraint binds only when the named package is present.
			if !applies(d) {
				continue
			}
			if dep := dependencyTarget(plat, d); dep != nil && !r.cfg.IgnoresPackage(dep.Name) && !meets(dep, d, cache) {
				report(pkg, "constrains", d, dep)
			}
		}
	}
	return items
}

// dependencyTarget finds the locked package a dependency names. Virtual
// packages (__glibc, __osx, __cuda) describe the machine and are never
// locked; a PyPI dependency may be met by the conda package of that name;
// a dependency that the lock does not hold at all is not judged here.
func dependencyTarget(plat *lock.Platform, d lock.Dependency) *lock.Package {
	if strings.HasPrefix(d.Name, "__") {
		return nil
	}
	if dep := plat.Package(d.Manager, d.Name); dep != nil {
		return dep
	}
	if d.Manager == lock.PyPI {
		return plat.Package(lock.Conda, d.Name)
	}
	return nil
}

// meets reports whether a locked package satisfies a dependency. A
// constraint that cannot be parsed is not held against the lock.
func meets(dep *lock.Package, d lock.Dependency, cache *pkgver.Cache) bool {
	if d.Spec == "" {
		return true
	}
	m := d.Manager
	if dep.Manager != m {
		// A PyPI constraint met by a conda package: compare as PEP 440.
		m = lock.PyPI
	}
	ok, known := cache.Satisfies(m, dep.Version, dep.Build, d.Spec)
	return ok || !known
}

// constraint renders a dependency as the package wrote it.
func constraint(d lock.Dependency) string {
	if d.Spec == "" {
		return d.Name
	}
	if d.Manager == lock.PyPI {
		return d.Name + d.Spec
	}
	return d.Name + " " + d.Spec
}
