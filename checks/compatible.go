package checks

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/checks/lock"
)

// Hub is one JupyterHub a repository's image runs on, as the caller
// learned it: the engine asks no hub anything.
type Hub struct {
	Name string
	// Version is the hub's JupyterHub version ("3.0.0"); "" when the caller
	// could not learn it.
	Version string
}

// WithHubs gives Check the hubs the image runs on, for hub-compatible. The
// check is part of the report only when hubs are given.
func WithHubs(hubs ...Hub) Option { return func(o *options) { o.hubs = hubs } }

// ReportedIDs returns the ids of the checks that Check reports with these
// options, in the order of config.CheckIDs.
func ReportedIDs(opts ...Option) []string {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	var ids []string
	for _, id := range config.CheckIDs {
		if id != HubCompatible || len(o.hubs) > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// hubPackages are the packages that carry JupyterHub's single-user side
// into an image, on conda-forge and on PyPI, in the order the check looks
// for them: the one a spec names first.
var hubPackages = []string{"jupyterhub-singleuser", "jupyterhub-base", "jupyterhub"}

// checkCompatible is hub-compatible: the JupyterHub that every lock
// installs for Linux has the major version of each hub the image runs on,
// since a user server speaks to its hub with the protocol of its own major
// version. It returns whether any lock holds JupyterHub.
func checkCompatible(r *repository, hubs []Hub) (findings []Finding, examined bool) {
	var items []platformFinding
	for _, l := range r.sortedLocks() {
		for _, env := range l.Environments {
			for _, plat := range env.Platforms {
				if plat.Name != lock.AnyPlatform && !strings.HasPrefix(plat.Name, "linux-") {
					continue // hubs run Linux
				}
				if pkg := hubPackage(r, plat); pkg != nil {
					examined = true
					items = append(items, r.incompatible(l, env.Name, plat.Name, pkg, hubs)...)
				}
			}
		}
	}
	if !examined {
		return nil, false
	}
	for _, h := range hubs {
		if h.Version == "" {
			findings = append(findings, Finding{Severity: Notice,
				Message: fmt.Sprintf("imagebot could not learn the JupyterHub version of hub `%s`, so it did not compare it with the locks.", h.Name),
				Fix:     "Ask the hub's operator to check that imagebot reaches the hub's API (GET /hub/api/), then re-run the checks."})
		}
	}
	return append(mergePlatforms(items), findings...), true
}

// hubPackage is the JupyterHub package a platform locks, the first of
// hubPackages it holds (the three move together), or nil.
func hubPackage(r *repository, plat *lock.Platform) *lock.Package {
	for _, name := range hubPackages {
		for _, m := range []lock.Manager{lock.Conda, lock.PyPI} {
			if pkg := plat.Package(m, name); pkg != nil && !r.cfg.IgnoresPackage(name) {
				return pkg
			}
		}
	}
	return nil
}

// incompatible reports the hubs whose major version a locked JupyterHub
// package does not have.
func (r *repository) incompatible(l *lock.Lock, env, platform string, pkg *lock.Package, hubs []Hub) []platformFinding {
	locked, ok := majorVersion(pkg.Version)
	if !ok {
		return nil
	}
	where := platformsPlaceholder
	if env != lock.DefaultEnvironment {
		where += ", environment " + env
	}
	var out []platformFinding
	for _, h := range hubs {
		major, ok := majorVersion(h.Version)
		if !ok || major == locked {
			continue
		}
		out = append(out, platformFinding{platform: platform, Finding: Finding{
			Severity: Error, Path: l.Path, Line: pkg.Line,
			Message: fmt.Sprintf("`%s` locks %s %s (%s), but hub `%s` runs JupyterHub %s: a user server needs the major version of its hub, %d.",
				l.Path, pkg.Name, pkg.Version, where, h.Name, h.Version, major),
			Fix: r.pinFix(l, pkg, major),
		}})
	}
	return out
}

// pinFix says how to pin JupyterHub's single-user side to a major version
// and re-lock: jupyterhub-singleuser on conda-forge, jupyterhub on PyPI.
func (r *repository) pinFix(l *lock.Lock, pkg *lock.Package, major int) string {
	pin := fmt.Sprintf("jupyterhub-singleuser=%d", major) // conda's "=3" means 3.*
	if pkg.Manager == lock.PyPI {
		pin = fmt.Sprintf("jupyterhub==%d.*", major)
	}
	in := "the spec the lock is made from"
	if specs := r.specPathsOf(l); len(specs) > 0 {
		in = "`" + path.Clean(specs[0]) + "`"
	}
	return fmt.Sprintf("Pin `%s` in %s, then re-lock: `%s`.", pin, in, r.relockCommand(l))
}

// majorVersion reads the major version of a version such as "3.0.0",
// "4.1.5" or "1!3.0" (an epoch).
func majorVersion(v string) (int, bool) {
	if _, rest, ok := strings.Cut(v, "!"); ok {
		v = rest
	}
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	if end == 0 || end > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(v[:end])
	return n, err == nil
}

func summaryCompatible(f []Finding) string {
	return summarize(f, "The locked JupyterHub has the major version of every hub this image runs on.")
}
