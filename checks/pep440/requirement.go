package pep440

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Requirement is a parsed PEP 508 dependency specifier.
type Requirement struct {
	Name       string     // normalised (see NormalizeName)
	Extras     []string   // normalised, sorted, without duplicates; nil when none
	Specifiers Specifiers // empty for a URL requirement or a bare name
	URL        string     // for "name @ url"
	Marker     Marker     // zero Marker means unconditional
}

// ParseRequirement parses a PEP 508 dependency specifier:
//
//	name [extras] specifiers [; marker]
//	name [extras] (specifiers) [; marker]
//	name [extras] @ url [ ; marker]
//
// as in `requests[socks]>=2.0`, `pytz>=2015.7 ; python_full_version < '3.9'`
// or `pkg @ https://example.org/pkg.whl ; os_name == "nt"`. A name is ASCII
// letters and digits, with ".", "-" and "_" inside. After a URL, the ";" of
// a marker must follow white space, because ";" may be part of a URL.
func ParseRequirement(s string) (Requirement, error) {
	if err := checkInput("requirement", s); err != nil {
		return Requirement{}, err
	}
	p := requirementParser{s: s}
	return p.parse()
}

// requirementParser parses one requirement string left to right.
type requirementParser struct {
	s   string
	i   int
	end int // the offset after the last non-space byte
}

func (p *requirementParser) fail(offset int, reason string) error {
	return syntaxError("requirement", p.s, offset, reason)
}

func (p *requirementParser) skipSpace() {
	for p.i < p.end && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *requirementParser) at(c byte) bool {
	return p.i < p.end && p.s[p.i] == c
}

// unexpected reports the rune at the current offset, or the end of input,
// where something else was expected.
func (p *requirementParser) unexpected(expected string) error {
	if p.i >= p.end {
		return p.fail(p.i, "expected "+expected)
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return p.fail(p.i, fmt.Sprintf("unexpected %q: expected %s", r, expected))
}

func (p *requirementParser) parse() (Requirement, error) {
	var req Requirement
	p.i = len(p.s) - len(strings.TrimLeftFunc(p.s, unicode.IsSpace))
	p.end = len(strings.TrimRightFunc(p.s, unicode.IsSpace))
	name, ok := p.identifier()
	if !ok {
		return Requirement{}, p.unexpected("a distribution name")
	}
	req.Name = NormalizeName(name)

	p.skipSpace()
	if p.at('[') {
		extras, err := p.extras()
		if err != nil {
			return Requirement{}, err
		}
		req.Extras = extras
		p.skipSpace()
	}

	markerAllowed := true
	switch {
	case p.at('@'):
		p.i++
		p.skipSpace()
		start := p.i
		for p.i < p.end && p.s[p.i] != ' ' && p.s[p.i] != '\t' {
			p.i++
		}
		if p.i == start {
			return Requirement{}, p.fail(start, "expected a URL after \"@\"")
		}
		req.URL = p.s[start:p.i]
		before := p.i
		p.skipSpace()
		markerAllowed = p.i > before
	case p.at('('):
		open := p.i
		closing := strings.IndexByte(p.s[open:p.end], ')')
		if closing < 0 {
			return Requirement{}, p.fail(open, "\"(\" is never closed")
		}
		if err := p.specifiers(open+1, open+closing, &req); err != nil {
			return Requirement{}, err
		}
		p.i = open + closing + 1
		p.skipSpace()
	case p.i < p.end && !strings.ContainsRune("<>=!~;", rune(p.s[p.i])):
		return Requirement{}, p.unexpected("a version specifier, \"[\", \"@\", \"(\" or \";\"")
	default:
		stop := strings.IndexByte(p.s[p.i:p.end], ';')
		if stop < 0 {
			stop = p.end
		} else {
			stop += p.i
		}
		if err := p.specifiers(p.i, stop, &req); err != nil {
			return Requirement{}, err
		}
		p.i = stop
	}

	if markerAllowed && p.at(';') {
		p.i++
		m, err := ParseMarker(p.s[p.i:p.end])
		if err != nil {
			return Requirement{}, p.within(err, p.i)
		}
		req.Marker = m
		p.i = p.end
	}
	if p.i < p.end {
		return Requirement{}, p.unexpected("\";\" and a marker, or the end of the requirement")
	}
	return req, nil
}

// identifier reads a PEP 508 name or extra name: ASCII letters and digits,
// with ".", "-" and "_" allowed inside but not at either end.
func (p *requirementParser) identifier() (string, bool) {
	start := p.i
	if !p.isAlnumAt(start) {
		return "", false
	}
	j := start
	for j < p.end && (isAlnum(p.s[j]) || isNameSep(p.s[j])) {
		j++
	}
	for isNameSep(p.s[j-1]) {
		j--
	}
	p.i = j
	return p.s[start:j], true
}

func (p *requirementParser) isAlnumAt(i int) bool {
	return i < p.end && isAlnum(p.s[i])
}

// extras reads "[a, b]" starting at "[".
func (p *requirementParser) extras() ([]string, error) {
	open := p.i
	p.i++
	p.skipSpace()
	var extras []string
	for !p.at(']') {
		name, ok := p.identifier()
		if !ok {
			if p.i >= p.end {
				return nil, p.fail(open, "\"[\" is never closed")
			}
			return nil, p.unexpected("an extra name")
		}
		extras = append(extras, NormalizeName(name))
		p.skipSpace()
		switch {
		case p.at(','):
			p.i++
			p.skipSpace()
			if p.at(']') {
				return nil, p.unexpected("an extra name")
			}
		case p.at(']'):
		case p.i >= p.end:
			return nil, p.fail(open, "\"[\" is never closed")
		default:
			return nil, p.unexpected("\",\" or \"]\"")
		}
	}
	p.i++
	slices.Sort(extras)
	return slices.Compact(extras), nil
}

// specifiers parses s[start:stop] as the requirement's specifier set.
func (p *requirementParser) specifiers(start, stop int, req *Requirement) error {
	set, err := ParseSpecifiers(p.s[start:stop])
	if err != nil {
		return p.within(err, start)
	}
	req.Specifiers = set
	return nil
}

// within turns a SyntaxError about the part of the requirement that starts
// at offset into one about the whole requirement.
func (p *requirementParser) within(err error, offset int) error {
	var se *SyntaxError
	if !errors.As(err, &se) {
		return err
	}
	return p.fail(offset+se.Offset, se.Kind+": "+se.Reason)
}
