package build

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// This file turns Dockerfile text into instructions with BuildKit's own parser
// (github.com/moby/buildkit/frontend/dockerfile/parser), so that parser directives, the
// escape character, continuations, comment and blank lines inside a continued instruction,
// JSON-form arguments and here-documents (RUN, COPY and ADD, also inside ONBUILD) are read
// exactly as Docker reads them. The parser only splits the text; it does no I/O.

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

// heredocPattern matches a word that opens a here-document (<<EOF, <<-"EOF", 3<<EOF).
var heredocPattern = regexp.MustCompile(`^\d*<<(-?)([^<]*)$`)

// readInstructions parses Dockerfile text into instructions, and returns the escape
// character its directives set. A file without instructions yields none. Errors carry the
// file's path and line.
func readInstructions(path, src string) ([]instruction, byte, error) {
	if n := strings.Count(src, "\n"); n > maxDockerfileLines {
		// BuildKit's errors list every line an instruction spans, 32 bytes each: an
		// unterminated here-document in 8 MB of empty lines took 1.5 GB.
		return nil, 0, &ParseError{Path: path, Msg: fmt.Sprintf("the Dockerfile has %d lines; the limit is %d", n, maxDockerfileLines)}
	}
	if line, ok := lineWithin(src, maxDockerfileLine); !ok {
		// BuildKit stops reading at such a line, and reports a file whose first line is
		// one as having no instructions; docker build refuses the file either way.
		return nil, 0, &ParseError{Path: path, Line: line, Msg: fmt.Sprintf("the line is longer than %d bytes, the most docker build reads", maxDockerfileLine)}
	}
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil {
		msg, line := err.Error(), 0
		if msg == "file with no instructions" {
			return nil, '\\', nil
		}
		var le *parser.LocationError
		if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			line = le.Locations[0][0].Start.Line
		}
		if directiveError(msg) {
			line++ // BuildKit places parser-directive errors on 0-based lines, the others on 1-based ones
		}
		return nil, 0, &ParseError{Path: path, Line: line, Msg: msg}
	}
	out := make([]instruction, 0, len(res.AST.Children))
	for _, n := range res.AST.Children {
		in := splitInstruction(n.Original)
		in.line, in.endLine = n.StartLine, n.EndLine
		for _, h := range n.Heredocs {
			in.heredocs = append(in.heredocs, heredoc{name: h.Name, chomp: h.Chomp, content: h.Content})
		}
		out = append(out, in)
	}
	return out, byte(res.EscapeToken), nil
}

// maxDockerfileLine is the longest line BuildKit's parser reads (bufio.MaxScanTokenSize
// less the line end).
const maxDockerfileLine = bufio.MaxScanTokenSize - 1

// maxDockerfileLines bounds the lines of a Dockerfile; real ones have hundreds.
const maxDockerfileLines = 1 << 17

// lineWithin reports whether every line of src is at most max bytes long, and if not,
// the 1-based line of the first that is longer.
func lineWithin(src string, max int) (int, bool) {
	for line := 1; src != ""; line++ {
		i := strings.IndexByte(src, '\n')
		if i < 0 {
			i = len(src)
		}
		if i > max {
			return line, false
		}
		src = src[min(i+1, len(src)):]
	}
	return 0, true
}

// directiveError reports whether a BuildKit parser error is about a parser directive.
func directiveError(msg string) bool {
	return strings.HasPrefix(msg, "invalid escape token") ||
		(strings.HasPrefix(msg, "only one ") && strings.HasSuffix(msg, " parser directive can be used"))
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
