package build

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// This file splits shell text into simple commands with mvdan.cc/sh/v3/syntax (bash). Every
// command counts: those in pipelines and lists, subshells, blocks, functions, conditionals,
// loops and command substitutions. Nothing is expanded: a word's value is its text with
// quotes and escapes removed ($'…' decoded), and $X, ${X}, $(…), $((…)) and `…` left as
// written. The parser recurses once per level of nesting, so it reads the text through a
// budget (shell_budget.go) that stops it before its stack could grow past a bound.

// word is one shell word.
type word struct {
	val  string // the word with quotes and escapes removed, expansions kept as written
	raw  string // the word as written
	line int    // line of its first character
	pos  int    // byte offset of its first character in the text it was read from
}

// stdinText is text a command reads on standard input: a here-document or a here-string.
type stdinText struct {
	text string
	line int // line of the text's first character
}

// simpleCommand is one command with its redirections removed.
type simpleCommand struct {
	words   []word
	stdin   []stdinText
	line    int // line of the first word
	endLine int // line where the last word or redirection ends
}

// shellError is a syntax error the shell would reject the text for, or text too large or
// too deeply nested to parse within the budget.
type shellError struct {
	line  int
	pos   int // offset of the command it is in
	msg   string
	limit bool // the text exceeds the budget: it was not checked, though it may be valid
}

