package build

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// This file works out the tags a docker/metadata-action step outputs, following the
// action's documented behaviour (README and src/meta.ts, src/tag.ts, src/flavor.ts):
//
//   - tags: one entry per line, comma-separated key=value attributes; type= defaults to
//     raw. With no tags input the entries are type=schedule, type=ref,event=branch,
//     type=ref,event=tag and type=ref,event=pr.
//   - Which entries produce a tag depends on the run: schedule on scheduled runs; semver,
//     pep440 and match on git tag pushes (on every run with value=); edge on the default
//     branch (or branch=); ref,event=branch on branches, event=tag on git tags, event=pr on
//     pull requests; raw and sha on every run.
//   - enable= (default true) may be {{is_default_branch}} or an expression.
//   - Defaults: sha has prefix sha- and the short SHA (7 characters, or
//     DOCKER_METADATA_SHORT_SHA_LENGTH; format=long is the whole SHA); ref,event=pr has
//     prefix pr-; schedule's pattern is nightly. A prefix= or suffix= attribute replaces the
//     flavor's.
//   - flavor latest=auto (the default) adds :latest when the highest-priority entry that
//     produces a tag in the run is semver, pep440, match or ref,event=tag; latest=true adds
//     it whenever any tag is produced; latest=false never. Priorities default to schedule
//     1000, semver and pep440 900, match 800, edge 700, ref 600, raw 200, sha 100.
//
// The step's outputs.tags are every image crossed with every tag. They are publishes only
// where a push uses them.

// metadataStep is what a docker/metadata-action step outputs.
type metadataStep struct {
	usesLine int
	images   []string
	tags     []metaTag
}

// metaTag is one tag a metadata step can output, with where it comes from.
type metaTag struct {
	tag       string
	line      int
	reason    string
	condition string
	shaLength int
}

// metaRule is one entry of the tags input.
type metaRule struct {
	kind     string // type=
	attrs    map[string]string
	text     string
	line     int
	priority int
}

var metaPriorities = map[string]int{
	"schedule": 1000, "semver": 900, "pep440": 900, "match": 800, "edge": 700, "ref": 600, "raw": 200, "sha": 100,
}

var defaultMetaRules = []string{"type=schedule", "type=ref,event=branch", "type=ref,event=tag", "type=ref,event=pr"}

// flavor is the flavor input.
type flavor struct {
	latest       string // auto, true, false, or an expression
	latestLine   int    // 0 when not written
	prefix       string
	suffix       string
	prefixLatest bool
	suffixLatest bool
}

// readMetadata reads a docker/metadata-action step.
func (j *jobScan) readMetadata(st step) *metadataStep {
	m := &metadataStep{usesLine: st.usesLine}
	for _, it := range j.listItems(get(st.with, "images"), false) {
		m.images = append(m.images, metaImages(it.text, st.env)...)
	}
	rules := j.metaRules(st)
	fl := j.metaFlavor(st)
	shortSHA := 7
	length, _ := st.env.lookup("DOCKER_METADATA_SHORT_SHA_LENGTH")
	if n, err := strconv.Atoi(resolveEnv(length, st.env)); err == nil && n > 0 {
		shortSHA = min(n, 40)
	}
	allowed := j.contexts
	for _, r := range rules {
		ctxs, cond := r.produces(allowed)
		if ctxs == 0 {
			continue
		}
		tag, sha := r.tag(fl, shortSHA)
		if tag == "" {
			continue
		}
		m.tags = append(m.tags, metaTag{
			tag: tag, line: r.line, shaLength: sha,
			reason:    fmt.Sprintf("docker/metadata-action tag `%s`", r.text),
			condition: joinConditions(ctxs.describe(allowed), cond),
		})
	}
	if t, ok := latestTag(rules, fl, allowed, m.usesLine); ok {
		m.tags = append(m.tags, t)
	}
	return m
}

