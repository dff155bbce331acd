package checks

import (
	"fmt"
	"path"
	"strings"

	"github.com/imagebot/imagebot/checks/build"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/spec"
)

// checkPresent is lockfile-present: every environment the image installs
// comes from a lock. A spec without a lock next to it fails, and so does a
// build step that installs packages by name.
func checkPresent(r *repository) []Finding {
	findings := append([]Finding(nil), r.problems[LockfilePresent]...)
	lockInstalled := map[lockFamily]bool{}
	for _, in := range r.installs {
		f, family := r.judgeInstall(in)
		if f != nil {
			findings = append(findings, *f)
		}
		lockInstalled[family] = true
	}
	for _, s := range r.sortedSpecs() {
		if !installable(s) || !s.HasDependencies() || r.covered(s.Path) {
			continue
		}
		if lockInstalled[condaFamily] && s.Kind == spec.EnvironmentYML {
			// The build replaces the environment repo2docker solved from
			// this spec with one installed from a lock.
			continue
		}
		findings = append(findings, Finding{
			Severity: Error, Path: s.Path, Line: firstRequirementLine(s),
			Message: fmt.Sprintf("`%s` has no lockfile next to it, so every image build solves it again and any package can change without review.", s.Path),
			Fix:     fmt.Sprintf("Create the lock and commit it: `%s`; then install the environment from the lock in the image build.", r.lockCommand(s)),
		})
	}
	findings = append(findings, r.policyFindings()...)
	return findings
}

// installable reports whether a spec is one an image build installs or
// locks: environment files, pip inputs, and projects with dependencies.
func installable(s *spec.Spec) bool {
	if s.Kind == spec.Requirements {
		base := path.Base(s.Path)
		return base == "requirements.txt" || strings.HasSuffix(base, ".in")
	}
	return true
}

// covered reports whether some lock was made from the spec, or sits next
// to it in a format imagebot cannot read.
func (r *repository) covered(specPath string) bool {
	return len(r.locksOf(specPath)) > 0 || r.hasForeignLock(specPath)
}

func firstRequirementLine(s *spec.Spec) int {
	if len(s.Requirements) > 0 {
		return s.Requirements[0].Line
	}
	return 0
}

// lockFamily says which kind of environment a lock installs.
type lockFamily string

const (
	noLock      lockFamily = ""
	condaFamily lockFamily = "conda"
	pipFamily   lockFamily = "pip"
)

func familyOf(f lock.Format) lockFamily {
	if isConda(f) {
		return condaFamily
	}
	return pipFamily
}

// judgeInstall returns the finding for one install command, if any, and
// which kind of lock it installs from, if it does.
func (r *repository) judgeInstall(in build.Install) (*Finding, lockFamily) {
	switch in.Kind {
	case build.FromLock:
		if in.Tool == "pip" || in.Tool == "uv" {
			return nil, pipFamily
		}
		return nil, condaFamily
	case build.ByName:
		return &Finding{
			Severity: Error, Path: in.Path, Line: in.Line,
			Message: fmt.Sprintf("`%s` installs %s by name with %s, so every build solves them again and can change any package without review.",
				in.Path, listPackages(in.Packages), in.Tool),
			Fix: byNameFix(in),
		}, noLock
	case build.Local:
		if in.NoDeps {
			return nil, noLock
		}
		return &Finding{
			Severity: Warning, Path: in.Path, Line: in.Line,
			Message: fmt.Sprintf("`%s` installs the repository's own package with %s and lets it resolve its dependencies unpinned.", in.Path, in.Tool),
			Fix:     "Lock the dependencies (`pip-compile --generate-hashes requirements.in`), install them with `pip install --require-hashes -r requirements.txt`, then install the package with `pip install --no-deps .`.",
		}, noLock
	case build.FromFile:
		return r.judgeFileInstall(in)
	}
	return nil, noLock
}

// judgeFileInstall decides whether the file an install reads is a lock.
func (r *repository) judgeFileInstall(in build.Install) (*Finding, lockFamily) {
	target := r.resolveFile(in)
	if target == "" {
		base := path.Base(in.File)
		if strings.HasSuffix(base, ".lock") || strings.Contains(base, "lock") {
			if in.Tool == "pip" || in.Tool == "uv" {
				return nil, pipFamily
			}
			return nil, condaFamily
		}
		return &Finding{
			Severity: Warning, Path: in.Path, Line: in.Line,
			Message: fmt.Sprintf("`%s` installs from `%s`, which is not in the repository, so imagebot cannot tell whether it is a lock.", in.Path, in.File),
			Fix:     "Install from a lockfile committed to the repository, such as `conda-linux-64.lock` rendered by `conda-lock render --kind explicit -p linux-64`.",
		}, noLock
	}
	if l := r.locks[target]; l != nil {
		return nil, familyOf(l.Format)
	}
	s := r.specs[target]
	if s == nil {
		return nil, noLock
	}
	locks := r.locksOf(target)
	fix := fmt.Sprintf("Lock it with `%s` and install the lock instead.", r.lockCommand(s))
	if len(locks) > 0 {
		fix = fmt.Sprintf("Install `%s` instead; it locks `%s`.", installableLock(locks), target)
	}
	return &Finding{
		Severity: Error, Path: in.Path, Line: in.Line,
		Message: fmt.Sprintf("`%s` installs from `%s`, a spec rather than a lock, so every build solves it again.", in.Path, target),
		Fix:     fix,
	}, noLock
}

