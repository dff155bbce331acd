package pep440

import (
	"slices"
	"strings"
	"unicode"
)

// operator is a PEP 440 comparison operator.
type operator uint8

const (
	opCompatible   operator = iota + 1 // ~=
	opEqual                            // ==
	opNotEqual                         // !=
	opLessEqual                        // <=
	opGreaterEqual                     // >=
	opLess                             // <
	opGreater                          // >
	opArbitrary                        // ===
)

// operators lists every operator's text, longest first where one is a prefix
// of another, so that the first match is the right one.
var operators = []struct {
	text string
	op   operator
}{
	{"===", opArbitrary},
	{"~=", opCompatible},
	{"==", opEqual},
	{"!=", opNotEqual},
	{"<=", opLessEqual},
	{">=", opGreaterEqual},
	{"<", opLess},
	{">", opGreater},
}

func (op operator) String() string {
	for _, o := range operators {
		if o.op == op {
			return o.text
		}
	}
	return ""
}

// Specifiers is a parsed comma-separated PEP 440 specifier set, such as
// ">=1.2,!=1.3.*,<2". The empty set matches every version.
type Specifiers struct {
	clauses []clause
}

// clause is one specifier of a set.
type clause struct {
	op       operator
	text     string  // the version as written after the operator, ".*" included
	wildcard bool    // ==V.* or !=V.*
	v        Version // the version, without ".*"; unset for ===
	// lo and hi bound the matching range where the operator reduces to one:
	// [lo, hi) for wildcards and ~=, [lo, ∞) for > after a post or dev
	// release, (-∞, hi) for <.
	lo, hi Version
}

// ParseSpecifiers parses a comma-separated specifier set. Each specifier is an
// operator (~=, ==, !=, <=, >=, <, >, ===) and a version, with optional white
// space between them. PEP 440's restrictions hold: ".*" only with == and !=
// and only after release numbers, local labels only with == and !=, ~= with
// at least two release numbers. === takes any text without white space,
// ";" or ")". Empty items between commas are ignored, as pip ignores them;
// an empty or all-blank string is the empty set.
func ParseSpecifiers(s string) (Specifiers, error) {
	if err := checkInput("specifier", s); err != nil {
		return Specifiers{}, err
	}
	set := Specifiers{clauses: make([]clause, 0, strings.Count(s, ",")+1)}
	for start := 0; start <= len(s); {
		end := strings.IndexByte(s[start:], ',')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		item := s[start:end]
		if strings.TrimSpace(item) != "" {
			c, offset, reason := parseClause(item)
			if reason != "" {
				return Specifiers{}, syntaxError("specifier", s, start+offset, reason)
			}
			set.clauses = append(set.clauses, c)
		}
		start = end + 1
	}
	return set, nil
}

// parseClause parses one specifier. On failure it returns the byte offset in
// item where parsing stopped and a non-empty reason.
func parseClause(item string) (c clause, offset int, reason string) {
	i := len(item) - len(strings.TrimLeftFunc(item, unicode.IsSpace))
	for _, o := range operators {
		if strings.HasPrefix(item[i:], o.text) {
			c.op = o.op
			i += len(o.text)
			break
		}
	}
	if c.op == 0 {
		return clause{}, i, "expected an operator: ~=, ==, !=, <=, >=, <, > or ==="
	}
	k := len(item) - len(strings.TrimLeftFunc(item[i:], unicode.IsSpace))
	ver := strings.TrimRightFunc(item[k:], unicode.IsSpace)
	if ver == "" {
		return clause{}, k, "expected a version after " + c.op.String()
	}
	if w := strings.IndexFunc(ver, unicode.IsSpace); w >= 0 {
		return clause{}, k + w, "white space inside the version"
	}
	c.text = ver
	if c.op == opArbitrary {
		if w := strings.IndexAny(ver, ";)"); w >= 0 {
			return clause{}, k + w, "=== takes no \";\" or \")\""
		}
		return c, 0, ""
	}
	if strings.HasSuffix(ver, ".*") {
		if c.op != opEqual && c.op != opNotEqual {
			return clause{}, k + len(ver) - 2, "a \".*\" wildcard is allowed only with == and !="
		}
		c.wildcard = true
		ver = ver[:len(ver)-2]
	}
	v, off, why := scanVersion(ver)
	if why != "" {
		return clause{}, k + off, why
	}
	c.v = v
	switch {
	case c.wildcard && (v.pre != preNone || v.post != "" || v.dev != "" || len(v.local) > 0):
		return clause{}, k, "a \".*\" wildcard may follow only release numbers"
	case len(v.local) > 0 && c.op != opEqual && c.op != opNotEqual:
		return clause{}, k, "a local version label is allowed only with == and !="
	case c.op == opCompatible && len(v.release) < 2:
		return clause{}, k, "~= needs at least two release numbers"
	}
	c.setBounds()
	return c, 0, ""
}

