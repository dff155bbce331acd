package checks

import (
	"fmt"
	"path"

	"github.com/imagebot/imagebot/checks/internal/pkgver"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/spec"
)

// checkFresh is lockfile-fresh: every lock agrees with the specs it was
// made from, explicit locks agree with the conda-lock.yml they were
// rendered from, and in a pull request a spec does not change without its
// lock.
func checkFresh(r *repository, base *repository, cache *pkgver.Cache) []Finding {
	findings := append([]Finding(nil), r.problems[LockfileFresh]...)
	for _, l := range r.sortedLocks() {
		if l.Format == lock.FormatExplicit && r.hasCondaLockSibling(l.Path) {
			// Rendered from the conda-lock.yml next to it: judged by
			// comparing the two, and that one against the spec.
			findings = append(findings, r.compareExplicit(l)...)
			continue
		}
		for _, sp := range r.specPathsOf(l) {
			s := r.specs[sp]
			if s == nil {
				if !r.has(sp) {
					findings = append(findings, Finding{
						Severity: Error, Path: l.Path,
						Message: fmt.Sprintf("`%s` was made from `%s`, which is not in the repository.", l.Path, sp),
						Fix:     fmt.Sprintf("Restore `%s`, or re-lock from the spec you use now.", sp),
					})
				}
				continue
			}
			findings = append(findings, r.compareSpec(l, s, cache)...)
		}
	}
	if base != nil {
		findings = append(findings, r.unlockedSpecChanges(base)...)
	}
	return findings
}

// compareSpec checks that every requirement of a spec is locked, at a
// version it allows, on every platform and environment it applies to.
func (r *repository) compareSpec(l *lock.Lock, s *spec.Spec, cache *pkgver.Cache) []Finding {
	fix := fmt.Sprintf("Re-lock from the spec: `%s`.", r.relockCommand(l))
	var items []platformFinding
	for _, env := range l.Environments {
		features, ok := environmentFeatures(s, env.Name)
		if !ok {
			continue
		}
		for _, plat := range env.Platforms {
			markers := markerEnvironment(plat.Name, plat)
			for _, req := range s.Requirements {
				if req.Name == "" || !features(req.Feature) || !appliesToLock(req, l) || r.cfg.IgnoresPackage(req.Name) {
					continue
				}
				if applies, known := req.AppliesTo(plat.Name); plat.Name != lock.AnyPlatform && (!applies || !known) {
					continue
				}
				if msg := judgeRequirement(req, plat, markers, cache); msg != "" {
					where := platformsPlaceholder
					if env.Name != lock.DefaultEnvironment {
						where += ", environment " + env.Name
					}
					items = append(items, platformFinding{platform: plat.Name, Finding: Finding{
						Severity: Error, Path: s.Path, Line: req.Line,
						Message: fmt.Sprintf("`%s` asks for `%s`, but `%s` %s (%s).", s.Path, req.Raw, l.Path, msg, where),
						Fix:     fix,
					}})
				}
			}
		}
	}
	return mergePlatforms(items)
}

// environmentFeatures reports which features of a spec a lock environment
// installs. Specs without environments feed every environment in full.
func environmentFeatures(s *spec.Spec, env string) (includes func(feature string) bool, ok bool) {
	if s.Environments == nil {
		return func(string) bool { return true }, true
	}
	features, ok := s.Environments[env]
	if !ok {
		return nil, false
	}
	set := map[string]bool{}
	for _, f := range features {
		if f == spec.DefaultFeature {
			f = ""
		}
		set[f] = true
	}
	return func(f string) bool { return set[f] }, true
}

// appliesToLock reports whether a lock of this format is expected to hold
// the requirement. A pixi lock holds the pixi tables of a pyproject and
// its optional-dependency and dependency-group features, but not the
// [project] dependencies, which describe the package pixi builds; other
// locks hold everything but the pixi tables.
func appliesToLock(req spec.Requirement, l *lock.Lock) bool {
	if l.Format == lock.FormatPixi {
		return req.Pixi || req.Feature != ""
	}
	return !req.Pixi
}

// judgeRequirement returns what is wrong with how a platform locks one
// requirement ("locks python 3.11.9", "has no nbgitpuller"), or "".
func judgeRequirement(req spec.Requirement, plat *lock.Platform, markers map[string]string, cache *pkgver.Cache) string {
	if req.Manager == lock.PyPI && !req.PyPI.Marker.IsZero() {
		if ok, known := req.PyPI.Marker.Evaluate(markers); known && !ok {
			return ""
		} else if !known && plat.Package(lock.PyPI, req.Name) == nil {
			return ""
		}
	}
	pkg := plat.Package(req.Manager, req.Name)
	if pkg == nil && req.Manager == lock.PyPI {
		// A pip requirement may be satisfied by the conda package of the same name.
		pkg = plat.Package(lock.Conda, req.Name)
	}
	if pkg == nil {
		return fmt.Sprintf("locks no %s", req.Name)
	}
	if req.Local {
		return ""
	}
	if pkg.Manager == lock.Conda && req.Manager == lock.Conda {
		v, ok := cache.CondaVersion(pkg.Version)
		if ok && !req.Conda.Match(pkg.Name, v, pkg.Build) {
			if req.Conda.Build != "" && pkg.Build != "" {
				return fmt.Sprintf("locks %s %s, build %s", pkg.Name, pkg.Version, pkg.Build)
			}
			return fmt.Sprintf("locks %s %s", pkg.Name, pkg.Version)
		}
		return ""
	}
	v, ok := cache.PyPIVersion(pkg.Version)
	if ok && !req.PyPI.Specifiers.Contains(v) {
		return fmt.Sprintf("locks %s %s", pkg.Name, pkg.Version)
	}
	return ""
}

