package build

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// This file turns Dockerfile text into instructions the way BuildKit's parser does: parser
// directives at the top, the escape character (\ or `) ending a line to continue it, comment
// and blank lines inside a continued instruction dropped, case-insensitive keywords, leading
// --flags, and here-documents read after the line that opens them (RUN, COPY and ADD in shell
// form, also inside ONBUILD).

// instruction is one Dockerfile instruction.
type instruction struct {
	keyword  string // lower-case instruction name
	args     string // the text after the keyword and its --flags, continuations joined
	line     int    // first line
	endLine  int    // last line, here-document bodies included
	heredocs []heredoc
}

// heredoc is a here-document of an instruction.
type heredoc struct {
	name    string // the delimiter, quotes removed
	chomp   bool   // <<- strips leading tabs
	content string // body lines, each ending in a newline
}

// execForm returns the arguments of an exec-form (JSON array) instruction.
func (in instruction) execForm() ([]string, bool) {
	if !strings.HasPrefix(in.args, "[") {
		return nil, false
	}
	var argv []string
	if json.Unmarshal([]byte(in.args), &argv) != nil {
		return nil, false
	}
	return argv, true
}

var (
	directivePattern = regexp.MustCompile(`^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`)
	heredocPattern   = regexp.MustCompile(`^\d*<<(-?)([^<]*)$`)
)

// knownDirectives are the parser directives BuildKit reads; any other comment ends them.
var knownDirectives = map[string]bool{"escape": true, "syntax": true, "check": true}

// directives tracks parser directives while the top of a Dockerfile is read.
type directives struct {
	escape byte
	done   bool
	seen   map[string]bool
}

// consider reads a parser directive from a line, if directives are still being read.
func (d *directives) consider(line string) error {
	if d.done {
		return nil
	}
	m := directivePattern.FindStringSubmatch(line)
	if m == nil || !knownDirectives[strings.ToLower(m[1])] {
		d.done = true
		return nil
	}
	key := strings.ToLower(m[1])
	if d.seen[key] {
		return fmt.Errorf("only one %s parser directive can be used", key)
	}
	d.seen[key] = true
	if key == "escape" {
		if m[2] != `\` && m[2] != "`" {
			return fmt.Errorf("invalid escape character %q: it must be \\ or `", m[2])
		}
		d.escape = m[2][0]
	}
	return nil
}

// lines iterates over the physical lines of a text.
type lines struct {
	src string
	pos int
	n   int // number of the line last returned
}

func (ls *lines) next() (string, bool) {
	if ls.pos >= len(ls.src) {
		return "", false
	}
	ls.n++
	rest := ls.src[ls.pos:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		ls.pos += i + 1
		return strings.TrimSuffix(rest[:i], "\r"), true
	}
	ls.pos = len(ls.src)
	return strings.TrimSuffix(rest, "\r"), true
}

func isCommentLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t\v\f\r"), "#")
}

func isBlank(line string) bool {
	return strings.TrimLeft(line, " \t\v\f\r") == ""
}

// continued removes a trailing escape character (and the blanks after it) that continues a
// line. An escape character that is itself escaped does not continue the line.
func continued(line string, escape byte) (string, bool) {
	t := strings.TrimRight(line, " \t")
	n := len(t)
	if n == 0 || t[n-1] != escape {
		return line, false
	}
	if n >= 2 && t[n-2] == escape {
		return line, false
	}
	return t[:n-1], true
}