// setBounds computes lo and hi from the operator and version.
func (c *clause) setBounds() {
	v := c.v
	switch {
	case c.wildcard:
		// ==1.2.* is [1.2.dev0, 1.3.dev0).
		c.lo = Version{epoch: v.epoch, release: v.release, dev: "0"}
		c.hi = Version{epoch: v.epoch, release: nextPrefix(v.release), dev: "0"}
	case c.op == opCompatible:
		// ~=1.4.5 is [1.4.5, 1.5.dev0).
		c.lo = v
		c.hi = Version{epoch: v.epoch, release: nextPrefix(v.release[:len(v.release)-1]), dev: "0"}
	case c.op == opLess:
		// <V excludes V's pre-releases unless V is one: <2 is (-∞, 2.dev0).
		c.hi = v
		if !v.IsPrerelease() {
			c.hi = Version{epoch: v.epoch, release: v.release, post: v.post, dev: "0"}
		}
	case c.op == opGreater && v.dev != "":
		// Nothing lies between V.devN and V.dev(N+1).
		c.lo = v
		c.lo.dev = incDecimal(v.dev)
		c.lo.local = nil
	case c.op == opGreater && v.post != "":
		// >V.postN excludes V.postN's locals: the next version is V.post(N+1).dev0.
		c.lo = v
		c.lo.post = incDecimal(v.post)
		c.lo.dev = "0"
		c.lo.local = nil
	}
}

// nextPrefix returns release with its last number increased by one.
func nextPrefix(release []string) []string {
	next := slices.Clone(release)
	next[len(next)-1] = incDecimal(next[len(next)-1])
	return next
}

// Contains reports whether v satisfies every specifier. Pre-releases are
// accepted (a lock that chose a pre-release is judged by the ranges alone).
//
// Each operator follows PEP 440: == and != ignore v's local label unless the
// specifier has one, and with ".*" match by release prefix with zero padding
// (==1.0.* matches 1 and 1.0.post1, not 1.1); <= ignores v's local label;
// ~=V.N means >=V.N together with ==V.*; <V rejects pre-releases of V unless
// V is itself a pre-release (<1.7 rejects 1.7a1, <1.7.post1 accepts 1.7a1);
// >V rejects V's post releases and local versions unless V is itself a post
// release (>1.7 rejects 1.7.post1 and 1.7+abc); === compares the version as
// written with the specifier's text, ignoring case.
func (s Specifiers) Contains(v Version) bool {
	for i := range s.clauses {
		if !s.clauses[i].contains(v) {
			return false
		}
	}
	return true
}

func (c *clause) contains(v Version) bool {
	switch c.op {
	case opArbitrary:
		return strings.EqualFold(v.text, c.text)
	case opEqual:
		return c.equal(v)
	case opNotEqual:
		return !c.equal(v)
	case opCompatible:
		return v.Compare(c.lo) >= 0 && v.Compare(c.hi) < 0
	case opLessEqual:
		return compareVersions(v, c.v, false) <= 0
	case opGreaterEqual:
		return v.Compare(c.v) >= 0
	case opLess:
		return v.Compare(c.hi) < 0
	case opGreater:
		if c.v.dev != "" || c.v.post != "" {
			return v.Compare(c.lo) >= 0
		}
		return v.Compare(c.v) > 0 && !inPostFamily(v, c.v)
	}
	return false
}

// equal is == without negation.
func (c *clause) equal(v Version) bool {
	switch {
	case c.wildcard:
		return v.Compare(c.lo) >= 0 && v.Compare(c.hi) < 0
	case len(c.v.local) > 0:
		return v.Compare(c.v) == 0
	default:
		return compareVersions(v, c.v, false) == 0
	}
}

// inPostFamily reports whether v is base itself, a local version of it, or
// one of its post releases; base has neither a post nor a dev segment.
func inPostFamily(v, base Version) bool {
	return cmpNum(v.epoch, base.epoch) == 0 &&
		cmpRelease(v.release, base.release) == 0 &&
		v.pre == base.pre && cmpNum(v.preN, base.preN) == 0 &&
		(v.dev == "" || v.post != "")
}

// String returns the set as "op version" items joined with commas, without
// white space, in the order written, each version as written
// (">=1.0,!=1.3.*,<2").
func (s Specifiers) String() string {
	var b strings.Builder
	for i, c := range s.clauses {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(c.op.String())
		b.WriteString(c.text)
	}
	return b.String()
}

// Exact reports the single version pinned by "==X" (no wildcard) or "===X".
// ok is false unless exactly one specifier of the set is such a pin; other
// specifiers do not affect the answer. For == the version comes back in
// normalised form ("==1.0.0a1" gives "1.0.0a1", "==v01.0" gives "1.0"), for
// === exactly as written.
func (s Specifiers) Exact() (version string, ok bool) {
	pin := -1
	for i, c := range s.clauses {
		if c.op == opArbitrary || (c.op == opEqual && !c.wildcard) {
			if pin >= 0 {
				return "", false
			}
			pin = i
		}
	}
	if pin < 0 {
		return "", false
	}
	if c := s.clauses[pin]; c.op == opEqual {
		return c.v.String(), true
	}
	return s.clauses[pin].text, true
}