// metaImages reads one line of the images input: image names separated by commas, or
// name=…,enable=… attributes.
func metaImages(line string, e env) []string {
	fields := splitCSV(line)
	var names []string
	enabled := true
	for _, f := range fields {
		k, v, attr := strings.Cut(strings.TrimSpace(f), "=")
		switch {
		case attr && strings.EqualFold(k, "name"):
			names = append(names, strings.TrimSpace(v))
		case attr && strings.EqualFold(k, "enable"):
			enabled = strings.TrimSpace(v) != "false"
		case !attr || strings.Contains(k, "/") || strings.Contains(f, "${{"):
			names = append(names, strings.TrimSpace(f))
		}
	}
	if !enabled {
		return nil
	}
	var out []string
	for _, n := range names {
		if n = lowerOutsideExpressions(resolveEnv(n, e)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// metaRules reads the tags input, sorted by priority (highest first, stable).
func (j *jobScan) metaRules(st step) []metaRule {
	items := j.listItems(get(st.with, "tags"), false)
	if len(items) == 0 {
		for _, d := range defaultMetaRules {
			items = append(items, item{text: d, line: st.usesLine})
		}
	}
	var rules []metaRule
	for _, it := range items {
		if r, ok := parseMetaRule(it); ok {
			rules = append(rules, r)
		}
	}
	sort.SliceStable(rules, func(a, b int) bool { return rules[a].priority > rules[b].priority })
	return rules
}

// parseMetaRule reads one tags entry and applies the action's defaults. An entry the
// action rejects (unknown type, missing pattern, value or event) is skipped.
func parseMetaRule(it item) (metaRule, bool) {
	r := metaRule{kind: "raw", attrs: map[string]string{}, text: it.text, line: it.line}
	for _, f := range splitCSV(it.text) {
		k, v, attr := strings.Cut(f, "=")
		if !attr {
			r.attrs["value"] = strings.TrimSpace(k)
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if k == "type" {
			r.kind = v
		} else {
			r.attrs[k] = v
		}
	}
	_, hasPattern := r.attrs["pattern"]
	_, hasValue := r.attrs["value"]
	_, hasPrefix := r.attrs["prefix"]
	switch r.kind {
	case "schedule":
		if !hasPattern {
			r.attrs["pattern"] = "nightly"
		}
	case "semver", "pep440", "match":
		if !hasPattern {
			return r, false
		}
	case "edge":
	case "ref":
		switch r.attrs["event"] {
		case "branch", "tag":
		case "pr":
			if !hasPrefix {
				r.attrs["prefix"] = "pr-"
			}
		default:
			return r, false
		}
	case "raw":
		if !hasValue {
			return r, false
		}
	case "sha":
		if !hasPrefix {
			r.attrs["prefix"] = "sha-"
		}
		if f := r.attrs["format"]; f != "" && f != "short" && f != "long" {
			return r, false
		}
	default:
		return r, false
	}
	r.priority = metaPriorities[r.kind]
	if p, err := strconv.Atoi(r.attrs["priority"]); err == nil {
		r.priority = p
	}
	return r, true
}

// contexts returns the runs in which the entry produces a tag, before enable=.
func (r metaRule) contexts() contextSet {
	switch r.kind {
	case "schedule":
		return contextSet(onSchedule)
	case "semver", "pep440", "match":
		if r.attrs["value"] != "" {
			return allContexts
		}
		return contextSet(onGitTag)
	case "edge":
		if r.attrs["branch"] != "" {
			return branchContexts | contextSet(onSchedule)
		}
		return contextSet(onDefaultBranch | onSchedule)
	case "ref":
		switch r.attrs["event"] {
		case "branch":
			return branchContexts | contextSet(onSchedule)
		case "tag":
			return contextSet(onGitTag)
		}
		return contextSet(onPullRequest)
	}
	return allContexts
}

// enabled evaluates enable= in one context: yes, no, or maybe (an expression).
func (r metaRule) enabled(ctx runContext) (yes, maybe bool) {
	e, ok := r.attrs["enable"]
	if !ok {
		return true, false
	}
	defaultBranch := ctx == onDefaultBranch || ctx == onSchedule
	switch strings.TrimSpace(e) {
	case "true":
		return true, false
	case "false":
		return false, false
	case "{{is_default_branch}}":
		return defaultBranch, false
	case "{{is_not_default_branch}}":
		return !defaultBranch, false
	}
	return false, true
}

// produces returns the allowed runs in which the entry outputs a tag, and the enable=
// expression that must also hold, if any.
func (r metaRule) produces(allowed contextSet) (contextSet, string) {
	var set contextSet
	cond := ""
	for _, c := range contextsInOrder {
		if !allowed.has(c.ctx) || !r.contexts().has(c.ctx) {
			continue
		}
		yes, maybe := r.enabled(c.ctx)
		if yes || maybe {
			set |= contextSet(c.ctx)
		}
		if maybe {
			cond = "when `" + expressionOf(r.attrs["enable"]) + "`"
		}
	}
	return set, cond
}

// latestAuto reports whether the entry makes latest=auto add :latest.
func (r metaRule) latestAuto() bool {
	return r.kind == "semver" || r.kind == "pep440" || r.kind == "match" || (r.kind == "ref" && r.attrs["event"] == "tag")
}

var shaPattern = regexp.MustCompile(`\{\{\s*sha\s*\}\}`)

// tag renders the tag an entry outputs, with prefix and suffix, and the SHA length of a
// {{sha}} in it.
func (r metaRule) tag(fl flavor, shortSHA int) (string, int) {
	var val string
	switch r.kind {
	case "schedule", "semver", "pep440":
		val = r.attrs["pattern"]
	case "match":
		val = "{{match}}"
	case "edge":
		val = "edge"
	case "ref":
		val = map[string]string{"branch": "{{branch}}", "tag": "{{tag}}", "pr": "{{pr}}"}[r.attrs["event"]]
	case "raw":
		val = r.attrs["value"]
	case "sha":
		val = "{{sha}}"
	}
	prefix, ok := r.attrs["prefix"]
	if !ok {
		prefix = fl.prefix
	}
	suffix, ok := r.attrs["suffix"]
	if !ok {
		suffix = fl.suffix
	}
	tag := sanitizeTag(prefix + val + suffix)
	sha := 0
	if shaPattern.MatchString(tag) {
		sha = shortSHA
		if r.kind == "sha" && r.attrs["format"] == "long" {
			sha = 40
		}
	}
	return tag, sha
}

var invalidTagRun = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// sanitizeTag replaces characters a tag cannot hold with -, as the action does, outside
// {{ … }} templates and ${{ … }} expressions.
func sanitizeTag(tag string) string {
	if strings.Contains(tag, "{{") {
		return tag
	}
	return invalidTagRun.ReplaceAllString(tag, "-")
}

// metaFlavor reads the flavor input.
func (j *jobScan) metaFlavor(st step) flavor {
	fl := flavor{latest: "auto"}
	for _, it := range j.listItems(get(st.with, "flavor"), false) {
		onLatestFor := ""
		for _, f := range splitCSV(it.text) {
			k, v, _ := strings.Cut(f, "=")
			k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
			switch k {
			case "latest":
				fl.latest, fl.latestLine = v, it.line
			case "prefix":
				fl.prefix, onLatestFor = v, "prefix"
			case "suffix":
				fl.suffix, onLatestFor = v, "suffix"
			case "onlatest":
				if onLatestFor == "prefix" {
					fl.prefixLatest = v == "true"
				} else if onLatestFor == "suffix" {
					fl.suffixLatest = v == "true"
				}
			}
		}
	}
	return fl
}

// latestTag decides whether the step outputs :latest, in which runs, and why.
func latestTag(rules []metaRule, fl flavor, allowed contextSet, usesLine int) (metaTag, bool) {
	var set contextSet
	var cause *metaRule
	var conds []string
	for _, c := range contextsInOrder {
		if !allowed.has(c.ctx) {
			continue
		}
		if r, cond, ok := latestIn(rules, fl, c.ctx); ok {
			set |= contextSet(c.ctx)
			if cause == nil {
				cause = r
			}
			if cond != "" && !contains(conds, cond) {
				conds = append(conds, cond)
			}
		}
	}
	if set == 0 {
		return metaTag{}, false
	}
	tag := "latest"
	if fl.prefixLatest {
		tag = fl.prefix + tag
	}
	if fl.suffixLatest {
		tag += fl.suffix
	}
	t := metaTag{tag: sanitizeTag(tag), line: usesLine, condition: joinConditions(append([]string{set.describe(allowed)}, conds...)...)}
	switch {
	case fl.latest != "auto":
		t.line = fl.latestLine
		t.reason = fmt.Sprintf("docker/metadata-action adds :latest because of flavor `latest=%s`", fl.latest)
	default:
		t.line = cause.line
		t.reason = fmt.Sprintf("docker/metadata-action adds :latest (flavor latest=auto) for tag `%s`", cause.text)
	}
	return t, true
}

// latestIn decides whether :latest is added in one run context: the rule that causes it,
// and an expression that must hold for it.
func latestIn(rules []metaRule, fl flavor, ctx runContext) (*metaRule, string, bool) {
	if fl.latest == "false" {
		return nil, "", false
	}
	forced := fl.latest != "auto"
	cond := ""
	if forced && fl.latest != "true" {
		cond = "when `" + expressionOf(fl.latest) + "` is true"
	}
	for i := range rules {
		r := &rules[i]
		if !r.contexts().has(ctx) {
			continue
		}
		yes, maybe := r.enabled(ctx)
		if !yes && !maybe {
			continue
		}
		causes := forced || r.latestAuto()
		switch {
		case causes && maybe:
			return r, joinConditions(cond, "when `"+expressionOf(r.attrs["enable"])+"`"), true
		case causes:
			return r, cond, true
		case yes:
			return nil, "", false
		}
		cond = joinConditions(cond, "unless `"+expressionOf(r.attrs["enable"])+"`")
	}
	return nil, "", false
}
