// Package markdown escapes text for GitHub Markdown. Whatever a repository,
// a pull request or an operator's file put into the text, the result shows
// it as it is and nothing more: no HTML, no links, images or emphasis, no
// @-mentions that notify people, no #-references, and no line break that
// ends a list item or a table row. Every function's result is safe in a
// paragraph, a list item, a heading and a table cell alike.
//
// The engine's renderers (checks/render) and the App's comments (bot/...)
// share it, so one set of rules holds everywhere. It depends on the
// standard library only.
package markdown

import "strings"

// Text escapes s as plain text: Markdown's punctuation is backslash-escaped
// (and the "." of "www.", which GitHub would link), "<", ">", "&", "@" and
// "#" become character references, line breaks and
// tabs become spaces, and control characters and the invisible characters
// that reorder or hide text (bidirectional overrides, zero-width spaces)
// are dropped.
func Text(s string) string {
	// Dropping the invisible characters first keeps them from hiding what
	// GitHub would see, such as "www" NUL ".": shown, that is "www.".
	s = visible(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch r {
		case '.':
			// GitHub links "www.example.com" by itself.
			if i >= 3 && strings.EqualFold(s[i-3:i], "www") {
				b.WriteByte('\\')
			}
			b.WriteByte('.')
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '@':
			b.WriteString("&#64;")
		case '#':
			b.WriteString("&#35;")
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '!', '|', '~', '+', '=', '^', '$', ':':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Code renders s as an inline code span that shows s literally, backticks
// included: the fence is one backtick longer than the longest run in s.
// Line breaks and tabs become spaces and invisible characters are dropped,
// as in Text. A "|" is written between spans as an escaped "\|", the one
// form that shows a pipe both inside and outside a table cell. Blank s
// gives "` `".
func Code(s string) string {
	s = visible(s)
	if strings.TrimSpace(s) == "" {
		return "` `"
	}
	pieces := strings.Split(s, "|")
	var b strings.Builder
	for i, p := range pieces {
		if i > 0 {
			b.WriteString(`\|`)
		}
		if p != "" {
			b.WriteString(span(p))
		}
	}
	return b.String()
}

// span writes one code span around p, which holds no "|" and no line break.
func span(p string) string {
	fence := "`"
	for strings.Contains(p, fence) {
		fence += "`"
	}
	// CommonMark strips one space from each end of a span that has one at
	// both ends, and a fence must not touch a backtick of the content: a
	// space at each end keeps both as they are.
	if strings.TrimSpace(p) != "" && (strings.HasPrefix(p, "`") || strings.HasSuffix(p, "`") || strings.HasPrefix(p, " ") || strings.HasSuffix(p, " ")) {
		p = " " + p + " "
	}
	return fence + p + fence
}

// Message renders prose in which spans between backticks are code, as the
// engine's findings and fixes are written: text is escaped with Text and
// each code part rendered with Code. An unpaired backtick and what follows
// it are text.
func Message(s string) string {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i%2 == 1 && i < len(parts)-1:
			b.WriteString(Code(p))
		case i%2 == 1:
			b.WriteString(Text("`" + p))
		default:
			b.WriteString(Text(p))
		}
	}
	return b.String()
}

// visible is s as it is shown: see shown.
func visible(s string) string {
	return strings.Map(func(r rune) rune {
		if r, ok := shown(r); ok {
			return r
		}
		return -1
	}, s)
}

// shown maps a rune to what the escaped text shows: line breaks and tabs
// become spaces; control characters, bidirectional overrides and
// zero-width characters are dropped (ok is false).
func shown(r rune) (rune, bool) {
	switch {
	case r == '\n' || r == '\r' || r == '\t':
		return ' ', true
	case r < 0x20 || r == 0x7f:
		return 0, false
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return 0, false
	}
	return r, true
}
