package yamledit

import (
	"fmt"
	"strconv"
	"strings"
)

// KeyPath is a parsed key path: the steps from a values file's root to one
// value. Its text form (ParseKeyPath, String) is
//
//	jupyterhub.singleuser.image.tag
//	jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image
//	hub.extraConfig."image.tag"
//	profiles[0].image
//
// Keys are separated by "."; a key with ".", "[", "]", "=", '"', "'" or
// white space in it is written in double quotes, with \" and \\ for a
// quote and a backslash. "[N]" takes a list's item N (from 0), and
// "[field=value]" the one list item that has that field with that value;
// field and value are quoted the same way (a value may hold "." unquoted).
type KeyPath []Step

// StepKind says how a Step moves.
type StepKind int

// The kinds of steps.
const (
	// ByKey goes into a mapping's value at Step.Key.
	ByKey StepKind = iota
	// ByIndex goes into a list's item at Step.Index.
	ByIndex
	// ByField goes into the one list item, a mapping, whose Step.Key is
	// Step.Value.
	ByField
)

// Step is one move along a KeyPath.
type Step struct {
	Kind StepKind
	// Key is the mapping key (ByKey) or the field of the item (ByField).
	Key string
	// Value is the value of the field (ByField).
	Value string
	// Index is the list position, from 0 (ByIndex).
	Index int
}

// maxIndexDigits bounds a list index, far above any list in a values file.
const maxIndexDigits = 6

// ParseKeyPath parses the text form of a key path (see KeyPath).
func ParseKeyPath(s string) (KeyPath, error) {
	p := &keyPathParser{s: s}
	var kp KeyPath
	for p.i < len(s) {
		if s[p.i] == '[' {
			step, err := p.selector()
			if err != nil {
				return nil, err
			}
			kp = append(kp, step)
			continue
		}
		if len(kp) > 0 {
			if s[p.i] != '.' {
				return nil, p.errorf("expected \".\" or \"[\"")
			}
			p.i++
		}
		key, err := p.word("key", isKeyStop)
		if err != nil {
			return nil, err
		}
		kp = append(kp, Step{Kind: ByKey, Key: key})
	}
	if len(kp) == 0 {
		return nil, fmt.Errorf("the key path is empty; write one such as jupyterhub.singleuser.image.tag")
	}
	return kp, nil
}

// String is the key path's text form, which ParseKeyPath reads back.
func (kp KeyPath) String() string {
	var b strings.Builder
	for i, s := range kp {
		if i > 0 && s.Kind == ByKey {
			b.WriteByte('.')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// String is the step's text form: a key, "[N]" or "[field=value]".
func (s Step) String() string {
	switch s.Kind {
	case ByIndex:
		return "[" + strconv.Itoa(s.Index) + "]"
	case ByField:
		return "[" + quoteIfNeeded(s.Key, isKeyStop) + "=" + quoteIfNeeded(s.Value, isValueStop) + "]"
	}
	return quoteIfNeeded(s.Key, isKeyStop)
}

// isKeyStop reports the bytes that end a bare key or field.
func isKeyStop(c byte) bool {
	return c == '.' || c == '[' || c == ']' || c == '=' || c == '"' || c == '\'' || isSpace(c)
}

// isValueStop reports the bytes that end a bare field value.
func isValueStop(c byte) bool {
	return c == '[' || c == ']' || c == '"' || c == '\'' || isSpace(c)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func quoteIfNeeded(s string, stop func(byte) bool) string {
	bare := s != ""
	for i := 0; i < len(s) && bare; i++ {
		bare = !stop(s[i])
	}
	if bare {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// keyPathParser reads a key path's text from position i.
type keyPathParser struct {
	s string
	i int
}

func (p *keyPathParser) errorf(format string, args ...any) error {
	return fmt.Errorf("key path %q: %s at character %d", p.s, fmt.Sprintf(format, args...), p.i+1)
}

// word reads a quoted or a bare word; a bare one ends at a byte stop
// reports.
func (p *keyPathParser) word(what string, stop func(byte) bool) (string, error) {
	if p.i < len(p.s) && p.s[p.i] == '"' {
		return p.quoted(what)
	}
	start := p.i
	for p.i < len(p.s) && !stop(p.s[p.i]) {
		p.i++
	}
	if p.i == start {
		return "", p.errorf("missing %s", what)
	}
	return p.s[start:p.i], nil
}

// quoted reads a double-quoted word whose escapes are \" and \\.
func (p *keyPathParser) quoted(what string) (string, error) {
	open := p.i
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s) && (p.s[p.i+1] == '"' || p.s[p.i+1] == '\\'):
			b.WriteByte(p.s[p.i+1])
			p.i += 2
		case c == '\\':
			return "", p.errorf("only \\\" and \\\\ may follow a backslash in a quoted %s", what)
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.i = open
	return "", p.errorf("the quoted %s is not closed", what)
}

// selector reads "[N]" or "[field=value]".
func (p *keyPathParser) selector() (Step, error) {
	p.i++
	digits := p.i
	for digits < len(p.s) && p.s[digits] >= '0' && p.s[digits] <= '9' {
		digits++
	}
	if digits > p.i && digits < len(p.s) && p.s[digits] == ']' {
		n := p.s[p.i:digits]
		if len(n) > maxIndexDigits || (len(n) > 1 && n[0] == '0') {
			return Step{}, p.errorf("%q is not a list index (0, 1, 2, …)", n)
		}
		index, _ := strconv.Atoi(n)
		p.i = digits + 1
		return Step{Kind: ByIndex, Index: index}, nil
	}
	field, err := p.word("field before \"=\" (write [field=value] or [N])", isKeyStop)
	if err != nil {
		return Step{}, err
	}
	if p.i >= len(p.s) || p.s[p.i] != '=' {
		return Step{}, p.errorf("expected \"=\" after the field %q", field)
	}
	p.i++
	value, err := p.word("value after \"=\"", isValueStop)
	if err != nil {
		return Step{}, err
	}
	if p.i >= len(p.s) || p.s[p.i] != ']' {
		return Step{}, p.errorf("expected \"]\"")
	}
	p.i++
	return Step{Kind: ByField, Key: field, Value: value}, nil
}
