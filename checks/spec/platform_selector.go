package spec

import "strings"

// condaLockSelectors is the table conda-lock uses to decide which
// environment-file entries apply to a platform: an entry with selector s
// is kept for platform p exactly when s is in condaLockSelectors[p].
// conda-lock supports no other platforms and no selector expressions.
var condaLockSelectors = map[string][]string{
	"linux-64":      {"linux64", "unix", "linux"},
	"linux-aarch64": {"aarch64", "unix", "linux"},
	"linux-ppc64le": {"ppc64le", "unix", "linux"},
	"osx-64":        {"osx64", "osx", "unix"},
	"osx-arm64":     {"arm64", "osx", "unix"},
	"win-64":        {"win", "win64"},
}

// knownSelector reports whether s is a selector conda-lock can evaluate.
func knownSelector(s string) bool {
	switch s {
	case "linux64", "aarch64", "ppc64le", "osx64", "arm64", "win64", "unix", "linux", "osx", "win":
		return true
	}
	return false
}

// AppliesTo reports whether the requirement applies to a conda platform
// (linux-64, osx-arm64, win-64, ...).
//
// A requirement with neither Selector nor Platform applies everywhere.
// Selector is evaluated as conda-lock does: the whole bracket text must be
// one of linux64, aarch64, ppc64le, osx64, arm64, win64, unix, linux, osx
// or win, and applies to the platforms conda-lock maps it to (unix is
// linux-64, linux-aarch64, linux-ppc64le, osx-64 and osx-arm64; win is
// win-64). Platform is evaluated as pixi does: a platform name applies to
// itself, and the selectors linux, osx, win and unix to every platform of
// that family (unix is linux-* and osx-*).
//
// known is false when the answer cannot be given: a selector that is not
// one of those names (conda-lock would drop the entry everywhere), a
// selector on a platform conda-lock does not support, or a Platform that is
// neither a platform name nor a pixi selector. applies is then false.
func (r Requirement) AppliesTo(platform string) (applies, known bool) {
	if r.Selector != "" {
		sels, ok := condaLockSelectors[platform]
		if !ok || !knownSelector(r.Selector) {
			return false, false
		}
		found := false
		for _, s := range sels {
			found = found || s == r.Selector
		}
		if !found {
			return false, true
		}
	}
	if r.Platform != "" {
		return targetApplies(r.Platform, platform)
	}
	return true, true
}

// targetApplies evaluates a pixi target key against a platform.
func targetApplies(target, platform string) (applies, known bool) {
	family, _, _ := strings.Cut(platform, "-")
	switch target {
	case "linux", "osx", "win":
		return family == target, true
	case "unix":
		return family == "linux" || family == "osx", true
	}
	if strings.Contains(target, "-") {
		return target == platform, true
	}
	return false, false
}

// selectorOf extracts a conda-lock platform selector from the comment that
// follows an environment-file entry on its line, as conda-lock reads it:
// in the comment's first line, the last bracketed text that has no
// brackets inside and no parentheses after its closing bracket. It
// returns "" when there is none. The text is kept as written, so "[ linux ]"
// yields " linux ", which AppliesTo cannot evaluate, as conda-lock cannot.
func selectorOf(comment string) string {
	comment, _, _ = strings.Cut(comment, "\n")
	comment = strings.TrimRight(comment, " \t\r")
	if !strings.HasPrefix(comment, "#") {
		return ""
	}
	for end := len(comment) - 1; end > 0; end-- {
		if comment[end] == '(' || comment[end] == ')' {
			return ""
		}
		if comment[end] != ']' {
			continue
		}
		open := strings.LastIndexByte(comment[:end], '[')
		if open < 1 {
			continue
		}
		if inner := comment[open+1 : end]; inner != "" && !strings.ContainsRune(inner, ']') {
			return inner
		}
	}
	return ""
}