// readInstructions parses Dockerfile text into instructions, and returns the escape
// character its directives set. Errors carry the file's path.
func readInstructions(path, src string) ([]instruction, byte, error) {
	d := &directives{escape: '\\', seen: map[string]bool{}}
	ls := &lines{src: src}
	var out []instruction
	for {
		first, ok := ls.next()
		if !ok {
			return out, d.escape, nil
		}
		first = strings.TrimLeft(first, " \t\v\f\r")
		if err := d.consider(first); err != nil {
			return nil, 0, &ParseError{Path: path, Line: ls.n, Msg: err.Error()}
		}
		if strings.HasPrefix(first, "#") {
			first = ""
		}
		start := ls.n
		body, more := continued(first, d.escape)
		if !more && body == "" {
			continue
		}
		var b strings.Builder
		b.WriteString(body)
		for more {
			next, ok := ls.next()
			if !ok {
				break
			}
			if err := d.consider(next); err != nil {
				return nil, 0, &ParseError{Path: path, Line: ls.n, Msg: err.Error()}
			}
			if isCommentLine(next) || isBlank(next) {
				continue
			}
			body, more = continued(next, d.escape)
			b.WriteString(body)
		}
		in := splitInstruction(b.String())
		in.line = start
		if err := in.readHeredocs(ls, d.escape); err != nil {
			return nil, 0, &ParseError{Path: path, Line: start, Msg: err.Error()}
		}
		in.endLine = ls.n
		out = append(out, in)
	}
}

// splitInstruction splits a logical line into keyword and arguments, dropping the leading
// --flags (RUN --mount=…, FROM --platform=…), which say nothing about packages or images.
func splitInstruction(line string) instruction {
	line = strings.TrimSpace(line)
	keyword, args, _ := strings.Cut(line, " ")
	if i := strings.IndexAny(keyword, "\t\v\f"); i >= 0 {
		keyword, args = line[:i], line[i+1:]
	}
	in := instruction{keyword: strings.ToLower(keyword)}
	args = strings.TrimLeft(args, " \t\v\f")
	for strings.HasPrefix(args, "--") {
		args = strings.TrimLeft(args[wordEnd(args):], " \t\v\f")
	}
	in.args = args
	return in
}

// wordEnd returns the end of the first whitespace-delimited word of s, quotes respected.
func wordEnd(s string) int {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ' ' || c == '\t' || c == '\v' || c == '\f':
			return i
		}
	}
	return len(s)
}

// dockerWords splits instruction arguments into words on unquoted blanks, keeping quotes
// and escapes as written.
func dockerWords(s string, escape byte) []string {
	var words []string
	var quote byte
	start := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if start < 0 {
			if c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n' {
				continue
			}
			start = i
		}
		switch {
		case c == escape && quote != '\'':
			i++
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n':
			words = append(words, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words
}

// unquote removes quotes and escape characters from a Dockerfile word.
func unquote(w string, escape byte) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == escape && quote != '\'' && i+1 < len(w):
			i++
			b.WriteByte(w[i])
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// heredocKeywords are the instructions whose shell form may open here-documents.
var heredocKeywords = map[string]bool{"run": true, "copy": true, "add": true}

// readHeredocs reads the bodies of the here-documents an instruction opens, in order.
func (in *instruction) readHeredocs(ls *lines, escape byte) error {
	target := *in
	if in.keyword == "onbuild" {
		target = splitInstruction(in.args)
	}
	if !heredocKeywords[target.keyword] {
		return nil
	}
	if _, exec := target.execForm(); exec {
		return nil
	}
	for _, w := range dockerWords(target.args, escape) {
		m := heredocPattern.FindStringSubmatch(w)
		if m == nil || m[2] == "" {
			continue
		}
		name := unquote(m[2], escape)
		if name == "" || len(dockerWords(name, escape)) != 1 {
			continue
		}
		h := heredoc{name: name, chomp: m[1] == "-"}
		var body strings.Builder
		terminated := false
		for {
			line, ok := ls.next()
			if !ok {
				break
			}
			candidate := line
			if h.chomp {
				candidate = strings.TrimLeft(candidate, "\t")
			}
			if candidate == name {
				terminated = true
				break
			}
			body.WriteString(line)
			body.WriteByte('\n')
		}
		if !terminated {
			return fmt.Errorf("unterminated here-document: no line %q closes <<%s", name, m[2])
		}
		h.content = body.String()
		in.heredocs = append(in.heredocs, h)
	}
	return nil
}
