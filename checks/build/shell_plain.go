package build

import (
	"strings"
	"unicode/utf8"
)

// Most RUN lines and script lines are plain: words of letters, digits, -_./=:,+@%*?[]~^,
// escaped characters, $NAME and ${NAME}, and quoted text without other expansions or
// escapes, between blanks and the operators && || ; | & and newlines. For such text the parser would find exactly the words between
// the operators, so plain splits it without the parser and its per-text allocations.
// Anything else (expansions, escapes, comments, redirections, brackets and braces, a
// reserved word, an operator where a word belongs) goes to the parser.

// maxPlainWords bounds the words plain keeps; longer text goes to the parser, which
// passes commands on as it reads them.
const maxPlainWords = 1 << 16

// plainByte marks the bytes a plain word may hold.
var plainByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_./=:,+@%*?[]~^" {
		t[c] = true
	}
	return t
}()

// reservedWords are the words the parser reads as syntax where a command starts:
// reserved words, and the declarations and let, whose arguments it parses.
var reservedWords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"case": true, "esac": true, "while": true, "until": true, "for": true, "in": true,
	"select": true, "function": true, "time": true, "coproc": true, "[[": true, "]]": true,
	"declare": true, "local": true, "export": true, "readonly": true, "typeset": true, "nameref": true, "let": true,
}

// plain splits plain text into commands, and reports false for text that is not plain.
func (l *shellLevel) plain(src string, firstLine int) ([]simpleCommand, bool) {
	if !utf8.ValidString(src) {
		return nil, false // the parser rejects it
	}
	l.words, l.cmds = l.words[:0], l.cmds[:0]
	line, start := firstLine, 0
	needCommand := false // after && || | |&, until a word
	end := func() bool {
		if len(l.words) == start {
			return false
		}
		ws := l.words[start:len(l.words):len(l.words)]
		l.cmds = append(l.cmds, simpleCommand{words: ws, line: ws[0].line, endLine: ws[len(ws)-1].line})
		start = len(l.words)
		return true
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == ' ' || c == '\t':
			i++
		case plainByte[c] || strings.IndexByte("'\"\\$", c) >= 0:
			j, val, ok := plainWord(src, i)
			w := src[i:j]
			if !ok || len(l.words) == maxPlainWords || (len(l.words) == start && reservedWords[w]) || nameIndex(w) ||
				(strings.IndexByte(w, '\\') >= 0 && strings.IndexByte(w, '=') >= 0) { // the parser may read it as an assignment
				return nil, false
			}
			l.words = append(l.words, word{val: val, raw: w, line: line, pos: i})
			needCommand = false
			i = j
		case c == '\n':
			if len(l.words) > start {
				end()
			}
			line++
			i++
		default:
			op := plainOperator(src[i:])
			if op == "" || !end() {
				return nil, false
			}
			needCommand = op != ";" && op != "&"
			i += len(op)
		}
	}
	if len(l.words) > start {
		end()
	} else if needCommand {
		return nil, false
	}
	return l.cmds, true
}

// plainOperator returns the control operator at the start of s, or "".
func plainOperator(s string) string {
	for _, op := range []string{"&&", "||", "|&", ";", "|", "&"} {
		if strings.HasPrefix(s, op) && !strings.HasPrefix(s, ";;") {
			return op
		}
	}
	return ""
}

// plainWord reads the word at src[i:]: plain bytes, \ and a character other than a
// newline, $NAME, $DIGIT and ${NAME}, '…' without a newline, and "…" without a newline,
// `, \ or another $. It returns the word's end and value, and false when the word is not
// plain.
func plainWord(src string, i int) (int, string, bool) {
	start, quoted := i, false
	var quote byte // the quote i is in
	for i < len(src) {
		c := src[i]
		switch {
		case c < ' ' && c != '\t' && c != '\n', c == 0x7f:
			return i, "", false // control characters: the parser drops some
		case quote == 0 && strings.IndexByte(" \t\n;&|", c) >= 0:
			return i, unquotePlain(src[start:i], quoted), true
		case c == '\n':
			return i, "", false
		case quote == '\'':
			if c == '\'' {
				quote = 0
			}
			i++
		case c == '$':
			n := plainExpansion(src[i:])
			if n == 0 {
				return i, "", false
			}
			i += n
		case quote == '"':
			switch c {
			case '"':
				quote = 0
			case '`', '\\':
				return i, "", false
			}
			i++
		case plainByte[c]:
			i++
		case c == '\'' || c == '"':
			quote, quoted = c, true
			i++
		case c == '\\':
			if i+1 == len(src) || src[i+1] < ' ' || src[i+1] == 0x7f {
				return i, "", false
			}
			quoted = true
			i += 2
		default:
			return i, "", false
		}
	}
	if quote != 0 {
		return i, "", false
	}
	return i, unquotePlain(src[start:i], quoted), true
}

// plainExpansion returns the length of the $NAME, $DIGIT or ${NAME} at the start of s,
// or 0.
func plainExpansion(s string) int {
	if len(s) > 1 && isDigit(s[1]) {
		return 2
	}
	braced := len(s) > 1 && s[1] == '{'
	from := 1
	if braced {
		from = 2
	}
	n := from
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	switch {
	case n == from || isDigit(s[from]):
		return 0
	case !braced:
		return n
	case n < len(s) && s[n] == '}':
		return n + 1
	}
	return 0
}

// unquotePlain returns a plain word's value: its quotes and escapes removed, when it has
// any.
func unquotePlain(w string, quoted bool) string {
	if !quoted {
		return w
	}
	var b strings.Builder
	var quote byte
	for i := 0; i < len(w); i++ {
		switch c := w[i]; {
		case quote == 0 && c == '\\':
			i++
			b.WriteByte(w[i])
		case quote == 0 && (c == '\'' || c == '"'):
			quote = c
		case c == quote:
			quote = 0
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// nameIndex reports whether w starts like an array element, NAME[, which the parser reads
// as an assignment where a command starts.
func nameIndex(w string) bool {
	i := 0
	for i < len(w) && isNameByte(w[i]) {
		i++
	}
	return i > 0 && i < len(w) && w[i] == '['
}