// compareExplicit checks that an explicit lock and the conda-lock.yml next
// to it lock the same packages: both are rendered from one solve.
func (r *repository) compareExplicit(l *lock.Lock) []Finding {
	dir := path.Dir(l.Path)
	var full *lock.Lock
	for _, name := range []string{"conda-lock.yml", "conda-lock.yaml"} {
		if full = r.locks[path.Join(dir, name)]; full != nil {
			break
		}
	}
	if full == nil {
		return nil
	}
	var findings []Finding
	for _, env := range l.Environments {
		fullEnv := full.Environment(lock.DefaultEnvironment)
		for _, plat := range env.Platforms {
			if fullEnv == nil || fullEnv.Platform(plat.Name) == nil {
				continue
			}
			fullPlat := fullEnv.Platform(plat.Name)
			var differ []string
			first := 0
			for _, p := range plat.Packages {
				if p.Manager != lock.Conda {
					continue
				}
				q := fullPlat.Package(lock.Conda, p.Name)
				if q == nil || q.Version != p.Version || q.Build != p.Build {
					if first == 0 {
						first = p.Line
					}
					other := "nothing"
					if q != nil {
						other = q.Name + " " + q.Version
					}
					differ = append(differ, fmt.Sprintf("%s %s (conda-lock.yml: %s)", p.Name, p.Version, other))
				}
			}
			if len(differ) == 0 {
				continue
			}
			findings = append(findings, Finding{
				Severity: Error, Path: l.Path, Line: first,
				Message: fmt.Sprintf("`%s` and `%s` disagree on %s for %s, so one of them is stale: %s.",
					l.Path, full.Path, plural(len(differ), "package"), plat.Name, listPackages(differ)),
				Fix: fmt.Sprintf("Render both from one solve: `%s`.", r.relockCommand(full)),
			})
		}
	}
	return findings
}

// unlockedSpecChanges finds specs whose requirements a pull request
// changed while the locks made from them stayed as they were.
func (r *repository) unlockedSpecChanges(base *repository) []Finding {
	var findings []Finding
	for _, s := range r.sortedSpecs() {
		old := base.specs[s.Path]
		if old == nil {
			continue
		}
		line, changed := firstChangedRequirement(old, s)
		if !changed {
			continue
		}
		locks := r.locksOf(s.Path)
		unchanged := len(locks) > 0
		for _, l := range locks {
			unchanged = unchanged && r.files[l.Path] == base.files[l.Path]
		}
		if !unchanged {
			continue
		}
		l := primaryLock(locks)
		findings = append(findings, Finding{
			Severity: Error, Path: s.Path, Line: line,
			Message: fmt.Sprintf("This pull request changes the requirements in `%s`, but `%s` did not change, so the image still installs the old solve.", s.Path, l.Path),
			Fix:     fmt.Sprintf("Re-lock and commit the lock: `%s`.", r.relockCommand(l)),
		})
	}
	return findings
}

// firstChangedRequirement compares two versions of a spec by what they ask
// for, ignoring comments and layout. It returns the line of the first
// requirement that is new or different, or the first line of the file
// when only removals or channels changed.
func firstChangedRequirement(old, cur *spec.Spec) (int, bool) {
	before := map[string]bool{}
	for _, q := range old.Requirements {
		before[requirementKey(q)] = true
	}
	for _, q := range cur.Requirements {
		if !before[requirementKey(q)] {
			return q.Line, true
		}
	}
	if len(old.Requirements) != len(cur.Requirements) || fmt.Sprint(old.Channels) != fmt.Sprint(cur.Channels) ||
		fmt.Sprint(old.Platforms) != fmt.Sprint(cur.Platforms) {
		return 1, true
	}
	return 0, false
}

func requirementKey(q spec.Requirement) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s", q.Manager, q.Raw, q.Selector, q.Feature, q.Platform, fmt.Sprint(q.Pixi))
}

// primaryLock picks the lock to name among the locks of one spec: the one
// that carries the most (a conda-lock.yml over the explicit files rendered
// from it).
func primaryLock(locks []*lock.Lock) *lock.Lock {
	for _, l := range locks {
		if l.Format != lock.FormatExplicit {
			return l
		}
	}
	return locks[0]
}
