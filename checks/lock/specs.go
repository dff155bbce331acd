package lock

import "strings"

// splitMatchSpec splits a conda MatchSpec as pixi records it
// ("libsqlite 3.51.2 h0c1763c_0", "python_abi 3.12.* *_cp312",
// "__glibc >=2.17,<3.0.a0", "conda-forge::numpy >=1.2") into the package
// name and the rest, which is returned verbatim without surrounding space.
// A channel prefix ("conda-forge::") is dropped. ok is false when no name
// leads the text.
func splitMatchSpec(s string) (name, spec string, ok bool) {
	s = strings.TrimSpace(s)
	head := s
	if i := strings.IndexByte(s, ' '); i >= 0 {
		head = s[:i]
	}
	if i := strings.LastIndex(head, "::"); i >= 0 {
		s = s[i+2:]
	}
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	if n == 0 {
		return "", "", false
	}
	return s[:n], strings.TrimSpace(s[n:]), true
}

// splitRequirement splits a PEP 508 requirement ("requests[socks]>=2.0,<3 ;
// python_version >= '3.8'") into the PEP 503 normalised name, the specifier
// text (">=2.0,<3") and the marker text after ";". Extras are dropped.
// A direct reference ("name @ https://...") has no specifier: spec is empty.
// Parenthesised specifiers ("name (>=1.0)") lose their parentheses.
func splitRequirement(s string) (name, spec, marker string, ok bool) {
	s = strings.TrimSpace(s)
	n := 0
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	if n == 0 {
		return "", "", "", false
	}
	name = normalizePyPI(s[:n])
	rest := strings.TrimLeft(s[n:], " ")
	if strings.HasPrefix(rest, "[") {
		i := strings.IndexByte(rest, ']')
		if i < 0 {
			return "", "", "", false
		}
		rest = strings.TrimLeft(rest[i+1:], " ")
	}
	if strings.HasPrefix(rest, "@") {
		if i := strings.Index(rest, " ;"); i >= 0 {
			marker = strings.TrimSpace(rest[i+2:])
		}
		return name, "", marker, true
	}
	if i := strings.IndexByte(rest, ';'); i >= 0 {
		marker = strings.TrimSpace(rest[i+1:])
		rest = rest[:i]
	}
	spec = strings.TrimSpace(rest)
	if len(spec) >= 2 && spec[0] == '(' && spec[len(spec)-1] == ')' {
		spec = strings.TrimSpace(spec[1 : len(spec)-1])
	}
	return name, spec, marker, true
}
