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
	findings = append(findings, r.problems[LockfileConsistent]...)
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
	add := func(pkg *lock.Package, msg string) {
		items = append(items, platformFinding{platform: plat.Name, Finding: Finding{
			Severity: Error, Path: l.Path, Line: pkg.Line, Message: msg, Fix: fix}})
	}
	// judge checks one requirement (verb "requires") or constraint
	// ("constrains") of pkg. What imagebot cannot evaluate fails too: a
	// constraint too long or nested too deep to parse must not pass.
	judge := func(pkg *lock.Package, verb string, d lock.Dependency) {
		dep := dependencyTarget(plat, d)
		if dep == nil || r.cfg.IgnoresPackage(dep.Name) {
			return
		}
		if d.Marker != "" {
			holds, err := cache.MarkerHolds(d.Marker, markers)
			if err != nil {
				add(pkg, fmt.Sprintf("%s %s %s %s under the marker `%s`, which imagebot cannot evaluate (%v), so it cannot tell whether the rule applies to the lock's %s %s (%s).",
					pkg.Name, pkg.Version, verb, clipTo(constraint(d), 80), clipTo(d.Marker, 80), err, dep.Name, dep.Version, where))
				return
			}
			if !holds {
				return
			}
		}
		ok, err := meets(dep, d, cache)
		switch {
		case err != nil:
			add(pkg, fmt.Sprintf("%s %s %s %s, which imagebot cannot evaluate (%v), so it cannot tell whether the lock's %s %s meets it (%s).",
				pkg.Name, pkg.Version, verb, clipTo(constraint(d), 80), err, dep.Name, dep.Version, where))
		case !ok:
			add(pkg, fmt.Sprintf("%s %s %s %s, but the lock has %s %s (%s).",
				pkg.Name, pkg.Version, verb, constraint(d), dep.Name, dep.Version, where))
		}
	}
	for _, pkg := range plat.Packages {
		if r.cfg.IgnoresPackage(pkg.Name) {
			continue
		}
		for _, d := range pkg.Depends {
			judge(pkg, "requires", d)
		}
		for _, d := range pkg.Constrains {
			// A constraint binds only when the named package is present:
			// dependencyTarget finds none otherwise.
			judge(pkg, "constrains", d)
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

// meets reports whether a locked package satisfies a dependency; the
// error says why the constraint or the locked version cannot be parsed.
func meets(dep *lock.Package, d lock.Dependency, cache *pkgver.Cache) (bool, error) {
	if d.Spec == "" {
		return true, nil
	}
	m := d.Manager
	if dep.Manager != m {
		// A PyPI constraint met by a conda package: compare as PEP 440.
		// A conda version that is no PEP 440 version is not comparable
		// with it at all; that is no fault of either file.
		if _, ok := cache.PyPIVersion(dep.Version); !ok {
			return true, nil
		}
		m = lock.PyPI
	}
	return cache.Satisfies(m, dep.Version, dep.Build, d.Spec)
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