// installableLock picks the lock a build should install: an explicit lock
// when there is one (conda installs it without conda-lock), else the first.
func installableLock(locks []*lock.Lock) string {
	for _, l := range locks {
		if l.Format == lock.FormatExplicit {
			return l.Path
		}
	}
	return locks[0].Path
}

// resolveFile finds the repository file an install refers to: relative to
// the build file's directory, then to the root, then by a unique base name
// (for paths built from variables such as ${REPO_DIR}/environment.yml).
func (r *repository) resolveFile(in build.Install) string {
	f := strings.Trim(in.File, `"'`)
	if f == "" {
		return ""
	}
	if !strings.Contains(f, "$") && !path.IsAbs(f) {
		for _, p := range []string{path.Join(path.Dir(in.Path), f), path.Clean(f)} {
			if _, ok := r.files[p]; ok {
				return p
			}
		}
	}
	base := path.Base(f)
	found := ""
	for p := range r.files {
		if path.Base(p) == base {
			if found != "" {
				return "" // ambiguous
			}
			found = p
		}
	}
	return found
}

func listPackages(pkgs []string) string {
	const most = 8
	quoted := make([]string, 0, most)
	for i, p := range pkgs {
		if i == most {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(pkgs)-most))
			break
		}
		quoted = append(quoted, "`"+p+"`")
	}
	if len(quoted) == 0 {
		return "packages"
	}
	return strings.Join(quoted, ", ")
}

// byNameFix says how to move a by-name install onto a lock.
func byNameFix(in build.Install) string {
	if in.Tool == "pip" || in.Tool == "uv" {
		return "List the packages in `requirements.in`, lock them with `pip-compile --generate-hashes requirements.in`, commit `requirements.txt`, and install with `pip install --require-hashes -r requirements.txt`."
	}
	return "List the packages in `environment.yml`, lock them with `conda-lock lock -f environment.yml -p linux-64 --kind explicit`, commit `conda-linux-64.lock`, and install with `mamba install --yes --file conda-linux-64.lock`."
}

// policyFindings checks the locks against the repository's lockfile
// policy: accepted formats, and the platforms every lock must cover.
func (r *repository) policyFindings() []Finding {
	var findings []Finding
	accepted := map[string]bool{}
	for _, f := range r.cfg.Formats {
		accepted[f] = true
	}
	explicitPlatforms := map[string]map[string]bool{} // dir → platforms its explicit locks cover
	for _, l := range r.sortedLocks() {
		if !accepted[string(l.Format)] {
			findings = append(findings, Finding{
				Severity: Error, Path: l.Path,
				Message: fmt.Sprintf("`%s` is a %s lock, but .github/imagebot.yml accepts only %s.", l.Path, l.Format, strings.Join(r.cfg.Formats, ", ")),
				Fix:     "Lock with an accepted tool, or add " + string(l.Format) + " to lockfile.formats in .github/imagebot.yml.",
			})
		}
		if l.Format == lock.FormatExplicit {
			dir := path.Dir(l.Path)
			if explicitPlatforms[dir] == nil {
				explicitPlatforms[dir] = map[string]bool{}
			}
			for _, p := range lockPlatforms(l) {
				explicitPlatforms[dir][p] = true
			}
			continue
		}
		if !isConda(l.Format) {
			continue
		}
		have := map[string]bool{}
		for _, p := range lockPlatforms(l) {
			have[p] = true
		}
		for _, want := range r.cfg.Platforms {
			if !have[want] {
				findings = append(findings, Finding{
					Severity: Error, Path: l.Path,
					Message: fmt.Sprintf("`%s` does not lock %s, a platform the image must run on.", l.Path, want),
					Fix:     fmt.Sprintf("Add the platform and re-lock: `%s`.", r.addPlatformCommand(l, want)),
				})
			}
		}
	}
	for dir, have := range explicitPlatforms {
		if r.locks[path.Join(dir, "conda-lock.yml")] != nil {
			continue // judged through its conda-lock.yml
		}
		for _, want := range r.cfg.Platforms {
			if !have[want] {
				findings = append(findings, Finding{
					Severity: Error, Path: path.Join(dir, "conda-"+want+".lock"),
					Message: fmt.Sprintf("No explicit lock in `%s` covers %s, a platform the image must run on.", dir, want),
					Fix:     fmt.Sprintf("Render it: `%s`.", inDir(dir, "conda-lock lock -f environment.yml -p "+shellQuote(want)+" --kind explicit")),
				})
			}
		}
	}
	return findings
}

func (r *repository) addPlatformCommand(l *lock.Lock, platform string) string {
	if l.Format == lock.FormatPixi {
		return inDir(path.Dir(l.Path), "pixi workspace platform add "+shellQuote(platform))
	}
	return r.relockCommand(l)
}

// lockPlatforms lists the platforms any environment of a lock covers.
func lockPlatforms(l *lock.Lock) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range l.Environments {
		for _, p := range e.Platforms {
			if !seen[p.Name] {
				seen[p.Name] = true
				out = append(out, p.Name)
			}
		}
	}
	return out
}
