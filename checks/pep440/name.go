package pep440

import "strings"

// NormalizeName normalises a distribution name per PEP 503 (lower case; runs
// of -, _ and . become -): "Foo.Bar__baz" becomes "foo-bar-baz". Extra names
// normalise the same way (PEP 685). It does not check that s is a valid name.
func NormalizeName(s string) string {
	if isNormalName(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == '_' || c == '.' {
			if i == 0 || !isNameSep(s[i-1]) {
				b.WriteByte('-')
			}
			continue
		}
		b.WriteByte(c)
	}
	return strings.ToLower(b.String())
}

// isNormalName reports whether NormalizeName would return s unchanged: ASCII
// without upper case letters, with no separator but single hyphens.
func isNormalName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c == '_', c == '.', c >= 0x80:
			return false
		case c == '-' && i > 0 && s[i-1] == '-':
			return false
		}
	}
	return true
}

func isNameSep(c byte) bool { return c == '-' || c == '_' || c == '.' }
