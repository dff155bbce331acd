// Package checks is imagebot's pure engine: bytes in, findings and
// dependency diffs out. It runs the checks on a repository tree —
// lockfile-present, lockfile-fresh, lockfile-consistent, image-pinned,
// hub-compatible (when the caller gives the hubs' versions, WithHubs) and
// dependency-diff — and serves both the command line and the GitHub App.
//
// The package and its subpackages make no network calls, read no clock
// and no environment, and know nothing of GitHub: callers hand in Trees.
// Parsing lives below: lock (lockfiles), spec (the files locks are made
// from), build (Dockerfiles, repo2docker scripts, workflows), conda and
// pep440 (versions), diff (lock comparison) and config (.github/imagebot.yml).
package checks

import (
	"fmt"

	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/internal/pkgver"
	"github.com/imagebot/imagebot/checks/lock"
)

// Option configures Check.
type Option func(*options)

type options struct {
	base Tree
	cfg  *config.Config
	hubs []Hub
}

// WithBase makes Check judge the change from base to the checked tree, as
// a pull request: specs changed without their locks, and the dependency
// diff.
func WithBase(base Tree) Option { return func(o *options) { o.base = base } }

// WithConfig sets the repository configuration; the default is
// config.Default(). Callers load it with LoadConfig, from the base of a
// change, so that a change cannot switch its own checks off.
func WithConfig(c *config.Config) Option { return func(o *options) { o.cfg = c } }

// LoadConfig reads `.github/imagebot.yml` from a tree: the defaults when
// the file is absent, config.Problems when it is invalid.
func LoadConfig(t Tree) (*config.Config, error) {
	for _, p := range t.Paths() {
		if p != config.Path {
			continue
		}
		data, err := t.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		return config.Parse(data)
	}
	return config.Default(), nil
}

// Reads lists the files Check, given the same tree and options, reads of
// the head and of the base (WithBase), in the order it reads them, within
// its budget. A caller that fetches files over a network fetches these
// before calling Check, so that a failed fetch is the caller's error to
// retry, and Check only ever sees bytes. Sizes a tree does not know count
// as zero here, so the lists hold every file Check may read.
func Reads(head Tree, opts ...Option) (headPaths, basePaths []string) {
	o := options{cfg: config.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	b := newBudget()
	plan := func(t Tree) []string {
		var out []string
		for _, p := range candidates(t, o.cfg) {
			size := sizeOf(t, p)
			if size > maxFileSize || !b.admit(size) {
				continue
			}
			b.spend(max(size, 0), 0)
			out = append(out, p)
		}
		return out
	}
	headPaths = plan(head)
	if o.base != nil {
		basePaths = plan(o.base)
	}
	return headPaths, basePaths
}

// Check runs every check on a tree and returns the report.
func Check(head Tree, opts ...Option) *Report {
	o := options{cfg: config.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	cache := pkgver.NewCache()
	b := newBudget()
	r := scan(head, o.cfg, b) // the head first: it is what the checks judge
	var base *repository
	var diffs []LockDiff
	if o.base != nil {
		base = scan(o.base, o.cfg, b)
		diffs = lockDiffs(base, r, cache)
	}
	for id, fs := range leftOutFindings(r.leftOut, "") {
		r.problems[id] = append(r.problems[id], fs...)
	}
	if base != nil && len(base.leftOut) > 0 {
		// lockfile-fresh compares the base with the head.
		r.problems[LockfileFresh] = append(r.problems[LockfileFresh], leftOutFinding(base.leftOut, " of the base"))
	}

	report := &Report{Diffs: diffs}
	report.add(o.cfg, LockfilePresent, checkPresent(r), r.hasImageFiles(), summaryPresent)
	report.add(o.cfg, LockfileFresh, checkFresh(r, base, cache), len(r.locks) > 0 || len(r.problems[LockfileFresh]) > 0, summaryFresh)
	consistent, examined := checkConsistent(r, cache)
	report.add(o.cfg, LockfileConsistent, consistent, examined, summaryConsistent)
	pinned, examined := checkPinned(r)
	report.add(o.cfg, ImagePinned, pinned, examined || len(r.problems[ImagePinned]) > 0, summaryPinned)
	if len(o.hubs) > 0 {
		compatible, examined := checkCompatible(r, o.hubs)
		report.add(o.cfg, HubCompatible, compatible, examined, summaryCompatible)
	}
	report.add(o.cfg, DependencyDiff, checkDependencyDiff(r, diffs), base != nil, summaryDiff(diffs))

	report.Conclusion = Neutral // until a check examined something
	for _, c := range report.Checks {
		switch {
		case c.Conclusion == Failure:
			report.Conclusion = Failure
		case c.Conclusion != Skipped && report.Conclusion == Neutral:
			report.Conclusion = Success
		}
	}
	return report
}

// Diff compares two locks; it is the verb behind `imagebot diff`.
func Diff(before, after *lock.Lock, opts ...diff.Option) []diff.Change {
	return diff.Compute(before, after, opts...)
}

// primarySeverity is the severity a check gives its failing findings
// before the configuration adjusts it.
func primarySeverity(id string) Severity {
	if id == DependencyDiff {
		return Warning
	}
	return Error
}

// add records one check's result, applying the configured severity.
func (rep *Report) add(cfg *config.Config, id string, findings []Finding, examined bool, summarize func([]Finding) string) {
	c, ok := cfg.Checks[id]
	if !ok {
		c = config.Check{Enabled: true, Severity: primarySeverity(id)}
	}
	res := Result{ID: id}
	switch {
	case !c.Enabled:
		res.Conclusion = Skipped
		res.Summary = "Disabled in .github/imagebot.yml."
		rep.Checks = append(rep.Checks, res)
		return
	case !examined && len(findings) == 0:
		res.Conclusion = Skipped
		res.Summary = nothingToCheck[id]
		rep.Checks = append(rep.Checks, res)
		return
	}
	for _, f := range findings {
		f.Severity = adjust(f.Severity, primarySeverity(id), c.Severity)
		f.Message, f.Fix = Clip(f.Message), Clip(f.Fix)
		res.Findings = append(res.Findings, f)
	}
	res.Conclusion = Success
	if id == DependencyDiff {
		res.Conclusion = Neutral
	}
	for _, f := range res.Findings {
		if f.Severity == Error {
			res.Conclusion = Failure
		}
	}
	res.Summary = summarize(res.Findings)
	rep.Checks = append(rep.Checks, res)
}

// adjust maps a finding's severity through the configuration: findings at
// the check's primary severity take the configured one, and no finding
// ends up more severe than the configuration allows.
func adjust(s, primary, configured Severity) Severity {
	if s == primary {
		return configured
	}
	if rank(configured) > rank(s) {
		return configured
	}
	return s
}

func rank(s Severity) int {
	switch s {
	case Error:
		return 0
	case Warning:
		return 1
	}
	return 2
}
