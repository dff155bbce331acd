package lock

import "strings"

// normalizePyPI normalises a PyPI project name as PEP 503 does: lower case,
// with every run of "-", "_" and "." replaced by one "-". Names that are
// already normal are returned without allocating.
func normalizePyPI(name string) string {
	normal := true
	for i := 0; i < len(name) && normal; i++ {
		switch c := name[i]; {
		case 'A' <= c && c <= 'Z', c == '_', c == '.':
			normal = false
		case c == '-':
			normal = i+1 == len(name) || name[i+1] != '-'
		}
	}
	if normal {
		return name
	}
	var b strings.Builder
	b.Grow(len(name))
	sep := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c == '_' || c == '.' {
			sep = true
			continue
		}
		if sep {
			b.WriteByte('-')
			sep = false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	if sep {
		b.WriteByte('-')
	}
	return b.String()
}

// normalizeName normalises name as the model wants it for manager m.
func normalizeName(m Manager, name string) string {
	if m == PyPI {
		return normalizePyPI(name)
	}
	return name
}

// isNameByte reports whether c may appear in a conda or PyPI package name.
func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
}
