package conda

import (
	"fmt"
	"strings"
)

// ParseMatchSpec parses a conda MatchSpec. The forms are
//
//	numpy                              any version and build
//	numpy 1.26.4, numpy >=1.2,<2       name and version spec
//	libsqlite 3.51.2 h0c1763c_0        name, version spec and build glob
//	python=3.11, numpy==1.26.4         name joined to a version spec
//	numpy=1.11.1=py36_0                name=version=build
//	conda-forge::numpy                 with a channel (a name or a URL)
//	conda-forge/linux-64::numpy        with a channel and subdir
//	numpy[version='>=1.2', build='*_0', build_number=3, channel=conda-forge, subdir=linux-64]
//
// Names are lower-cased and may hold ASCII letters, digits, '_', '-' and '.'.
// A '#' starts a comment. Bracket values may be quoted with ' or ", and they
// override the same field given before the brackets.
//
// The build is what follows the first space or '=' that is not part of an
// operator, provided it holds none of "-=,|<>~"; what precedes it is the
// version spec. Before reading that spec, conda rewrites a leading '=', and
// so does ParseMatchSpec: with a build, a single '=' is dropped, so
// "numpy=1.11.1=py36_0" pins 1.11.1 exactly (without a build, "=1.11" means
// 1.11.x); without a build, a leading "==" is dropped, so "numpy==1.26.*"
// means 1.26.x although ParseSpec("==1.26.*") is ==1.26.
//
// Package URLs, nameless specs, namespaces ("ns:name"), bracket keys other
// than the five above, and text longer than MaxLength are errors.
func ParseMatchSpec(s string) (MatchSpec, error) {
	if len(s) > MaxLength {
		return MatchSpec{}, syntaxError("MatchSpec", s, fmt.Sprintf("longer than %d bytes", MaxLength))
	}
	t := s
	if i := strings.IndexByte(t, '#'); i >= 0 {
		t = t[:i]
	}
	t = strings.TrimSpace(t)
	var m MatchSpec
	if reason := m.parse(t); reason != "" {
		return MatchSpec{}, syntaxError("MatchSpec", t, reason)
	}
	return m, nil
}

func (m *MatchSpec) parse(t string) string {
	if t == "" {
		return "empty"
	}
	positional, brackets := t, ""
	if i := strings.IndexByte(t, '['); i >= 0 {
		positional, brackets = trimSpace(t[:i]), t[i:]
	}
	if k := strings.LastIndex(positional, "::"); k >= 0 {
		channel, subdir, reason := parseChannel(positional[:k])
		if reason != "" {
			return reason
		}
		m.Channel, m.Subdir = channel, subdir
		positional = positional[k+2:]
	}
	n := 0
	for n < len(positional) && !isSpace(positional[n]) && !isOperatorChar(positional[n]) {
		n++
	}
	name := positional[:n]
	if name == "" {
		return "missing package name"
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isDigit(c) && !isLetter(c) && c != '_' && c != '-' && c != '.' {
			return "invalid package name " + clip(name) + ": it may hold only letters, digits, '_', '-' and '.'"
		}
	}
	m.Name = strings.ToLower(name)
	if rest := trimSpace(positional[n:]); rest != "" {
		version, build := splitVersionBuild(rest)
		if build != "" {
			if reason := checkBuild(build); reason != "" {
				return reason
			}
		}
		version, reason := rewriteEquals(version, build)
		if reason != "" {
			return reason
		}
		spec, reason := parseSpec(version)
		if reason != "" {
			return reason
		}
		m.Version, m.Build = spec, build
	}
	if brackets != "" {
		return m.parseBrackets(brackets)
	}
	return ""
}

// splitVersionBuild splits what follows the name into the version spec and
// the build, as conda does: the build starts after the first space or '='
// that does not follow one of "=!|,<>~", when all that follows it is free of
// "-=,|<>~". Without such a separator, r is all version.
func splitVersionBuild(r string) (version, build string) {
	for i := 1; i < len(r)-1; i++ {
		if c := r[i]; c != '=' && !isSpace(c) {
			continue
		}
		if c := r[i-1]; isOperatorChar(c) || c == '|' || c == ',' {
			continue
		}
		if rest := r[i+1:]; !strings.ContainsAny(rest, "-=,|<>~") {
			return r[:i], trimSpace(rest)
		}
	}
	return r, ""
}

