package render

import (
	"net/url"
	"strings"
)

// markdownText escapes repository-controlled text for GitHub Markdown:
// no HTML, no links or emphasis, no @-mentions that ping people and no
// #-references, and no line breaks that could end a table row.
func markdownText(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
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
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '!', '|', '~', '+', '=', '^', '$', ':':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			if r < 0x20 || r == 0x7f || (r >= 0x200b && r <= 0x200f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				continue // control characters and bidirectional overrides
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// markdownCode renders text as an inline code span. Code spans show their
// content literally, so HTML and mentions inside are inert; backticks and
// line breaks are removed so the span cannot be closed early.
func markdownCode(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '`':
			return '\''
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.TrimSpace(s) == "" {
		return "` `"
	}
	return "`" + s + "`"
}

// markdownMessage renders a finding's message or fix: plain text in which
// spans between backticks are code. Text is escaped and code is rendered
// as code spans, so whatever a repository puts into either stays inert.
func markdownMessage(s string) string {
	parts := strings.Split(s, "`")
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 1 && i < len(parts)-1 {
			b.WriteString(markdownCode(p))
			continue
		}
		if i%2 == 1 {
			// An unpaired backtick: the rest is text.
			b.WriteString(markdownText("`" + p))
			continue
		}
		b.WriteString(markdownText(p))
	}
	return b.String()
}

// packageURL links a package's public page: anaconda.org for conda
// packages (in the channel their URL names), PyPI for PyPI packages.
func packageURL(manager, name, pkgURL string) string {
	if manager == "pypi" {
		return "https://pypi.org/project/" + pathEscape(name) + "/"
	}
	channel := "conda-forge"
	if u, err := url.Parse(pkgURL); err == nil && (u.Host == "conda.anaconda.org" || u.Host == "anaconda.org") {
		if segs := strings.Split(strings.Trim(u.Path, "/"), "/"); len(segs) >= 3 && segs[0] != "" {
			channel = segs[0]
		}
	}
	return "https://anaconda.org/" + pathEscape(channel) + "/" + pathEscape(name)
}

// pathEscape escapes a URL path segment, "@" included, so that nothing in
// a link reads as a mention.
func pathEscape(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), "@", "%40")
}
