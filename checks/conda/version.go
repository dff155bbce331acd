package conda

import (
	"fmt"
	"strings"
)

// Version is a parsed conda version, ordered by conda's VersionOrder (CEP 33).
//
// A version is an optional epoch ("1!"), release components separated by
// '.', '_' or '-' ('-' only when the text has no '_'), and an optional local
// part after '+'. Each component is split into runs of digits and of letters.
// Comparison is case-insensitive; see Compare for the order.
//
// The zero Version is not a parsed version; it compares equal to "0".
type Version struct {
	text  string // as given, trimmed
	atoms []atom // epoch component, release components, then local components
	local uint16 // index in atoms of the first local atom; len(atoms) without one
}

// An atom is one sub-component: a run of digits, a run of letters, or the
// implicit 0 that conda puts in front of a component starting with a letter.
type atom struct {
	off, end uint16 // the run in Version.text; off == end for the implicit 0
	kind     uint8
	first    bool // the atom starts a component
}

// Atom kinds, in the order conda sorts sub-components of different kinds.
const (
	kindDev  uint8 = iota // "dev": below every other sub-component
	kindStr               // letters, possibly ending in a trailing '_' or '-'
	kindNum               // digits, compared as an unbounded integer
	kindPost              // "post": above every other sub-component
)

// ParseVersion parses a conda version such as "3.51.2", "2025c", "1!2.0",
// "1.0.1_" or "1.2.3+cuda118". Surrounding whitespace is ignored. It fails on
// empty text, characters other than ASCII letters, digits and ".-_+!", a
// non-numeric or repeated epoch, a repeated '+', empty components ("1..2",
// ".1", "1+"), mixing '-' with '_', and text longer than MaxLength.
func ParseVersion(s string) (Version, error) {
	if len(s) > MaxLength {
		return Version{}, syntaxError("version", s, fmt.Sprintf("longer than %d bytes", MaxLength))
	}
	t := strings.TrimSpace(s)
	v, _, reason := parseVersion(t, nil)
	if reason != "" {
		return Version{}, syntaxError("version", t, reason)
	}
	return v, nil
}

// String returns the version as it was given, without surrounding whitespace.
func (v Version) String() string { return v.text }

// parseVersion parses t, appending its atoms to buf, and returns the version,
// the extended buffer and, when t is not a version, the reason. Specs parse
// all their versions into one buffer, so a spec costs one atom allocation.
func parseVersion(t string, buf []atom) (Version, []atom, string) {
	if t == "" {
		return Version{}, buf, "empty version"
	}
	bang, plus := -1, -1
	dash, underscore := false, false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case isDigit(c) || isLetter(c) || c == '.':
		case c == '_':
			underscore = true
		case c == '-':
			dash = true
		case c == '!':
			if bang >= 0 {
				return Version{}, buf, "more than one epoch separator '!'"
			}
			bang = i
		case c == '+':
			if plus >= 0 {
				return Version{}, buf, "more than one local version separator '+'"
			}
			plus = i
		case c == '*':
			return Version{}, buf, "'*' is a pattern, not part of a version"
		default:
			return Version{}, buf, "invalid character " + clip(t[i:i+1])
		}
	}
	if dash && underscore {
		return Version{}, buf, "mixes '-' and '_' as separators"
	}
	if cap(buf)-len(buf) < len(t)+2 {
		grown := make([]atom, len(buf), len(buf)+len(t)+2)
		copy(grown, buf)
		buf = grown
	}
	start := len(buf)

	release := 0
	if bang >= 0 {
		if bang == 0 || !allDigits(t[:bang]) {
			return Version{}, buf[:start], "epoch must be a number"
		}
		buf = append(buf, atom{off: 0, end: uint16(bang), kind: kindNum, first: true})
		release = bang + 1
	} else {
		buf = append(buf, atom{kind: kindNum, first: true})
	}
	releaseEnd := len(t)
	if plus >= 0 {
		releaseEnd = plus // after the epoch: an earlier '+' made the epoch non-numeric
	}
	if release == releaseEnd {
		return Version{}, buf[:start], "missing release version"
	}
	var ok bool
	if buf, ok = appendComponents(buf, t, release, releaseEnd, true); !ok {
		return Version{}, buf[:start], "empty version component"
	}
	local := len(buf) - start
	if plus >= 0 {
		if buf, ok = appendComponents(buf, t, plus+1, len(t), false); !ok {
			return Version{}, buf[:start], "empty local version component"
		}
	}
	end := len(buf)
	return Version{text: t, atoms: buf[start:end:end], local: uint16(local)}, buf, ""
}

// appendComponents splits t[from:to] into components and appends their
// atoms. When trailing is set, a final '_' or '-' is not a separator but
// belongs to the last component, as conda does for openssl-style versions
// ("1.0.1_"). It reports false when a component is empty.
func appendComponents(buf []atom, t string, from, to int, trailing bool) ([]atom, bool) {
	last := to
	if trailing && (t[to-1] == '_' || t[to-1] == '-') {
		last = to - 1
	}
	i := from
	for {
		j := i
		for j < last && !isSeparator(t[j]) {
			j++
		}
		if j == last {
			// The last component takes the trailing separator, if any.
			if i == to {
				return buf, false
			}
			return appendComponent(buf, t, i, to), true
		}
		if i == j {
			return buf, false
		}
		buf = appendComponent(buf, t, i, j)
		i = j + 1
	}
}

// appendComponent appends the atoms of the component t[from:to].
func appendComponent(buf []atom, t string, from, to int) []atom {
	first := true
	if !isDigit(t[from]) {
		buf = append(buf, atom{off: uint16(from), end: uint16(from), kind: kindNum, first: true})
		first = false
	}
	for i := from; i < to; {
		digits := isDigit(t[i])
		j := i + 1
		for j < to && isDigit(t[j]) == digits {
			j++
		}
		kind := kindNum
		if !digits {
			kind = classify(t[i:j])
		}
		buf = append(buf, atom{off: uint16(i), end: uint16(j), kind: kind, first: first})
		first = false
		i = j
	}
	return buf
}

// classify returns the kind of a run of letters.
func classify(run string) uint8 {
	switch {
	case strings.EqualFold(run, "dev"):
		return kindDev
	case strings.EqualFold(run, "post"):
		return kindPost
	}
	return kindStr
}

func isDigit(c byte) bool     { return '0' <= c && c <= '9' }
func isLetter(c byte) bool    { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isSeparator(c byte) bool { return c == '.' || c == '_' || c == '-' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
