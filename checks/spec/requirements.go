package spec

import "strings"

// ParseRequirements reads a hand-written pip requirements file
// (requirements.in, or a requirements*.txt that is not a lock), as pip
// reads one: a line ending in "\" continues on the next, a "#" at the start
// of a line or after white space starts a comment (a comment line never
// continues), -r and -c name other files (Includes), -e names an editable
// source (a Local requirement), other global options are ignored, and each
// remaining line is a PEP 508 requirement, a URL or a path. A requirement's
// Line is the first line of its logical line. See Parse for the error
// contract.
func ParseRequirements(path string, data []byte) (*Spec, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, err
	}
	s := &Spec{Path: path, Kind: Requirements}
	probs := problems{path: path}
	for _, l := range logicalLines(src) {
		pl := parsePipLine(l.text)
		switch {
		case pl.err != "":
			probs.add(l.line, "%s", pl.err)
		case pl.include != "":
			s.Includes = append(s.Includes, pl.include)
		case pl.req != nil:
			pl.req.Line = l.line
			s.Requirements = append(s.Requirements, *pl.req)
		}
	}
	return probs.result(s)
}

// logicalLine is a requirements line after joining continuations and
// removing its comment; line is where it starts.
type logicalLine struct {
	line int
	text string
}

// logicalLines splits a requirements file into logical lines, as pip's
// join_lines and ignore_comments do. Blank results are dropped.
func logicalLines(src string) []logicalLine {
	var out []logicalLine
	var joined strings.Builder
	continuing, start := false, 0
	for i, l := range strings.Split(src, "\n") {
		l = strings.TrimSuffix(l, "\r")
		comment := isCommentLine(l)
		if !continuing {
			start = i + 1
		}
		if !comment && strings.HasSuffix(l, `\`) {
			joined.WriteString(strings.TrimRight(l, `\`))
			continuing = true
			continue
		}
		if continuing {
			if !comment {
				joined.WriteString(l)
			}
			l = joined.String()
			joined.Reset()
			continuing = false
		}
		if t := strings.TrimSpace(stripComment(l)); t != "" {
			out = append(out, logicalLine{line: start, text: t})
		}
	}
	if t := strings.TrimSpace(stripComment(joined.String())); t != "" {
		out = append(out, logicalLine{line: start, text: t}) // the last line ended in "\"
	}
	return out
}

// isCommentLine reports whether a line is only a comment.
func isCommentLine(l string) bool {
	return strings.HasPrefix(strings.TrimLeft(l, " \t"), "#")
}

// stripComment removes a comment: "#" at the start or after white space
// up to the end of the line. A "#" inside a word (a URL fragment) stays.
func stripComment(l string) string {
	for i := 0; i < len(l); i++ {
		if l[i] == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t') {
			return l[:i]
		}
	}
	return l
}