// rewriteEquals rewrites a positional version that starts with '=' the way
// conda's MatchSpec parser does before it reads the spec: without a build,
// "==X" drops the "==" (so "numpy==1.2.*" is a prefix, though the spec
// "==1.2.*" alone is ==1.2); with a build, "=X" drops the '=' unless more
// operators follow (so "numpy=1.2=py_0" pins 1.2 exactly). Other single-'='
// forms already mean what conda makes of them.
func rewriteEquals(version, build string) (string, string) {
	version = trimSpace(version)
	switch {
	case build == "" && strings.HasPrefix(version, "=="):
		if version = trimSpace(version[2:]); version == "" {
			return "", "missing version after \"==\""
		}
	case build != "" && version[0] == '=' && !strings.HasPrefix(version, "==") && !strings.ContainsAny(version[1:], "=,|"):
		version = version[1:]
	}
	return version, ""
}

// checkBuild accepts a build glob of ASCII letters, digits and "_.+-*".
func checkBuild(build string) string {
	for i := 0; i < len(build); i++ {
		if c := build[i]; !isDigit(c) && !isLetter(c) && strings.IndexByte("_.+-*", c) < 0 {
			return "invalid character " + clip(build[i:i+1]) + " in build " + clip(build)
		}
	}
	return ""
}

// parseBrackets parses "[key=value, ...]", which must end the MatchSpec, and
// applies it over the fields parsed before it.
func (m *MatchSpec) parseBrackets(b string) string {
	var values [len(bracketKeys)]string
	var seen [len(bracketKeys)]bool
	i := 1 // after '['
	for {
		for i < len(b) && (isSpace(b[i]) || b[i] == ',') {
			i++
		}
		if i == len(b) {
			return "missing ']'"
		}
		if b[i] == ']' {
			i++
			break
		}
		j := i
		for j < len(b) && (isLetter(b[j]) || isDigit(b[j]) || b[j] == '_' || b[j] == '-') {
			j++
		}
		key := b[i:j]
		if key == "" {
			return "expected a key at " + clip(b[i:])
		}
		k := bracketKey(key)
		if k < 0 {
			return "unsupported bracket key " + clip(key)
		}
		if seen[k] {
			return "bracket key " + clip(key) + " given twice"
		}
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j == len(b) || b[j] != '=' {
			return "expected '=' after bracket key " + clip(key)
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		var value string
		if j < len(b) && (b[j] == '\'' || b[j] == '"') {
			end := strings.IndexByte(b[j+1:], b[j])
			if end < 0 {
				return "unterminated quote in bracket key " + clip(key)
			}
			value, i = b[j+1:j+1+end], j+2+end
		} else {
			i = j
			for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != ']' {
				i++
			}
			value = b[j:i]
		}
		if value = trimSpace(value); value == "" {
			return "empty value for bracket key " + clip(key)
		}
		values[k], seen[k] = value, true
	}
	if rest := trimSpace(b[i:]); rest != "" {
		return "unexpected " + clip(rest) + " after ']'"
	}
	return m.applyBrackets(values, seen)
}

// bracketKeys are the bracket keys ParseMatchSpec understands, indexed by
// the key* constants.
var bracketKeys = [...]string{"version", "build", "build_number", "channel", "subdir"}

const (
	keyVersion = iota
	keyBuild
	keyBuildNumber
	keyChannel
	keySubdir
)

func bracketKey(key string) int {
	for k, name := range bracketKeys {
		if key == name {
			return k
		}
	}
	return -1
}

func (m *MatchSpec) applyBrackets(values [len(bracketKeys)]string, seen [len(bracketKeys)]bool) string {
	if seen[keyVersion] {
		spec, reason := parseSpec(values[keyVersion])
		if reason != "" {
			return reason
		}
		m.Version = spec
	}
	if seen[keyBuild] {
		if reason := checkBuild(values[keyBuild]); reason != "" {
			return reason
		}
		m.Build = values[keyBuild]
	}
	if seen[keyBuildNumber] {
		number, reason := parseBuildNumber(values[keyBuildNumber])
		if reason != "" {
			return reason
		}
		m.buildNumber = number
	}
	if seen[keyChannel] {
		channel, subdir, reason := parseChannel(values[keyChannel])
		if reason != "" {
			return reason
		}
		m.Channel = channel
		if subdir != "" {
			m.Subdir = subdir
		}
	}
	if seen[keySubdir] {
		if !subdirs[values[keySubdir]] {
			return "unknown subdir " + clip(values[keySubdir])
		}
		m.Subdir = values[keySubdir]
	}
	return ""
}

// parseBuildNumber accepts a build number with an optional comparison
// operator ("3", ">=2", "!= 1") and returns it without whitespace.
func parseBuildNumber(s string) (string, string) {
	i := 0
	for i < len(s) && isOperatorChar(s[i]) {
		i++
	}
	operator, digits := s[:i], trimSpace(s[i:])
	switch operator {
	case "", "==", "!=", "<", "<=", ">", ">=":
	default:
		return "", "unknown build_number operator " + clip(operator)
	}
	if digits == "" || !allDigits(digits) {
		return "", "build_number must be a number: " + clip(s)
	}
	return operator + digits, ""
}
