package pep440

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxMarkerDepth bounds how deeply a marker may nest parentheses. Real
// markers nest two or three levels.
const maxMarkerDepth = 32

// markerVariables maps every variable name a marker may use to its canonical
// name: PEP 508's names, and the dotted spellings older tools wrote.
var markerVariables = map[string]string{
	"python_version":                 "python_version",
	"python_full_version":            "python_full_version",
	"os_name":                        "os_name",
	"sys_platform":                   "sys_platform",
	"platform_release":               "platform_release",
	"platform_system":                "platform_system",
	"platform_version":               "platform_version",
	"platform_machine":               "platform_machine",
	"platform_python_implementation": "platform_python_implementation",
	"implementation_name":            "implementation_name",
	"implementation_version":         "implementation_version",
	"extra":                          "extra",
	"os.name":                        "os_name",
	"sys.platform":                   "sys_platform",
	"platform.version":               "platform_version",
	"platform.machine":               "platform_machine",
	"platform.python_implementation": "platform_python_implementation",
	"python_implementation":          "platform_python_implementation",
}

// markerOperators lists the comparison operators spelled with symbols,
// longest first where one is a prefix of another.
var markerOperators = []string{"===", "==", "~=", "!=", "<=", ">=", "<", ">"}

// Marker is a parsed PEP 508 environment marker, such as
// `python_full_version < "3.10" and extra == "dev"`. The zero Marker means
// "no marker": the dependency applies everywhere.
type Marker struct {
	root *markerNode
}

// markerNode is an "and" or "or" of at least two nodes, or one comparison.
type markerNode struct {
	kind  nodeKind
	items []*markerNode // for nodeAnd and nodeOr
	cmp   comparison    // for nodeCompare
}

type nodeKind uint8

const (
	nodeCompare nodeKind = iota
	nodeAnd
	nodeOr
)

// comparison is "left op right".
type comparison struct {
	left, right operand
	op          string // a symbol operator, "in" or "not in"
	// spec is "op right" parsed as a specifier, when left is a variable other
	// than extra, right is a literal and the two form a valid specifier.
	spec *clause
}

// operand is a marker variable (by canonical name) or a quoted literal.
type operand struct {
	variable string // "" for a literal
	literal  string
}

// ParseMarker parses a PEP 508 marker: comparisons of variables and quoted
// strings joined with "and" and "or" ("and" binds tighter), with
// parentheses. The variables are PEP 508's (python_version,
// python_full_version, os_name, sys_platform, platform_release,
// platform_system, platform_version, platform_machine,
// platform_python_implementation, implementation_name,
// implementation_version, extra) and the dotted spellings os.name,
// sys.platform, platform.version, platform.machine,
// platform.python_implementation and python_implementation, which mean their
// underscored counterparts. A literal compared with extra is normalised as a
// name (PEP 685). An empty marker is an error.
func ParseMarker(s string) (Marker, error) {
	if err := checkInput("marker", s); err != nil {
		return Marker{}, err
	}
	p := markerParser{s: s}
	root, err := p.parse()
	if err != nil {
		return Marker{}, err
	}
	return Marker{root: root}, nil
}

// markerParser is a recursive-descent parser over one marker string.
type markerParser struct {
	s string
	i int
}

func (p *markerParser) parse() (*markerNode, error) {
	p.skipSpace()
	if p.i == len(p.s) {
		return nil, p.fail("empty marker")
	}
	root, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.s) {
		if p.s[p.i] == ')' {
			return nil, p.fail("\")\" without a matching \"(\"")
		}
		return nil, p.fail("expected \"and\", \"or\" or the end of the marker")
	}
	return root, nil
}

func (p *markerParser) fail(reason string) error {
	return syntaxError("marker", p.s, p.i, reason)
}

