package conda

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSpec parses a conda version spec: constraints joined by ',' (AND) and
// '|' (OR), AND binding tighter, with parentheses for grouping. Whitespace
// around constraints and between an operator and its version is allowed.
// A constraint is one of:
//
//	"*"                  any version
//	"1.2", "==1.2"       equal, zero-padded: 1.2 == 1.2.0
//	"!=1.2", "<1.2", "<=1.2", ">1.2", ">=1.2"
//	"=1.2", "1.2.*"      starts with 1.2 component-wise: 1.2 and 1.2.x, not 1.20
//	"1.2*"               the same as "1.2.*"
//	"!=1.2.*"            does not start with 1.2
//	"~=1.2.3"            >=1.2.3 and starts with 1.2
//	"1.*.3", "2023.*.*"  a '*' inside the version: a glob over the version text
//
// As in conda, a ".*" (or "*") after <, <=, >, >= or == is ignored, so
// ">=1.2.*" is ">=1.2" and "==1.2.*" is "==1.2"; "~=" rejects it. A bare "*"
// after >=, <=, ==, = or ~= matches everything, as in rattler; after any
// other operator it is an error. Regular expressions ("^1\.2.*$") are
// rejected. "" and "*" give the zero Spec.
func ParseSpec(s string) (Spec, error) {
	if len(s) > MaxLength {
		return Spec{}, syntaxError("version spec", s, fmt.Sprintf("longer than %d bytes", MaxLength))
	}
	t := strings.TrimSpace(s)
	spec, reason := parseSpec(t)
	if reason != "" {
		return Spec{}, syntaxError("version spec", t, reason)
	}
	return spec, nil
}

// parseSpec parses trimmed text, returning the reason when it is not a spec.
func parseSpec(t string) (Spec, string) {
	if t == "" || t == "*" {
		return Spec{}, ""
	}
	// Every interior node consumes a separator, and every leaf's version at
	// most its length plus two atoms, so neither slice grows while parsing.
	seps := strings.Count(t, ",") + strings.Count(t, "|")
	p := specParser{
		text:  t,
		nodes: make([]node, 0, 2*seps+1),
		atoms: make([]atom, 0, len(t)+2*(seps+1)),
	}
	if reason := p.parse(); reason != "" {
		return Spec{}, reason
	}
	return Spec{nodes: p.nodes}, ""
}

// specParser is a recursive-descent parser that emits nodes in postfix order.
type specParser struct {
	text  string
	pos   int
	depth int
	nodes []node
	atoms []atom // shared by the versions of all leaves
}

func (p *specParser) parse() string {
	if reason := p.parseList('|', opOr); reason != "" {
		return reason
	}
	if p.pos < len(p.text) {
		return "unexpected " + clip(p.text[p.pos:p.pos+1])
	}
	return ""
}

// parseList parses items separated by sep: ORs of ANDs, ANDs of terms. A list
// of one item adds no node.
func (p *specParser) parseList(sep byte, o op) string {
	start, kids := len(p.nodes), 0
	for {
		var reason string
		if o == opOr {
			reason = p.parseList(',', opAnd)
		} else {
			reason = p.parseTerm()
		}
		if reason != "" {
			return reason
		}
		kids++
		p.skipSpace()
		if p.pos < len(p.text) && p.text[p.pos] == sep {
			p.pos++
			continue
		}
		break
	}
	if kids > 1 {
		p.nodes = append(p.nodes, node{op: o, kids: uint16(kids), size: uint16(len(p.nodes) - start + 1)})
	}
	return ""
}

// parseTerm parses a parenthesised expression or one constraint.
func (p *specParser) parseTerm() string {
	p.skipSpace()
	if p.pos < len(p.text) && p.text[p.pos] == '(' {
		if p.depth == MaxDepth {
			return fmt.Sprintf("parentheses nested deeper than %d", MaxDepth)
		}
		p.depth++
		p.pos++
		if reason := p.parseList('|', opOr); reason != "" {
			return reason
		}
		p.skipSpace()
		if p.pos == len(p.text) || p.text[p.pos] != ')' {
			return "missing ')'"
		}
		p.pos++
		p.depth--
		return ""
	}
	start := p.pos
	for p.pos < len(p.text) && !isSpecDelimiter(p.text[p.pos]) {
		p.pos++
	}
	tok := trimSpace(p.text[start:p.pos])
	if tok == "" {
		return "missing constraint at offset " + strconv.Itoa(start)
	}
	return p.parseConstraint(tok)
}

