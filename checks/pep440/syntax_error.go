package pep440

import (
	"fmt"
	"unicode/utf8"
)

// maxInput is the longest text any parser in this package accepts, in bytes.
// Real versions, specifier sets, requirements and markers are a few hundred
// bytes at most; a bound keeps hostile input from costing unbounded memory.
const maxInput = 64 << 10

// quoteLimit is how much of the input a SyntaxError repeats in its message.
const quoteLimit = 120

// SyntaxError reports text that is not a valid PEP 440 version or specifier
// set, PEP 508 requirement, or PEP 508 marker.
type SyntaxError struct {
	// Kind names what was being parsed: "version", "specifier",
	// "requirement" or "marker".
	Kind string
	// Text is the input, cut to its first 120 bytes when longer.
	Text string
	// Offset is the byte offset in the full input where parsing failed.
	Offset int
	// Reason says what was wrong at Offset.
	Reason string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s (at byte %d)", e.Kind, e.Text, e.Reason, e.Offset)
}

// syntaxError builds a SyntaxError for input, cutting the quoted text at a
// rune boundary.
func syntaxError(kind, input string, offset int, reason string) *SyntaxError {
	text := input
	if len(text) > quoteLimit {
		cut := quoteLimit
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "..."
	}
	return &SyntaxError{Kind: kind, Text: text, Offset: offset, Reason: reason}
}

// checkInput rejects text that no parser should look at: longer than
// maxInput, or not UTF-8.
func checkInput(kind, s string) error {
	if len(s) > maxInput {
		return syntaxError(kind, s, maxInput, fmt.Sprintf("longer than %d bytes", maxInput))
	}
	if !utf8.ValidString(s) {
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return syntaxError(kind, s, i, "not valid UTF-8")
			}
			i += size
		}
	}
	return nil
}
