package build

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/imagebot/imagebot/checks/parseerr"
)

// MaxSize is the largest build file the scanners accept, in bytes.
const MaxSize = 8 << 20

// ParseError is a build file that cannot be read as what it claims to be:
// the engine's one parse error, at a 1-based line (0: the whole file).
type ParseError = parseerr.Error

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// text checks that data is text the scanners can read (at most MaxSize bytes of UTF-8 without
// NUL bytes) and returns it with a leading byte-order mark removed and CRLF line ends made LF.
func text(path string, data []byte) (string, error) {
	if len(data) > MaxSize {
		return "", &ParseError{Path: path, Msg: fmt.Sprintf("the file is %d bytes; the limit is %d MiB", len(data), MaxSize>>20)}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return "", &ParseError{Path: path, Line: lineAt(data, i), Msg: "binary data: the file contains a NUL byte"}
	}
	if !utf8.Valid(data) {
		return "", &ParseError{Path: path, Line: lineAt(data, firstInvalidUTF8(data)), Msg: "the file is not UTF-8 text"}
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n"), nil
}

// lineAt returns the 1-based line of byte offset i.
func lineAt(data []byte, i int) int {
	return bytes.Count(data[:i], []byte{'\n'}) + 1
}

func firstInvalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}
