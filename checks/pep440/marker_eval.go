package pep440

import "strings"

// truth is a three-valued logic value: a comparison whose variable the
// environment lacks is unknown.
type truth uint8

const (
	isFalse truth = iota
	isTrue
	isUnknown
)

// Evaluate evaluates the marker in env (keys: python_version,
// python_full_version, sys_platform, platform_system, platform_machine,
// os_name, implementation_name, platform_python_implementation, extra, ...;
// the canonical names, also for markers that use the dotted spellings). ok
// is false when the marker uses a variable that env does not define, so
// callers can tell "unknown" from "false"; a caller resolving a dependency
// without extras passes extra as "".
//
// Unknowns propagate as in three-valued logic, so a result that does not
// depend on them is still known: with env lacking extra,
// `sys_platform == "win32" and extra == "dev"` is (false, true) on linux.
// The zero Marker evaluates to (true, true).
//
// A comparison is a PEP 440 version comparison when "op right" forms a valid
// specifier and the left value parses as a version
// (python_version < "3.10" holds for 3.9); otherwise values compare as
// strings, ordered by code point; ~= between values that are not versions
// cannot be decided and counts as unknown. "in" and "not in" test whether
// the left value is a substring of the right one. === compares strings
// ignoring case. Comparisons with extra compare normalised names
// (PEP 685) and never as versions.
func (m Marker) Evaluate(env map[string]string) (result bool, ok bool) {
	if m.root == nil {
		return true, true
	}
	switch m.root.eval(env) {
	case isTrue:
		return true, true
	case isFalse:
		return false, true
	}
	return false, false
}

func (n *markerNode) eval(env map[string]string) truth {
	switch n.kind {
	case nodeAnd:
		out := isTrue
		for _, it := range n.items {
			switch it.eval(env) {
			case isFalse:
				return isFalse
			case isUnknown:
				out = isUnknown
			}
		}
		return out
	case nodeOr:
		out := isFalse
		for _, it := range n.items {
			switch it.eval(env) {
			case isTrue:
				return isTrue
			case isUnknown:
				out = isUnknown
			}
		}
		return out
	}
	return n.cmp.eval(env)
}

func (c *comparison) eval(env map[string]string) truth {
	l, lok := c.left.value(env)
	r, rok := c.right.value(env)
	if !lok || !rok {
		return isUnknown
	}
	if c.left.variable == "extra" || c.right.variable == "extra" {
		return compareStrings(c.op, NormalizeName(l), NormalizeName(r))
	}
	if c.op == "in" || c.op == "not in" || c.op == "===" {
		return compareStrings(c.op, l, r)
	}
	spec := c.spec
	if spec == nil && c.right.variable != "" {
		if s, _, reason := parseClause(c.op + r); reason == "" {
			spec = &s
		}
	}
	if spec != nil {
		if v, _, reason := scanVersion(l); reason == "" {
			return truthOf(spec.contains(v))
		}
	}
	return compareStrings(c.op, l, r)
}

// compareStrings applies a comparison operator to two strings.
func compareStrings(op, l, r string) truth {
	switch op {
	case "==":
		return truthOf(l == r)
	case "!=":
		return truthOf(l != r)
	case "<":
		return truthOf(l < r)
	case "<=":
		return truthOf(l <= r)
	case ">":
		return truthOf(l > r)
	case ">=":
		return truthOf(l >= r)
	case "in":
		return truthOf(strings.Contains(r, l))
	case "not in":
		return truthOf(!strings.Contains(r, l))
	case "===":
		return truthOf(strings.EqualFold(l, r))
	}
	return isUnknown
}

// value resolves an operand in env; ok is false for an undefined variable.
func (o operand) value(env map[string]string) (string, bool) {
	if o.variable == "" {
		return o.literal, true
	}
	v, ok := env[o.variable]
	return v, ok
}

func truthOf(b bool) truth {
	if b {
		return isTrue
	}
	return isFalse
}
