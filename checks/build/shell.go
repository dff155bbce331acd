package build

import (
	"fmt"
	"strconv"
	"strings"
)

// This file splits POSIX shell text into simple commands. It understands quoting, escapes,
// line continuations, comments, command and parameter substitutions (kept as written),
// control operators, redirections, here-documents and here-strings. It does not expand
// anything: a word's value is its text with quotes and escapes removed ($'…' decoded), and
// $X, ${X}, $(…) and `…` left as they are.
//
// It is not mvdan.cc/sh/v3/syntax because that parser recurses once per level of nesting,
// with no bound, and the text here comes from pull requests: measured with v3.14.1, 100,000
// nested ( (200 KB) took 512 MB of goroutine stack and 28 s, twice that depth overflows the
// 1 GB stack limit, which kills the process (Go cannot recover from it), and arithmetic
// (- - - 1), [[ ! ! a ]] and a=b=c chains recurse too, so no cheap count of brackets could
// guard it. This lexer keeps nesting on an explicit stack: memory linear in the input and
// no recursion (TestDeepNesting).

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

// simpleCommand is one command between control operators, with redirections removed.
type simpleCommand struct {
	words   []word
	stdin   []stdinText
	line    int // line of the first word
	endLine int // line where the last word ends
}

// shellError is a syntax error the shell would reject the text for.
type shellError struct {
	line int
	msg  string
}

func (e *shellError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

type pendingHeredoc struct {
	delim     string
	stripTabs bool
	cmd       int // index of the owning command in lexer.cmds
}

type lexer struct {
	src     string
	pos     int
	line    int
	cmds    []simpleCommand
	cur     simpleCommand
	curOwns bool // the current command opened a here-document
	pending []pendingHeredoc
}

// splitCommands splits shell text into simple commands. firstLine is the line number of the
// text's first line. Here-document bodies are attached to the command that reads them.
func splitCommands(src string, firstLine int) ([]simpleCommand, error) {
	l := &lexer{src: src, line: firstLine}
	if err := l.run(); err != nil {
		return nil, err
	}
	return l.cmds, nil
}

func (l *lexer) run() error {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
		case c == '\\' && l.peek(1) == '\n':
			l.pos += 2
			l.line++
		case c == '#':
			if i := strings.IndexByte(l.src[l.pos:], '\n'); i >= 0 {
				l.pos += i
			} else {
				l.pos = len(l.src)
			}
		case c == '\n':
			l.pos++
			l.line++
			l.endCommand()
			l.readHeredocs()
		case c == ';' || c == '|' || c == '(' || c == ')':
			l.pos++
			l.endCommand()
		case c == '&':
			if l.peek(1) == '>' {
				if err := l.redirect(); err != nil {
					return err
				}
				continue
			}
			l.pos++
			l.endCommand()
		case c == '<' || c == '>' || (isDigit(c) && l.fdRedirect()):
			if err := l.redirect(); err != nil {
				return err
			}
		default:
			w, err := l.word()
			if err != nil {
				return err
			}
			l.addWord(w)
		}
	}
	l.endCommand()
	l.readHeredocs()
	return nil
}

