// Package textfile is the one normalization every parser of the engine
// applies to a file's bytes before reading them: no byte order mark, and
// lines that end in "\n". It depends on nothing but the standard library.
package textfile

import (
	"bytes"
	"strings"
)

// utf8BOM is the byte order mark some editors put at the start of a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Normalize is the text every parser of a file sees: the data without
// a leading UTF-8 byte order mark, with each lone carriage return (the
// line end of classic Mac OS) made a line feed, so that a line is what
// ends in "\n" for every format. "\r\n" stays: the parsers strip the
// "\r". The result is a copy, so that what parsers keep of it does not
// alias the caller's buffer.
func Normalize(data []byte) string {
	data = bytes.TrimPrefix(data, utf8BOM)
	if !hasLoneCR(data) {
		return string(data)
	}
	var b strings.Builder
	b.Grow(len(data))
	for i, c := range data {
		if c == '\r' && (i+1 == len(data) || data[i+1] != '\n') {
			c = '\n'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// hasLoneCR reports whether data holds a "\r" not followed by "\n".
func hasLoneCR(data []byte) bool {
	for rest := data; ; {
		i := bytes.IndexByte(rest, '\r')
		if i < 0 {
			return false
		}
		if i+1 == len(rest) || rest[i+1] != '\n' {
			return true
		}
		rest = rest[i+2:]
	}
}
