package yamledit

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Set returns data with the single value at kp set to value, replacing only
// that scalar's text, so that every other byte, comments and formatting
// included, stays. The new text keeps the scalar's quoting unless the
// value would then read back as something else (a plain 123456789012 is a
// number), in which case it is double-quoted. A scalar reached through an
// alias is set where its anchor defines it.
func Set(data []byte, kp KeyPath, file, value string) ([]byte, error) {
	if err := CheckValue(value); err != nil {
		return nil, err
	}
	node, err := find(data, kp, file)
	if err != nil {
		return nil, err
	}
	start, end, err := scalarSpan(data, node)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: %w", file, node.Line, kp, err)
	}
	for _, text := range renderings(node.Style, value) {
		out := make([]byte, 0, len(data)-(end-start)+len(text))
		out = append(append(append(out, data[:start]...), text...), data[end:]...)
		if n, err := find(out, kp, file); err == nil && n.Tag == "!!str" && n.Value == value {
			return out, nil
		}
	}
	return nil, fmt.Errorf("%s:%d: %s: no quoting of %q reads back as that string", file, node.Line, kp, value)
}

// CheckValue refuses the new values Set does not write: empty ones, and
// those that would need escapes in YAML (an image reference or tag never
// does).
func CheckValue(value string) error {
	if value == "" || !utf8.ValidString(value) {
		return fmt.Errorf("the new value %q is empty or not UTF-8", value)
	}
	for _, r := range value {
		if r < 0x20 || r == 0x7f || r == '"' || r == '\\' {
			return fmt.Errorf("the new value %q has a quote, backslash or control character", value)
		}
	}
	return nil
}

// renderings are the texts to try for value: in the scalar's own style
// first, then double-quoted.
func renderings(style yaml.Style, value string) []string {
	quoted := `"` + value + `"`
	switch style &^ yaml.TaggedStyle {
	case yaml.SingleQuotedStyle:
		return []string{"'" + strings.ReplaceAll(value, "'", "''") + "'", quoted}
	case yaml.DoubleQuotedStyle:
		return []string{quoted}
	}
	return []string{value, quoted}
}

// scalarSpan finds the bytes of a single-line scalar's text in data: after
// its anchor and tag, and with its quotes.
func scalarSpan(data []byte, n *yaml.Node) (start, end int, err error) {
	pos, ok := offset(data, n.Line, n.Column)
	if !ok {
		return 0, 0, fmt.Errorf("the value is not where the YAML parser put it")
	}
	for pos < len(data) && (data[pos] == '&' || data[pos] == '!') {
		for pos < len(data) && !isBlank(data[pos]) {
			pos++
		}
		for pos < len(data) && isBlank(data[pos]) {
			pos++
		}
	}
	switch n.Style &^ yaml.TaggedStyle {
	case yaml.DoubleQuotedStyle:
		end = closingQuote(data, pos, '"')
	case yaml.SingleQuotedStyle:
		end = closingQuote(data, pos, '\'')
	case yaml.LiteralStyle, yaml.FoldedStyle:
		return 0, 0, fmt.Errorf("the value is a block scalar (| or >); write it on one line so that imagebot can edit it")
	default:
		if bytes.HasPrefix(data[pos:], []byte(n.Value)) && !strings.ContainsAny(n.Value, "\r\n") {
			end = pos + len(n.Value)
		}
	}
	if end <= pos {
		return 0, 0, fmt.Errorf("the value spans lines; write it on one line so that imagebot can edit it")
	}
	return pos, end, nil
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// closingQuote returns the offset just after the quote that closes the
// quoted scalar opening at data[pos], or -1 when it does not close on the
// same line. In double quotes a backslash escapes the next byte; in single
// quotes a doubled quote stands for one.
func closingQuote(data []byte, pos int, quote byte) int {
	if pos >= len(data) || data[pos] != quote {
		return -1
	}
	for i := pos + 1; i < len(data); i++ {
		switch c := data[i]; {
		case c == '\n':
			return -1
		case quote == '"' && c == '\\':
			i++
		case c == quote && quote == '\'' && i+1 < len(data) && data[i+1] == '\'':
			i++
		case c == quote:
			return i + 1
		}
	}
	return -1
}

// offset converts the parser's 1-based line and column (counted in
// characters, after a byte order mark) into a byte offset.
func offset(data []byte, line, column int) (int, bool) {
	pos := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		pos = 3
	}
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			return 0, false
		}
		pos += i + 1
	}
	for c := 1; c < column; c++ {
		if pos >= len(data) || data[pos] == '\n' {
			return 0, false
		}
		_, size := utf8.DecodeRune(data[pos:])
		pos += size
	}
	return pos, true
}
