package checks

import (
	"path"
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/spec"
)

// inDir prefixes a command with a cd when the files live below the root.
func inDir(dir, cmd string) string {
	if dir == "." || dir == "" {
		return cmd
	}
	return "cd " + shellQuote(dir) + " && " + cmd
}

// platformFlags lists the -p flags for the lock's platforms and the
// platforms the configuration requires, without repeats.
func (r *repository) platformFlags(l *lock.Lock) string {
	seen := map[string]bool{}
	var b strings.Builder
	add := func(p string) {
		if p == lock.AnyPlatform || seen[p] {
			return
		}
		seen[p] = true
		b.WriteString(" -p " + shellQuote(p))
	}
	if l != nil {
		for _, e := range l.Environments {
			for _, p := range e.Platforms {
				add(p.Name)
			}
		}
	}
	for _, p := range r.cfg.Platforms {
		add(p)
	}
	return b.String()
}

// relockCommand is the exact command that regenerates a lock from its
// specs, run from the repository root.
func (r *repository) relockCommand(l *lock.Lock) string {
	dir := path.Dir(l.Path)
	base := path.Base(l.Path)
	specs := ""
	for _, s := range r.specPathsOf(l) {
		specs += " -f " + shellQuote(relTo(dir, s))
	}
	if specs == "" {
		specs = " -f environment.yml"
	}
	switch l.Format {
	case lock.FormatCondaLock:
		cmd := "conda-lock lock" + specs + r.platformFlags(l)
		if base != "conda-lock.yml" {
			cmd += " --lockfile " + shellQuote(base)
		}
		if r.hasExplicitSibling(l.Path) {
			cmd += " && conda-lock render --kind explicit" + r.platformFlags(l) + " " + shellQuote(base)
		}
		return inDir(dir, cmd)
	case lock.FormatExplicit:
		for _, name := range []string{"conda-lock.yml", "conda-lock.yaml"} {
			// A file named conda-lock.yml may itself hold an explicit
			// lock: only a conda-lock.yml in conda-lock's format renders
			// this one.
			if sibling := r.locks[path.Join(dir, name)]; sibling != nil && sibling.Format == lock.FormatCondaLock {
				return r.relockCommand(sibling)
			}
		}
		return inDir(dir, "conda-lock lock"+specs+r.platformFlags(l)+" --kind explicit")
	case lock.FormatPixi:
		return inDir(dir, "pixi lock")
	case lock.FormatUV:
		return inDir(dir, "uv lock")
	case lock.FormatPipCompile:
		in := strings.TrimSuffix(base, ".txt") + ".in"
		if srcs := r.specPathsOf(l); len(srcs) > 0 {
			in = relTo(dir, srcs[0])
		}
		if r.files[l.Path].uvPipCompile {
			return inDir(dir, "uv pip compile --generate-hashes "+shellQuote(in)+" -o "+shellQuote(base))
		}
		return inDir(dir, "pip-compile --generate-hashes -o "+shellQuote(base)+" "+shellQuote(in))
	}
	return ""
}

// hasExplicitSibling reports whether explicit locks sit next to a lock.
func (r *repository) hasExplicitSibling(p string) bool {
	dir := path.Dir(p)
	for q, l := range r.locks {
		if l.Format == lock.FormatExplicit && path.Dir(q) == dir {
			return true
		}
	}
	return false
}

// lockCommand is the exact command that creates the missing lock of a spec.
func (r *repository) lockCommand(s *spec.Spec) string {
	dir := path.Dir(s.Path)
	base := path.Base(s.Path)
	switch s.Kind {
	case spec.EnvironmentYML:
		return inDir(dir, "conda-lock lock -f "+shellQuote(base)+r.platformFlags(nil)+" --kind explicit")
	case spec.PixiTOML:
		return inDir(dir, "pixi lock")
	case spec.Pyproject:
		if s.Environments != nil {
			return inDir(dir, "pixi lock")
		}
		return inDir(dir, "uv lock")
	case spec.Requirements:
		if strings.HasSuffix(base, ".in") {
			return inDir(dir, "pip-compile --generate-hashes "+shellQuote(base))
		}
		in := strings.TrimSuffix(base, ".txt") + ".in"
		return inDir(dir, "mv "+shellQuote(base)+" "+shellQuote(in)+" && pip-compile --generate-hashes -o "+shellQuote(base)+" "+shellQuote(in))
	}
	return ""
}

// relTo makes a repository path relative to a directory when it is inside it.
func relTo(dir, p string) string {
	if dir == "." {
		return p
	}
	if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
		return rest
	}
	return p
}
