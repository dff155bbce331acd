package checks

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/imagebot/imagebot/checks/build"
	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/checks/parseerr"
	"github.com/imagebot/imagebot/checks/spec"
)

// repository is what the checks know about one revision of a repository:
// every wanted file, parsed once.
type repository struct {
	cfg       *config.Config
	files     map[string]fileInfo   // wanted files read, by path
	locks     map[string]*lock.Lock // parsed locks, by path
	foreign   map[string]bool       // locks imagebot cannot read (poetry.lock, ...), by path
	specs     map[string]*spec.Spec // parsed specs, by path
	installs  []build.Install
	images    []build.ImageRef
	workflows []*build.Workflow
	// problems are findings about unreadable files, filed under the check
	// that needed the file.
	problems map[string][]Finding
	leftOut  []string // wanted files not read: beyond the run's budget of files or bytes
}

// fileInfo is what the checks keep of a file's bytes once it is parsed:
// enough to tell whether it changed, and which tool wrote it. The bytes
// themselves are let go, so that memory holds each file's parse only.
type fileInfo struct {
	sum          [sha256.Size]byte
	uvPipCompile bool // written by `uv pip compile`, not pip-compile
}

// hasImageFiles reports whether the tree holds anything that builds an
// image or installs an environment: a spec, a lock, a Dockerfile or
// repo2docker script, or a publishing workflow.
func (r *repository) hasImageFiles() bool {
	return len(r.specs) > 0 || len(r.locks) > 0 || len(r.foreign) > 0 || len(r.installs) > 0 ||
		len(r.images) > 0 || len(r.workflows) > 0 || len(r.problems[LockfilePresent]) > 0
}

// foreignLocks are lockfiles of managers imagebot does not read; they
// still count as locks for the pyproject.toml or Pipfile next to them.
var foreignLocks = map[string]bool{"poetry.lock": true, "pdm.lock": true, "Pipfile.lock": true}

// scan reads and parses the wanted files of a tree, the shallowest first
// (the root Dockerfile before anything in a subdirectory), within the
// run's budget. A file that does not fit is left out and named in
// r.leftOut; the checks it matters to then fail.
func scan(t Tree, cfg *config.Config, b *budget) *repository {
	r := &repository{
		cfg:      cfg,
		files:    map[string]fileInfo{},
		locks:    map[string]*lock.Lock{},
		foreign:  map[string]bool{},
		specs:    map[string]*spec.Spec{},
		problems: map[string][]Finding{},
	}
	for _, p := range candidates(t, cfg) {
		size := sizeOf(t, p)
		switch {
		case size > maxFileSize:
			r.tooLarge(p)
			continue
		case !b.admit(size):
			r.leftOut = append(r.leftOut, p)
			continue
		}
		data, err := t.ReadFile(p)
		switch {
		case err != nil:
			r.problem(checksFor(classify(p)), Finding{Severity: Error, Path: p,
				Message: fmt.Sprintf("imagebot could not read %s: %v", p, err), Fix: unreadableFix(p, err)})
			continue
		case len(data) > maxFileSize:
			r.tooLarge(p)
			continue
		}
		b.spend(size, len(data))
		r.files[p] = fileInfo{sum: sha256.Sum256(data), uvPipCompile: bytes.Contains(data, []byte("uv pip compile"))}
		r.parse(p, data)
	}
	return r
}

// candidates lists the files of a tree that Check would read, in the
// order it reads them.
func candidates(t Tree, cfg *config.Config) []string {
	var paths []string
	for _, p := range t.Paths() {
		if Wanted(p) && !cfg.IgnoresPath(p) {
			paths = append(paths, p)
		}
	}
	sort.Slice(paths, func(i, j int) bool { return shallowerFirst(paths[i], paths[j]) })
	return paths
}

// sizeOf is a file's size when the tree knows it before reading, else -1.
func sizeOf(t Tree, p string) int64 {
	if sizer, ok := t.(Sizer); ok {
		if n, ok := sizer.Size(p); ok {
			return n
		}
	}
	return -1
}

// shallowerFirst orders paths by depth, then by name: the files at the root
// come first.
func shallowerFirst(a, b string) bool {
	if da, db := strings.Count(a, "/"), strings.Count(b, "/"); da != db {
		return da < db
	}
	return a < b
}

// unreadableFix says how to make a file the checks could not read
// readable: a link that cannot be followed is replaced by the file itself.
func unreadableFix(p string, err error) string {
	var le *LinkError
	if !errors.As(err, &le) {
		return "Check that the file is a regular file in the repository, then re-run the checks."
	}
	return fmt.Sprintf("Commit %s as a regular file, or as a symbolic link to a file inside the repository: `rm -- %s`, put the file in its place, then `git add -- %s`.",
		p, shellQuote(p), shellQuote(p))
}

