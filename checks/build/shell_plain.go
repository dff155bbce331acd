package build

import "strings"

// Most RUN lines and script lines are plain: words of letters, digits and -_./=:,+@%
// between blanks and the operators && || ; | & and newlines. For such text the parser
// would find exactly the words between the operators, so plain splits it without the
// parser and its per-text allocations. Anything else (quotes, expansions, escapes,
// comments, redirections, brackets, a reserved word, an operator where a word belongs)
// goes to the parser.

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
	for _, c := range "-_./=:,+@%" {
		t[c] = true
	}
	return t
}()

// reservedWords are the words the shell reads as syntax where a command starts.
var reservedWords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"case": true, "esac": true, "while": true, "until": true, "for": true, "in": true,
	"select": true, "function": true, "time": true, "coproc": true,
}

// plain splits plain text into commands, and reports false for text that is not plain.
func (l *shellLevel) plain(src string, firstLine int) ([]simpleCommand, bool) {
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
		case plainByte[c]:
			j := i
			for j < len(src) && plainByte[src[j]] {
				j++
			}
			w := src[i:j]
			if len(l.words) == maxPlainWords || (len(l.words) == start && reservedWords[w]) {
				return nil, false
			}
			l.words = append(l.words, word{val: w, raw: w, line: line, pos: i})
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
