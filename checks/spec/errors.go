package spec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/imagebot/imagebot/checks/parseerr"
)

// ParseError is a problem at one place in a spec file: the engine's one
// parse error. Line is 1-based, or 0 when the problem concerns the whole
// file.
type ParseError = parseerr.Error

// Problems lists the entries of a spec file that could not be read, in line
// order. A parser returns Problems together with a usable *Spec that holds
// everything else the file declares; see Parse for the full contract.
type Problems []ParseError

// Error formats every problem on its own line.
func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i := range p {
		lines[i] = p[i].Error()
	}
	return strings.Join(lines, "\n")
}

// problems collects the Problems of one file.
type problems struct {
	path string
	list Problems
}

func (p *problems) add(line int, format string, args ...any) {
	p.list = append(p.list, ParseError{Path: p.path, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// result returns the spec with the collected problems as its error: nil
// when there are none, otherwise Problems sorted by line.
func (p *problems) result(s *Spec) (*Spec, error) {
	if len(p.list) == 0 {
		return s, nil
	}
	slices.SortStableFunc(p.list, func(a, b ParseError) int { return a.Line - b.Line })
	return s, p.list
}

// fatal is the error for a file that cannot be read at all.
func fatal(path string, line int, format string, args ...any) error {
	return &ParseError{Path: path, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// quoteLimit is how many bytes of file text a message repeats.
const quoteLimit = 80

// quote quotes file text for a message, clipped so that hostile input
// cannot make a huge or unprintable message.
func quote(s string) string {
	if len(s) > quoteLimit {
		cut := quoteLimit
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut--
		}
		return strconv.Quote(s[:cut]) + "..."
	}
	return strconv.Quote(s)
}

// messageLimit is the longest message taken from a YAML or TOML decoder,
// which may repeat file text.
const messageLimit = 200

// clipMessage cuts a decoder's message to messageLimit bytes.
func clipMessage(msg string) string {
	if len(msg) <= messageLimit {
		return msg
	}
	cut := messageLimit
	for cut > 0 && msg[cut]&0xC0 == 0x80 {
		cut--
	}
	return msg[:cut] + "..."
}