func (r *repository) tooLarge(p string) {
	r.problem(checksFor(classify(p)), Finding{Severity: Error, Path: p,
		Message: fmt.Sprintf("%s is larger than %d MiB, so imagebot does not read it", p, maxFileSize>>20),
		Fix:     "Split the file, or list it under ignore.paths in .github/imagebot.yml."})
}

// checksFor names the checks that report a file's problems: a Dockerfile
// that cannot be read leaves both its installs and its base images
// unjudged, so both checks fail.
func checksFor(k fileKind) []string {
	switch k {
	case environmentFile, requirementsIn, pyprojectFile, pixiTOML:
		return []string{LockfileFresh}
	case workflow:
		return []string{ImagePinned}
	case dockerfile, appendix:
		return []string{LockfilePresent, ImagePinned}
	}
	return []string{LockfilePresent}
}

// problem files f under each of checks.
func (r *repository) problem(checks []string, f Finding) {
	for _, id := range checks {
		r.problems[id] = append(r.problems[id], f)
	}
}

// parseProblem files a parser's error as findings: one per problem the
// parser located, at its line, or one for the whole file.
func (r *repository) parseProblem(p, what string, err error) {
	fix := fmt.Sprintf("Fix the file at the line shown, or regenerate it; the checks that need %s cannot use what they cannot read.", path.Base(p))
	for _, l := range locate(err) {
		r.problem(checksFor(classify(p)), Finding{Severity: Error, Path: p, Line: l.line,
			Message: fmt.Sprintf("%s is not a valid %s: %s", p, what, l.msg), Fix: fix})
	}
}

// located is one problem a parser reported, with its line (0: the file).
type located struct {
	line int
	msg  string
}

// locate takes apart the error types of the parsers.
func locate(err error) []located {
	var sp spec.Problems
	if errors.As(err, &sp) {
		out := make([]located, len(sp))
		for i, e := range sp {
			out[i] = located{e.Line, e.Msg}
		}
		return out
	}
	var pe *parseerr.Error
	if errors.As(err, &pe) {
		return []located{{pe.Line, pe.Msg}}
	}
	return []located{{0, err.Error()}}
}

func (r *repository) parse(p string, data []byte) {
	switch k := classify(p); k {
	case lockFile:
		r.parseLock(p, data)
	case requirementsTxt:
		if f, ok := lock.Detect(p, data); ok && f == lock.FormatPipCompile {
			r.parseLock(p, data)
			return
		}
		r.parseSpec(p, data)
	case environmentFile, requirementsIn, pyprojectFile, pixiTOML:
		r.parseSpec(p, data)
	case dockerfile, appendix:
		scanner := build.ScanDockerfile
		if k == appendix {
			scanner = build.ScanAppendix
		}
		d, err := scanner(p, data)
		if err != nil {
			r.parseProblem(p, "Dockerfile", err)
			return
		}
		r.images = append(r.images, d.Images...)
		r.installs = append(r.installs, d.Installs...)
	case postBuild, startScript:
		installs, err := build.ScanScript(p, data)
		if err != nil {
			r.parseProblem(p, "shell script", err)
			return
		}
		r.installs = append(r.installs, installs...)
	case workflow:
		w, err := build.ScanWorkflow(p, data)
		if err != nil {
			r.parseProblem(p, "GitHub workflow", err)
			return
		}
		r.workflows = append(r.workflows, w)
	}
}

func (r *repository) parseLock(p string, data []byte) {
	base := path.Base(p)
	if foreignLocks[base] {
		r.foreign[p] = true
		return
	}
	if _, ok := lock.Detect(p, data); !ok {
		if !looksLikeCondaLock(base) {
			return // yarn.lock, Gemfile.lock and friends are none of our business
		}
	}
	l, err := lock.Parse(p, data)
	if err != nil {
		r.parseProblem(p, "lockfile", err)
		return
	}
	r.locks[p] = l
}

// looksLikeCondaLock reports whether a file name promises one of the lock
// formats imagebot reads, so that failing to parse it is worth a finding.
func looksLikeCondaLock(base string) bool {
	return base == "pixi.lock" || base == "uv.lock" || base == "conda-lock.yml" ||
		strings.HasSuffix(base, ".conda-lock.yml") ||
		(strings.HasPrefix(base, "conda-") && strings.HasSuffix(base, ".lock"))
}

func (r *repository) parseSpec(p string, data []byte) {
	s, err := spec.Parse(p, data)
	if err != nil {
		r.parseProblem(p, "spec file", err)
	}
	if s != nil {
		r.specs[p] = s
	}
}

// sortedLocks returns the parsed locks in path order.
func (r *repository) sortedLocks() []*lock.Lock {
	out := make([]*lock.Lock, 0, len(r.locks))
	for _, l := range r.locks {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// sortedSpecs returns the parsed specs in path order.
func (r *repository) sortedSpecs() []*spec.Spec {
	out := make([]*spec.Spec, 0, len(r.specs))
	for _, s := range r.specs {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// has reports whether the tree held a file at p that was read.
func (r *repository) has(p string) bool {
	_, ok := r.files[p]
	return ok
}
