// Package parseerr holds the one error type of the engine's parsers: a
// file that cannot be read as what it claims to be, with its path and the
// line of the problem. The lock, spec and build parsers name it ParseError;
// the engine reads every parser's errors with one errors.As.
package parseerr

import "fmt"

// Error is a problem at one place in a file. Line is 1-based, or 0 when
// the problem concerns the whole file (it is too large, or not of the
// expected format at all).
type Error struct {
	Path string
	Line int
	Msg  string
}

// Error returns "path:line: msg", or "path: msg" when Line is 0.
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}
