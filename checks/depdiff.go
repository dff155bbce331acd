package checks

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/internal/pkgver"
	"github.com/imagebot/imagebot/checks/lock"
)

// lockDiffs computes the dependency diff of every lock whose content
// differs between base and head. Explicit locks next to a conda-lock.yml
// are left out: they repeat its packages.
func lockDiffs(base, head *repository, cache *pkgver.Cache) []LockDiff {
	paths := map[string]bool{}
	for p := range base.locks {
		paths[p] = true
	}
	for p := range head.locks {
		paths[p] = true
	}
	var sorted []string
	for p := range paths {
		if base.files[p] == head.files[p] {
			continue
		}
		if l := firstNonNil(head.locks[p], base.locks[p]); l.Format == lock.FormatExplicit &&
			(head.hasCondaLockSibling(p) || base.hasCondaLockSibling(p)) {
			continue
		}
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	var out []LockDiff
	for _, p := range sorted {
		opts := []diff.Option{
			diff.WithVersions(cache),
			diff.WithGroups(head.cfg.SplitGroups),
			diff.WithIgnore(head.cfg.IgnoresPackage),
			diff.WithDirect(head.directNames(firstNonNil(head.locks[p], base.locks[p]))),
		}
		changes := diff.Compute(base.locks[p], head.locks[p], opts...)
		out = append(out, LockDiff{Path: p, Changes: changes})
	}
	return out
}

func firstNonNil(ls ...*lock.Lock) *lock.Lock {
	for _, l := range ls {
		if l != nil {
			return l
		}
	}
	return nil
}

func (r *repository) hasCondaLockSibling(p string) bool {
	dir := path.Dir(p)
	return r.locks[path.Join(dir, "conda-lock.yml")] != nil || r.locks[path.Join(dir, "conda-lock.yaml")] != nil
}

// directNames reports which packages the specs of a lock name directly.
func (r *repository) directNames(l *lock.Lock) func(m lock.Manager, env, name string) bool {
	names := map[string]bool{}
	for _, sp := range r.specPathsOf(l) {
		if s := r.specs[sp]; s != nil {
			for _, req := range s.Requirements {
				names[string(req.Manager)+"/"+req.Name] = true
			}
		}
	}
	return func(m lock.Manager, _ string, name string) bool { return names[string(m)+"/"+name] }
}

// checkDependencyDiff turns the diffs into findings: a warning for every
// downgrade, and for every package that moved while a split sibling did
// not.
func checkDependencyDiff(head *repository, diffs []LockDiff) []Finding {
	var items []platformFinding
	for _, d := range diffs {
		relock := ""
		if l := head.locks[d.Path]; l != nil {
			relock = head.relockCommand(l)
		}
		for _, c := range d.Changes {
			if c.After == nil || c.Before == nil {
				continue
			}
			where := platformsPlaceholder
			if c.Environment != lock.DefaultEnvironment {
				where += ", environment " + c.Environment
			}
			if c.HasFlag(diff.Split) {
				var sib []string
				for _, s := range c.Siblings {
					sib = append(sib, fmt.Sprintf("%s stays at %s", s.Name, s.Version))
				}
				items = append(items, platformFinding{platform: c.Platform, Finding: Finding{
					Severity: Warning, Path: d.Path, Line: c.After.Line,
					Message: fmt.Sprintf("%s moves from %s to %s but its split sibling does not: %s (%s). Packages built together must move together; this is how the sqlite/libsqlite outage happened.",
						c.Name, c.Before.Version, c.After.Version, strings.Join(sib, ", "), where),
					Fix: fmt.Sprintf("Re-solve so the whole group moves together: `%s`. If a spec pins %s, pin its siblings to the same version.", relock, c.Name),
				}})
				continue
			}
			if c.Kind == diff.Downgraded {
				items = append(items, platformFinding{platform: c.Platform, Finding: Finding{
					Severity: Warning, Path: d.Path, Line: c.After.Line,
					Message: fmt.Sprintf("%s is downgraded from %s to %s (%s).", c.Name, c.Before.Version, c.After.Version, where),
					Fix:     fmt.Sprintf("If the downgrade is not intended, require `%s>=%s` in the spec and re-lock: `%s`.", c.Name, c.Before.Version, relock),
				}})
			}
		}
	}
	return mergePlatforms(items)
}