// skipSpace skips PEP 508 white space (spaces and tabs) and line breaks.
func (p *markerParser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

// word reports whether the next token is the keyword w, a whole word.
func (p *markerParser) word(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	end := p.i + len(w)
	return end == len(p.s) || !isIdentByte(p.s[end])
}

func isIdentByte(c byte) bool {
	return isAlnum(c) || c == '_' || c == '.'
}

func (p *markerParser) parseOr(depth int) (*markerNode, error) {
	return p.parseJoined(depth, nodeOr, "or", p.parseAnd)
}

func (p *markerParser) parseAnd(depth int) (*markerNode, error) {
	return p.parseJoined(depth, nodeAnd, "and", p.parseAtom)
}

// parseJoined parses operands joined by keyword into one flat node of kind.
func (p *markerParser) parseJoined(depth int, kind nodeKind, keyword string, operand func(int) (*markerNode, error)) (*markerNode, error) {
	first, err := operand(depth)
	if err != nil {
		return nil, err
	}
	items := []*markerNode{first}
	for {
		p.skipSpace()
		if !p.word(keyword) {
			break
		}
		p.i += len(keyword)
		next, err := operand(depth)
		if err != nil {
			return nil, err
		}
		items = append(items, next)
	}
	if len(items) == 1 {
		return first, nil
	}
	flat := make([]*markerNode, 0, len(items))
	for _, it := range items {
		if it.kind == kind {
			flat = append(flat, it.items...)
		} else {
			flat = append(flat, it)
		}
	}
	return &markerNode{kind: kind, items: flat}, nil
}

// parseAtom parses a parenthesised marker or one comparison.
func (p *markerParser) parseAtom(depth int) (*markerNode, error) {
	p.skipSpace()
	if p.i < len(p.s) && p.s[p.i] == '(' {
		if depth == maxMarkerDepth {
			return nil, p.fail(fmt.Sprintf("parentheses nested deeper than %d", maxMarkerDepth))
		}
		open := p.i
		p.i++
		inner, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i == len(p.s) || p.s[p.i] != ')' {
			if p.i == len(p.s) {
				return nil, syntaxError("marker", p.s, open, "\"(\" is never closed")
			}
			return nil, p.fail("expected \")\", \"and\" or \"or\"")
		}
		p.i++
		return inner, nil
	}
	var c comparison
	var err error
	if c.left, err = p.parseOperand(); err != nil {
		return nil, err
	}
	if c.op, err = p.parseOperator(); err != nil {
		return nil, err
	}
	if c.right, err = p.parseOperand(); err != nil {
		return nil, err
	}
	c.prepare()
	return &markerNode{kind: nodeCompare, cmp: c}, nil
}

// parseOperand parses a variable name or a quoted string.
func (p *markerParser) parseOperand() (operand, error) {
	p.skipSpace()
	if p.i == len(p.s) {
		return operand{}, p.fail("expected a marker variable or a quoted string")
	}
	if q := p.s[p.i]; q == '"' || q == '\'' {
		end := strings.IndexByte(p.s[p.i+1:], q)
		if end < 0 {
			return operand{}, p.fail("quoted string is never closed")
		}
		lit := p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
		return operand{literal: lit}, nil
	}
	j := p.i
	for j < len(p.s) && isIdentByte(p.s[j]) {
		j++
	}
	if j == p.i {
		r, _ := utf8.DecodeRuneInString(p.s[p.i:])
		return operand{}, p.fail(fmt.Sprintf("unexpected %q: expected a marker variable or a quoted string", r))
	}
	name, ok := markerVariables[p.s[p.i:j]]
	if !ok {
		return operand{}, p.fail(fmt.Sprintf("unknown marker variable %q", p.s[p.i:j]))
	}
	p.i = j
	return operand{variable: name}, nil
}

// parseOperator parses a comparison operator, "in" or "not in".
func (p *markerParser) parseOperator() (string, error) {
	p.skipSpace()
	for _, op := range markerOperators {
		if strings.HasPrefix(p.s[p.i:], op) {
			p.i += len(op)
			return op, nil
		}
	}
	if p.word("in") {
		p.i += len("in")
		return "in", nil
	}
	if p.word("not") {
		save := p.i
		p.i += len("not")
		p.skipSpace()
		if p.i > save+len("not") && p.word("in") {
			p.i += len("in")
			return "not in", nil
		}
		p.i = save
	}
	return "", p.fail("expected a comparison operator: ==, !=, <, <=, >, >=, ~=, ===, in or not in")
}

// prepare normalises extra names and parses the specifier a comparison of
// a variable with a literal uses.
func (c *comparison) prepare() {
	switch {
	case c.left.variable == "extra" && c.right.variable == "":
		c.right.literal = NormalizeName(c.right.literal)
		return
	case c.right.variable == "extra" && c.left.variable == "":
		c.left.literal = NormalizeName(c.left.literal)
		return
	case c.left.variable == "extra" || c.right.variable != "":
		return
	}
	if c.op == "in" || c.op == "not in" || c.op == "===" {
		return
	}
	if spec, _, reason := parseClause(c.op + c.right.literal); reason == "" {
		c.spec = &spec
	}
}

// IsZero reports whether m is the zero Marker, which applies everywhere.
func (m Marker) IsZero() bool {
	return m.root == nil
}

// String returns the marker in normal form: canonical variable names,
// literals in double quotes (single quotes when the literal holds a double
// quote), single spaces around operators, "and"/"or" in lower case, and
// parentheses only around an "or" inside an "and":
// `python_full_version < "3.10" and (extra == "dev" or os_name == "nt")`.
// The zero Marker gives "".
func (m Marker) String() string {
	if m.root == nil {
		return ""
	}
	var b strings.Builder
	m.root.write(&b)
	return b.String()
}

func (n *markerNode) write(b *strings.Builder) {
	switch n.kind {
	case nodeCompare:
		n.cmp.left.write(b)
		b.WriteByte(' ')
		b.WriteString(n.cmp.op)
		b.WriteByte(' ')
		n.cmp.right.write(b)
	case nodeAnd, nodeOr:
		sep := " and "
		if n.kind == nodeOr {
			sep = " or "
		}
		for i, it := range n.items {
			if i > 0 {
				b.WriteString(sep)
			}
			if n.kind == nodeAnd && it.kind == nodeOr {
				b.WriteByte('(')
				it.write(b)
				b.WriteByte(')')
			} else {
				it.write(b)
			}
		}
	}
}

func (o operand) write(b *strings.Builder) {
	if o.variable != "" {
		b.WriteString(o.variable)
		return
	}
	q := byte('"')
	if strings.IndexByte(o.literal, '"') >= 0 {
		q = '\''
	}
	b.WriteByte(q)
	b.WriteString(o.literal)
	b.WriteByte(q)
}