// parseConstraint parses one constraint, with or without an operator.
func (p *specParser) parseConstraint(tok string) string {
	if tok == "*" {
		p.leaf(node{op: opAny, text: tok})
		return ""
	}
	if tok[0] == '^' || tok[len(tok)-1] == '$' {
		return "regular expressions are not supported: " + clip(tok)
	}
	i := 0
	for i < len(tok) && isOperatorChar(tok[i]) {
		i++
	}
	if i == 0 {
		return p.parseBare(tok)
	}
	operator, rest := tok[:i], trimSpace(tok[i:])
	var o op
	switch operator {
	case "==":
		o = opEq
	case "!=":
		o = opNe
	case "<":
		o = opLt
	case "<=":
		o = opLe
	case ">":
		o = opGt
	case ">=":
		o = opGe
	case "=":
		o = opPrefix
	case "~=":
		o = opCompat
	default:
		return "unknown operator " + clip(operator)
	}
	if rest == "" {
		return "missing version after " + clip(operator)
	}
	if rest == "*" {
		switch o {
		case opGe, opLe, opEq, opPrefix, opCompat:
			p.leaf(node{op: opAny, text: tok})
			return ""
		}
		return clip(operator) + " cannot take '*'"
	}
	star := false
	if body, ok := strings.CutSuffix(rest, ".*"); ok {
		rest, star = body, true
	} else if body, ok := strings.CutSuffix(rest, "*"); ok {
		rest, star = body, true
	}
	v, reason := p.version(rest)
	if reason != "" {
		return reason
	}
	n := node{op: o, text: tok, v: v}
	switch o {
	case opEq:
		n.exact = !star
	case opNe:
		if star {
			n.op = opNotPrefix
		}
	case opCompat:
		if star {
			return "'~=' cannot take a '.*' suffix"
		}
		if releaseComponents(v) < 2 {
			return "'~=' needs a version with at least two components"
		}
	}
	p.leaf(n)
	return ""
}

// parseBare parses a constraint without an operator: an exact version, a
// prefix ("1.2.*", "1.2*") or a glob ("1.*.3").
func (p *specParser) parseBare(tok string) string {
	body := strings.TrimRight(tok, "*")
	stars := len(tok) - len(body)
	if strings.IndexByte(body, '*') >= 0 {
		for i := 0; i < len(tok); i++ {
			if c := tok[i]; !isDigit(c) && !isLetter(c) && !strings.ContainsRune("._-+!*", rune(c)) {
				return "invalid character " + clip(tok[i:i+1]) + " in pattern " + clip(tok)
			}
		}
		p.leaf(node{op: opGlob, text: tok})
		return ""
	}
	if stars > 1 {
		return "more than one trailing '*' in " + clip(tok)
	}
	if stars == 1 {
		v, reason := p.version(strings.TrimSuffix(body, "."))
		if reason != "" {
			return reason
		}
		p.leaf(node{op: opPrefix, text: tok, v: v})
		return ""
	}
	v, reason := p.version(tok)
	if reason != "" {
		return reason
	}
	p.leaf(node{op: opEq, exact: true, text: tok, v: v})
	return ""
}

func (p *specParser) version(text string) (Version, string) {
	v, atoms, reason := parseVersion(text, p.atoms)
	p.atoms = atoms
	if reason != "" {
		return Version{}, "version " + clip(text) + ": " + reason
	}
	return v, ""
}

func (p *specParser) leaf(n node) {
	n.size = 1
	p.nodes = append(p.nodes, n)
}

func (p *specParser) skipSpace() {
	for p.pos < len(p.text) && isSpace(p.text[p.pos]) {
		p.pos++
	}
}

// releaseComponents counts v's release components, the epoch excluded.
func releaseComponents(v Version) int {
	n := -1
	for _, a := range v.release() {
		if a.first {
			n++
		}
	}
	return n
}

func isSpecDelimiter(c byte) bool {
	return c == ',' || c == '|' || c == '(' || c == ')'
}

func isOperatorChar(c byte) bool {
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '~'
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// trimSpace trims ASCII whitespace without allocating.
func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