func (l *lexer) peek(n int) byte {
	if l.pos+n < len(l.src) {
		return l.src[l.pos+n]
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// fdRedirect reports whether the digits at pos are a file descriptor before < or >.
func (l *lexer) fdRedirect() bool {
	i := l.pos
	for i < len(l.src) && isDigit(l.src[i]) {
		i++
	}
	return i < len(l.src) && (l.src[i] == '<' || l.src[i] == '>')
}

func (l *lexer) addWord(w word) {
	if len(l.cur.words) == 0 {
		l.cur.line = w.line
	}
	l.cur.words = append(l.cur.words, w)
	l.cur.endLine = l.line
}

func (l *lexer) endCommand() {
	if len(l.cur.words) > 0 || len(l.cur.stdin) > 0 || l.curOwns {
		if l.cur.line == 0 {
			l.cur.line = l.line
		}
		l.cmds = append(l.cmds, l.cur)
	}
	l.cur = simpleCommand{}
	l.curOwns = false
}

// redirect consumes a redirection operator and its target word.
func (l *lexer) redirect() error {
	for isDigit(l.src[l.pos]) {
		l.pos++
	}
	rest := l.src[l.pos:]
	var op string
	for _, o := range []string{"<<<", "<<-", "<<", "<>", "<&", "<", "&>>", "&>", ">>", ">&", ">|", ">"} {
		if strings.HasPrefix(rest, o) {
			op = o
			break
		}
	}
	l.pos += len(op)
	for l.pos < len(l.src) && (l.src[l.pos] == ' ' || l.src[l.pos] == '\t') {
		l.pos++
	}
	if l.pos >= len(l.src) || strings.IndexByte(" \t\n;&|()<>", l.src[l.pos]) >= 0 {
		return nil // no target: the shell reports it when it runs; nothing to record
	}
	if len(l.cur.words) == 0 && l.cur.line == 0 {
		l.cur.line = l.line
	}
	target, err := l.word()
	if err != nil {
		return err
	}
	l.cur.endLine = l.line
	switch op {
	case "<<", "<<-":
		if target.val != "" {
			l.pending = append(l.pending, pendingHeredoc{delim: target.val, stripTabs: op == "<<-", cmd: len(l.cmds)})
			l.curOwns = true
		}
	case "<<<":
		l.cur.stdin = append(l.cur.stdin, stdinText{text: target.val, line: target.line})
	}
	return nil
}

// readHeredocs reads the bodies of the here-documents opened on the line just ended. A body
// that reaches the end of the text without its delimiter ends there, as in bash.
func (l *lexer) readHeredocs() {
	pending := l.pending
	l.pending = nil
	for _, h := range pending {
		start, startLine := l.pos, l.line
		end := len(l.src)
		for l.pos < len(l.src) {
			lineEnd := strings.IndexByte(l.src[l.pos:], '\n')
			next := len(l.src)
			text := l.src[l.pos:]
			if lineEnd >= 0 {
				text = text[:lineEnd]
				next = l.pos + lineEnd + 1
			}
			if h.stripTabs {
				text = strings.TrimLeft(text, "\t")
			}
			if text == h.delim {
				end = l.pos
				l.pos = next
				l.line++
				break
			}
			l.pos = next
			l.line++
		}
		body := stdinText{text: l.src[start:end], line: startLine}
		if h.cmd < len(l.cmds) {
			l.cmds[h.cmd].stdin = append(l.cmds[h.cmd].stdin, body)
		}
	}
}

// word reads one word starting at pos.
func (l *lexer) word() (word, error) {
	start, startLine := l.pos, l.line
	var val strings.Builder
	plain := true // val equals the raw text so far
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if strings.IndexByte(" \t\n;&|<>()", c) >= 0 {
			break
		}
		switch c {
		case '\\':
			plain = false
			switch {
			case l.peek(1) == '\n':
				l.pos += 2
				l.line++
			case l.pos+1 < len(l.src):
				val.WriteByte(l.src[l.pos+1])
				l.pos += 2
			default:
				l.pos++
			}
		case '\'':
			plain = false
			end := strings.IndexByte(l.src[l.pos+1:], '\'')
			if end < 0 {
				return word{}, &shellError{line: l.line, msg: "unterminated single quote"}
			}
			s := l.src[l.pos+1 : l.pos+1+end]
			val.WriteString(s)
			l.line += strings.Count(s, "\n")
			l.pos += end + 2
		case '"':
			plain = false
			if err := l.doubleQuoted(&val); err != nil {
				return word{}, err
			}
		case '$', '`':
			from := l.pos
			if err := l.expansion(); err != nil {
				return word{}, err
			}
			if text, ok := strings.CutPrefix(l.src[from:l.pos], "$'"); ok {
				plain = false
				val.WriteString(ansiC(strings.TrimSuffix(text, "'")))
				continue
			}
			val.WriteString(l.src[from:l.pos])
		default:
			val.WriteByte(c)
			l.pos++
		}
	}
	raw := l.src[start:l.pos]
	v := val.String()
	if plain {
		v = raw
	}
	return word{val: v, raw: raw, line: startLine, pos: start}, nil
}

// doubleQuoted reads a "…" string at pos into val.
func (l *lexer) doubleQuoted(val *strings.Builder) error {
	openLine := l.line
	l.pos++
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch c {
		case '"':
			l.pos++
			return nil
		case '\\':
			next := l.peek(1)
			switch next {
			case '\n':
				l.pos += 2
				l.line++
			case '$', '`', '"', '\\':
				val.WriteByte(next)
				l.pos += 2
			default:
				val.WriteByte(c)
				l.pos++
			}
		case '$', '`':
			from := l.pos
			if err := l.expansion(); err != nil {
				return err
			}
			val.WriteString(l.src[from:l.pos])
		default:
			if c == '\n' {
				l.line++
			}
			val.WriteByte(c)
			l.pos++
		}
	}
	return &shellError{line: openLine, msg: "unterminated double quote"}
}

