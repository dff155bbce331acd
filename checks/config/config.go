// Package config reads a repository's `.github/imagebot.yml`: which checks
// run and how severe their findings are, the lockfile policy, extra
// split-package groups, what to ignore, when to comment, and which of the
// operator's hubs the repository feeds.
//
// Parsing is strict: an unknown key or a bad value is a Problem with its
// line, so that a pull request that edits the file gets clear errors. The
// package is pure (bytes in, Config out) and must not depend on GitHub or
// on any I/O. The file's JSON Schema is embedded as Schema.
package config

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/imagebot/imagebot/internal/strictyaml"
)

// Path is where a repository keeps its imagebot configuration.
const Path = ".github/imagebot.yml"

// MaxSize is the largest configuration file read.
const MaxSize = 256 << 10

// Schema is the JSON Schema of the configuration file.
//
//go:embed imagebot.schema.json
var Schema []byte

// Severity is how serious a finding is.
type Severity string

// The severities, most serious first.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Notice  Severity = "notice"
)

// CheckIDs are the stable ids of the checks, in the order they run.
var CheckIDs = []string{"lockfile-present", "lockfile-fresh", "lockfile-consistent", "image-pinned", "hub-compatible", "dependency-diff"}

// Check configures one check.
type Check struct {
	Enabled bool
	// Severity is given to the check's failing findings. A check fails
	// only when it has findings of severity error.
	Severity Severity
}

// Config is a repository's configuration, with defaults filled in.
type Config struct {
	Checks map[string]Check
	// Platforms are the conda platforms every lock must cover.
	Platforms []string
	// Formats are the lock formats the repository accepts.
	Formats []string
	// SplitGroups are extra sets of packages that must move together.
	SplitGroups [][]string
	// IgnorePaths are globs ("docs/**") of files the checks do not read.
	IgnorePaths []string
	// IgnorePackages are package names left out of findings and diffs.
	IgnorePackages []string
	// CommentOnDrafts posts the dependency-diff comment on draft pull
	// requests too; by default it waits until the PR is ready for review.
	CommentOnDrafts bool
	// Hubs names the operator's hubs this repository's image feeds.
	Hubs []string
	// TagTemplate is the image tag a merge publishes; "{sha12}" (the
	// default), "{sha7}" and "{sha}" stand for the merge commit's SHA.
	TagTemplate string
}

// Default returns the configuration used when a repository has none.
func Default() *Config {
	c := &Config{
		Checks:      map[string]Check{},
		Platforms:   []string{"linux-64"},
		Formats:     Formats,
		TagTemplate: "{sha12}",
	}
	for _, id := range CheckIDs {
		c.Checks[id] = Check{Enabled: true, Severity: Error}
	}
	c.Checks["dependency-diff"] = Check{Enabled: true, Severity: Warning}
	return c
}

// Tag expands the tag template for a merge commit SHA.
func (c *Config) Tag(sha string) string { return ExpandTag(c.TagTemplate, sha) }

// ExpandTag expands a tag template: "{sha12}", "{sha7}" and "{sha}" stand
// for the first 12 characters, the first 7, or all of a commit's SHA.
func ExpandTag(template, sha string) string {
	short := func(n int) string {
		if len(sha) < n {
			return sha
		}
		return sha[:n]
	}
	return strings.NewReplacer("{sha12}", short(12), "{sha7}", short(7), "{sha}", sha).Replace(template)
}

// IgnoresPath reports whether a repository path matches an ignore glob.
func (c *Config) IgnoresPath(p string) bool {
	for _, g := range c.IgnorePaths {
		if MatchGlob(g, p) {
			return true
		}
	}
	return false
}

// IgnoresPackage reports whether a package name is ignored.
func (c *Config) IgnoresPackage(name string) bool {
	for _, n := range c.IgnorePackages {
		if n == name {
			return true
		}
	}
	return false
}

// Problem is one thing wrong with a configuration file.
type Problem = strictyaml.Problem

// Problems is the error Parse returns for an invalid file.
type Problems []Problem

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, q := range p {
		parts[i] = fmt.Sprintf("%s:%d: %s", Path, q.Line, q.Message)
	}
	return strings.Join(parts, "\n")
}
