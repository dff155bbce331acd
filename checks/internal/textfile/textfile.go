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

// MaxYAMLIndicators bounds the structural characters of a YAML document
// given to yaml.v3, whose node tree costs a few hundred bytes per node: it
// keeps the tree at a few tens of MiB, where an 8 MiB flow sequence
// ("[a,a,a,…]") would otherwise cost close to a GiB. Real environment
// files, workflows and locks in yaml.v3's path hold a few thousand.
const MaxYAMLIndicators = 1 << 17

// YAMLIndicators counts the characters that can start a YAML node or
// separate two: an upper bound on the nodes yaml.v3 builds for src.
func YAMLIndicators(src string) int {
	n := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n', ',', '[', '{', ':', '-', '?':
			n++
		}
	}
	return n
}