// expansion skips a $… or `…` construct at pos.
func (l *lexer) expansion() error {
	if l.src[l.pos] == '`' {
		l.pos++
		return l.skipNested('`')
	}
	switch l.peek(1) {
	case '(':
		l.pos += 2
		return l.skipNested(')')
	case '{':
		l.pos += 2
		return l.skipNested('}')
	case '\'':
		openLine := l.line
		l.pos += 2
		for l.pos < len(l.src) {
			switch l.src[l.pos] {
			case '\\':
				l.pos += 2
				continue
			case '\'':
				l.pos++
				return nil
			case '\n':
				l.line++
			}
			l.pos++
		}
		l.pos = len(l.src)
		return &shellError{line: openLine, msg: "unterminated $'…' string"}
	case '"':
		l.pos++ // $"…" is a translatable double-quoted string
		var discard strings.Builder
		return l.doubleQuoted(&discard)
	}
	l.pos++
	for l.pos < len(l.src) && isNameByte(l.src[l.pos]) {
		l.pos++
	}
	return nil
}

func isNameByte(c byte) bool {
	return c == '_' || isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// skipNested skips to the end of a construct whose closing byte is closer: ) for $( … ),
// } for ${ … }, ` for backquotes. Nested quotes and substitutions are followed with an
// explicit stack, so deep nesting costs memory linear in the input, not recursion.
func (l *lexer) skipNested(closer byte) error {
	openLine := l.line
	stack := []byte{closer}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		top := stack[len(stack)-1]
		if c == '\n' {
			l.line++
		}
		switch top {
		case '"':
			switch c {
			case '\\':
				l.skipEscape()
				continue
			case '"':
				stack = stack[:len(stack)-1]
			case '`':
				stack = append(stack, '`')
			case '$':
				if n := l.peek(1); n == '(' || n == '{' {
					stack = append(stack, closerOf(n))
					l.pos++
				}
			}
		case '`':
			switch c {
			case '\\':
				l.skipEscape()
				continue
			case '`':
				stack = stack[:len(stack)-1]
			}
		default:
			switch c {
			case '\\':
				l.skipEscape()
				continue
			case '\'':
				// An unmatched quote inside a substitution is read as a character: the
				// substitution may hold a here-document or comment with an apostrophe.
				if end := strings.IndexByte(l.src[l.pos+1:], '\''); end >= 0 {
					l.line += strings.Count(l.src[l.pos+1:l.pos+1+end], "\n")
					l.pos += end + 1
				}
			case '#':
				if top == ')' && (l.pos == 0 || strings.IndexByte(" \t\n;&|(", l.src[l.pos-1]) >= 0) {
					if end := strings.IndexByte(l.src[l.pos:], '\n'); end > 0 {
						l.pos += end - 1 // the newline is counted on the next turn
					}
				}
			case '"', '`':
				stack = append(stack, c)
			case '$':
				if n := l.peek(1); n == '(' || n == '{' {
					stack = append(stack, closerOf(n))
					l.pos++
				}
			case '(', '{':
				if closerOf(c) == top {
					stack = append(stack, top)
				}
			case ')', '}':
				if c == top {
					stack = stack[:len(stack)-1]
				}
			}
		}
		l.pos++
		if len(stack) == 0 {
			return nil
		}
	}
	what := map[byte]string{')': "$( … )", '}': "${ … }", '`': "` … `", '"': "double quote"}[closer]
	return &shellError{line: openLine, msg: "unterminated " + what}
}

func (l *lexer) skipEscape() {
	if l.peek(1) == '\n' {
		l.line++
	}
	l.pos += 2
	if l.pos > len(l.src) {
		l.pos = len(l.src)
	}
}

func closerOf(open byte) byte {
	if open == '(' {
		return ')'
	}
	return '}'
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