func (e *shellError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// shellParsers holds a parser and buffers for each level of shell inside shell (sh -c,
// bash <<EOF), reused for every script of a scan. A level's parser is paused, between two
// top-level commands, while the commands it found run the next level.
type shellParsers [maxNesting + 1]shellLevel

type shellLevel struct {
	parser  *syntax.Parser
	budget  shellBudget
	conv    converter
	pending []*syntax.Stmt // top-level commands whose here-documents may not be read yet
	words   []word
	cmds    []simpleCommand
	sink    commandSink
	skip    int // commands not to pass on again: passed on before the text was parsed again
	passed  int
}

// commandSink receives the simple commands split from shell text.
type commandSink interface{ command(simpleCommand) }

func newShellParser() *syntax.Parser { return syntax.NewParser(syntax.Variant(syntax.LangBash)) }

// maxHeredocRetries bounds how many here-documents without their delimiter one text may
// have. bash reads such a body to the end of the text; the parser reports it, so the text is
// parsed again with the delimiter added, and the commands already passed on are skipped.
const maxHeredocRetries = 4

// split passes sink each simple command of src, whose first line is firstLine, in the
// order they are written; a command's here-documents are read before it is passed on.
// Commands before a syntax error are passed on, as the shell runs them. With expressions,
// GitHub Actions' ${{ … }} expressions stand for text and are kept as written.
func (l *shellLevel) split(src string, firstLine int, expressions bool, sink commandSink) error {
	if cmds, ok := l.plain(src, firstLine); ok {
		for _, c := range cmds {
			sink.command(c)
		}
		return nil
	}
	l.sink = sink
	if l.parser == nil {
		l.parser = newShellParser()
	}
	parsed := src
	if expressions {
		parsed = maskExpressions(src)
	}
	l.passed = 0
	var beforeSubshells error // the error of the text before a "((" was read as "( ("
	subshells := 0
	for retry := 0; ; retry++ {
		l.skip = l.passed
		err := l.splitText(parsed, src, firstLine)
		var pe syntax.ParseError
		if !errors.As(err, &pe) {
			if err != nil && beforeSubshells != nil {
				return beforeSubshells
			}
			return err
		}
		failed := &shellError{line: (&converter{src: src, first: firstLine}).lineAt(offset(pe.Pos)), pos: offset(pe.Pos), msg: shellMessage(pe.Text)}
		if at, ok := nestedSubshells(parsed, offset(pe.Pos)); ok && subshells < maxSubshellRetries {
			subshells++
			if beforeSubshells == nil {
				beforeSubshells = failed
			}
			parsed = parsed[:at+1] + " " + parsed[at+1:]
			src = src[:at+1] + " " + src[at+1:]
			continue
		}
		stop, ok := strings.CutPrefix(pe.Text, "unclosed here-document ")
		if ok {
			stop, err = strconv.Unquote(stop)
		}
		if !ok || err != nil || retry == maxHeredocRetries {
			return cmp.Or[error](beforeSubshells, failed)
		}
		parsed += "\n" + stop + "\n"
		src += "\n" + stop + "\n"
	}
}

// maxSubshellRetries bounds how many "((" of one text are read again as two subshells.
const maxSubshellRetries = 4

// nestedSubshells finds the "((" that opens the arithmetic command in which parsing
// failed at off, when it is not closed by "))" before off: bash then reads it as two
// subshells ("((cd a) | cat)"), and dash, the /bin/sh of Debian's images, always does.
// A "$((" expansion is arithmetic whatever it holds.
func nestedSubshells(src string, off int) (int, bool) {
	off = min(off, len(src))
	at := strings.LastIndex(src[:off], "((")
	if at < 0 || (at > 0 && src[at-1] == '$') || strings.Contains(src[at+2:off], "))") {
		return 0, false
	}
	return at, true
}

// splitText splits parsed, src with its expressions masked, into commands one top-level
// command at a time. A command is passed on once a newline follows it, when the parser has
// read its here-documents.
func (l *shellLevel) splitText(parsed, src string, firstLine int) error {
	l.budget = shellBudget{src: parsed, wordStart: -1}
	l.conv = converter{src: src, first: firstLine}
	l.pending = l.pending[:0]
	var parseErr error
	for stmt, err := range l.parser.StmtsSeq(&l.budget) {
		// The sequence may yield its error twice, and panics if the loop stopped after the
		// first, so the loop runs to its end.
		if err != nil || parseErr != nil {
			parseErr = cmp.Or(parseErr, err)
			continue
		}
		l.budget.settleCost(offset(stmt.End()))
		if n := len(l.pending); n > 0 && strings.Contains(parsed[offset(l.pending[n-1].End()):offset(stmt.Pos())], "\n") {
			l.flush()
		}
		l.pending = append(l.pending, stmt)
	}
	if l.budget.err != nil {
		start := commandStart(parsed, l.budget.costFrom)
		return &shellError{line: l.conv.lineAt(start), pos: start, msg: l.budget.err.Error(), limit: true}
	}
	if parseErr != nil {
		return parseErr
	}
	l.flush()
	return nil
}

// flush converts the pending top-level commands and passes their simple commands on.
func (l *shellLevel) flush() {
	l.words, l.cmds = l.words[:0], l.cmds[:0]
	end := 0
	for _, s := range l.pending {
		l.conv.commands(s, l)
		end = offset(s.End())
	}
	clear(l.pending) // the syntax trees can go
	l.pending = l.pending[:0]
	l.budget.settleNodes(end)
	for _, cmd := range l.cmds {
		if l.skip > 0 {
			l.skip--
			continue
		}
		l.passed++
		l.sink.command(cmd)
	}
}

// commandStart returns where the command after offset from starts: past blanks, command
// separators and comments.
func commandStart(text string, from int) int {
	for from < len(text) {
		switch text[from] {
		case ' ', '\t', '\r', '\n', ';', '&':
			from++
		case '#':
			end := strings.IndexByte(text[from:], '\n')
			if end < 0 {
				return len(text)
			}
			from += end
		default:
			return from
		}
	}
	return from
}

// maskExpressions replaces each ${{ … }} with a parameter expansion of the same length,
// ${___}, which the parser reads as one part of a word wherever the expression stands.
func maskExpressions(src string) string {
	var b []byte
	for i := 0; ; {
		start := strings.Index(src[i:], "${{")
		if start < 0 {
			break
		}
		start += i
		end := strings.Index(src[start+3:], "}}")
		if end < 0 {
			break
		}
		end += start + 5
		if b == nil {
			b = []byte(src)
		}
		b[start+1] = '{'
		for j := start + 2; j < end-1; j++ {
			b[j] = '_'
		}
		b[end-1] = '}'
		i = end
	}
	if b == nil {
		return src
	}
	return string(b)
}

// shellMessage words the parser's error messages for unterminated text as the shell's
// users know them.
func shellMessage(msg string) string {
	if q, ok := strings.CutPrefix(msg, "reached EOF without closing quote "); ok {
		switch q {
		case "`'`":
			return "unterminated single quote"
		case "`\"`":
			return "unterminated double quote"
		case `"` + "`" + `"`:
			return "unterminated ` … `"
		}
	}
	var open, closer string
	if n, _ := fmt.Sscanf(msg, "reached EOF without matching %s with %s", &open, &closer); n == 2 {
		return "unterminated " + strings.Trim(open, "`") + " … " + strings.Trim(closer, "`")
	}
	return msg
}

// converter turns the parser's syntax trees into simple commands.
type converter struct {
	src   string
	first int // the line of src's first line
	off   int // the offset whose line is known
	line  int // lines before off
}

// lineAt returns the line of byte off. The offsets asked for mostly grow, so it counts
// from the last one asked for.
func (c *converter) lineAt(off int) int {
	if off >= c.off {
		c.line += strings.Count(c.src[c.off:off], "\n")
	} else {
		c.line -= strings.Count(c.src[off:c.off], "\n")
	}
	c.off = off
	return c.first + c.line
}

func offset(p syntax.Pos) int { return int(p.Offset()) }

// commands appends the simple commands of s and of everything nested in it to l.cmds.
func (c *converter) commands(s *syntax.Stmt, l *shellLevel) {
	syntax.Walk(s, func(n syntax.Node) bool {
		st, ok := n.(*syntax.Stmt)
		if !ok {
			return true
		}
		call, ok := st.Cmd.(*syntax.CallExpr)
		if !ok {
			return true
		}
		start, end := len(l.words), 0
		for _, a := range call.Assigns {
			from, to := offset(a.Pos()), offset(a.End())
			if a.Value == nil && a.Array == nil && !a.Naked && to < len(c.src) && c.src[to] == '=' {
				to++ // NAME+= with no value ends before its =
			}
			raw, val := c.src[from:to], c.src[from:to]
			if a.Value != nil && a.Array == nil { // NAME=value: the value without its quotes
				val = c.src[from:offset(a.Value.Pos())] + c.value(a.Value.Parts)
			}
			l.words = append(l.words, word{val: val, raw: raw, line: c.lineAt(from), pos: from})
			end = max(end, to)
		}
		for _, w := range call.Args {
			l.words = append(l.words, c.word(w))
			end = max(end, offset(w.End()))
		}
		cmd := simpleCommand{words: l.words[start:len(l.words):len(l.words)]}
		for _, r := range st.Redirs {
			if r.Word != nil {
				end = max(end, offset(r.Word.End()))
			}
			switch {
			case (r.Op == syntax.Hdoc || r.Op == syntax.DashHdoc) && r.Hdoc != nil:
				cmd.stdin = append(cmd.stdin, stdinText{text: c.heredoc(r.Hdoc), line: c.lineAt(offset(r.Hdoc.Pos()))})
			case r.Op == syntax.WordHdoc:
				w := c.word(r.Word)
				cmd.stdin = append(cmd.stdin, stdinText{text: w.val, line: w.line})
			}
		}
		cmd.line = c.lineAt(offset(call.Pos()))
		cmd.endLine = c.lineAt(end)
		l.cmds = append(l.cmds, cmd)
		return true
	})
}

// word converts one word.
func (c *converter) word(w *syntax.Word) word {
	from, to := offset(w.Pos()), offset(w.End())
	raw := c.src[from:to]
	return word{val: c.value(w.Parts), raw: raw, line: c.lineAt(from), pos: from}
}

// value is a word's text with quotes and escapes removed and expansions as written.
func (c *converter) value(parts []syntax.WordPart) string {
	if len(parts) == 1 {
		switch p := parts[0].(type) {
		case *syntax.Lit:
			if !strings.Contains(p.Value, `\`) {
				return p.Value
			}
		case *syntax.SglQuoted:
			if !p.Dollar {
				return c.src[offset(p.Left)+1 : offset(p.Right)]
			}
		}
	}
	var b strings.Builder
	c.writeParts(&b, parts, false)
	return b.String()
}

func (c *converter) writeParts(b *strings.Builder, parts []syntax.WordPart, quoted bool) {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			writeUnescaped(b, p.Value, quoted)
		case *syntax.SglQuoted:
			if p.Dollar {
				b.WriteString(ansiC(p.Value))
			} else {
				b.WriteString(c.src[offset(p.Left)+1 : offset(p.Right)])
			}
		case *syntax.DblQuoted:
			c.writeParts(b, p.Parts, true)
		default:
			b.WriteString(c.src[offset(p.Pos()):offset(p.End())])
		}
	}
}

// heredoc is the body of a here-document, expansions as written.
func (c *converter) heredoc(w *syntax.Word) string {
	if len(w.Parts) == 1 {
		if lit, ok := w.Parts[0].(*syntax.Lit); ok {
			return lit.Value
		}
	}
	var b strings.Builder
	for _, p := range w.Parts {
		if lit, ok := p.(*syntax.Lit); ok {
			b.WriteString(lit.Value)
		} else {
			b.WriteString(c.src[offset(p.Pos()):offset(p.End())])
		}
	}
	return b.String()
}

// writeUnescaped writes a literal with its backslashes removed: every one outside double
// quotes, and inside them those before $, `, ", \ and a newline.
func writeUnescaped(b *strings.Builder, lit string, quoted bool) {
	for i := 0; i < len(lit); i++ {
		if lit[i] != '\\' || i+1 == len(lit) {
			b.WriteByte(lit[i])
			continue
		}
		next := lit[i+1]
		switch {
		case next == '\n':
			i++
		case !quoted || strings.IndexByte("$`\"\\", next) >= 0:
			b.WriteByte(next)
			i++
		default:
			b.WriteByte('\\')
		}
	}
}

// ansiC decodes the body of a $'…' string as bash does for the escapes scripts use
// (\n, \t, \\, \', \", \e, octal, \x, \u, \U); an unknown escape stays as written.
func ansiC(body string) string {
	var b strings.Builder
	for i := 0; i < len(body); {
		if body[i] != '\\' || i+1 == len(body) {
			b.WriteByte(body[i])
			i++
			continue
		}
		switch body[i+1] {
		case 'e', 'E':
			b.WriteByte(0x1b)
			i += 2
			continue
		case '\'':
			b.WriteByte('\'')
			i += 2
			continue
		}
		r, _, tail, err := strconv.UnquoteChar(body[i:], 0)
		if err != nil {
			b.WriteString(body[i : i+2])
			i += 2
			continue
		}
		b.WriteRune(r)
		i = len(body) - len(tail)
	}
	return b.String()
}
