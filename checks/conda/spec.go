package conda

import "strings"

// Spec is a parsed version spec (the version part of a MatchSpec). The zero
// Spec, and the one parsed from "" or "*", matches every version.
type Spec struct {
	// nodes hold the expression tree in postfix order: the root is last, and
	// the children of an AND (',') or OR ('|') node precede it.
	nodes []node
}

// A node is a constraint on one version (a leaf) or the conjunction or
// disjunction of the subtrees before it.
type node struct {
	op    op
	exact bool   // a leaf that pins one version: "1.2" or "==1.2"
	kids  uint16 // children of an opAnd or opOr node
	size  uint16 // nodes in this subtree, the node itself included
	text  string // a leaf as written, trimmed; a glob leaf's pattern
	v     Version
}

type op uint8

const (
	opAny       op = iota // "*", and the lenient ">=*", "==*", "=*", "<=*", "~=*"
	opEq                  // "1.2", "==1.2"; zero-padded, so "1.2" == "1.2.0"
	opNe                  // "!=1.2"
	opLt                  // "<1.2"
	opLe                  // "<=1.2"
	opGt                  // ">1.2"
	opGe                  // ">=1.2"
	opPrefix              // "=1.2", "1.2.*", "1.2*": starts with 1.2 component-wise
	opNotPrefix           // "!=1.2.*"
	opCompat              // "~=1.2.3": >=1.2.3 and starts with 1.2
	opGlob                // "1.*.3": '*' inside the version, matched against its text
	opAnd                 // ","
	opOr                  // "|"
)

// Match reports whether v satisfies the spec.
func (s Spec) Match(v Version) bool {
	if len(s.nodes) == 0 {
		return true
	}
	return s.eval(len(s.nodes)-1, v)
}

func (s Spec) eval(i int, v Version) bool {
	n := &s.nodes[i]
	switch n.op {
	case opAnd, opOr:
		want := n.op == opOr
		for c := i - 1; c > i-int(n.size); c -= int(s.nodes[c].size) {
			if s.eval(c, v) == want {
				return want
			}
		}
		return !want
	case opAny:
		return true
	case opEq:
		return v.Compare(n.v) == 0
	case opNe:
		return v.Compare(n.v) != 0
	case opLt:
		return v.Compare(n.v) < 0
	case opLe:
		return v.Compare(n.v) <= 0
	case opGt:
		return v.Compare(n.v) > 0
	case opGe:
		return v.Compare(n.v) >= 0
	case opPrefix:
		return v.hasPrefix(n.v)
	case opNotPrefix:
		return !v.hasPrefix(n.v)
	case opCompat:
		return v.Compare(n.v) >= 0 && v.hasPrefix(compatPrefix(n.v))
	case opGlob:
		return matchGlob(n.text, v.text)
	}
	return false
}

// compatPrefix returns v's release without its last component: the prefix
// that "~=v" requires. v has at least two release components.
func compatPrefix(v Version) Version {
	rel := v.release()
	last := len(rel) - 1
	for !rel[last].first {
		last--
	}
	return Version{text: v.text, atoms: rel[:last:last], local: uint16(last)}
}

// String returns the spec in canonical form: each constraint as written
// without whitespace, ',' for AND, '|' for OR, and parentheses only around an
// OR inside an AND. The spec that matches everything is "*". The result
// parses back to an equivalent Spec with the same String.
func (s Spec) String() string {
	if len(s.nodes) == 0 {
		return "*"
	}
	var b strings.Builder
	s.render(&b, len(s.nodes)-1, false)
	return b.String()
}

func (s Spec) render(b *strings.Builder, i int, inAnd bool) {
	n := &s.nodes[i]
	if n.op != opAnd && n.op != opOr {
		for k := 0; k < len(n.text); k++ {
			if c := n.text[k]; !isSpace(c) {
				b.WriteByte(c)
			}
		}
		return
	}
	kids := make([]int, n.kids)
	for c, k := i-1, len(kids)-1; k >= 0; c, k = c-int(s.nodes[c].size), k-1 {
		kids[k] = c
	}
	sep, paren := byte(','), false
	if n.op == opOr {
		sep, paren = '|', inAnd
	}
	if paren {
		b.WriteByte('(')
	}
	for k, c := range kids {
		if k > 0 {
			b.WriteByte(sep)
		}
		s.render(b, c, n.op == opAnd)
	}
	if paren {
		b.WriteByte(')')
	}
}

// Exact reports the single version the spec pins exactly ("3.45.1", "==3.45.1",
// not "3.45.*", not ranges), as written.
func (s Spec) Exact() (string, bool) {
	if len(s.nodes) != 1 || !s.nodes[0].exact {
		return "", false
	}
	return s.nodes[0].v.text, true
}
