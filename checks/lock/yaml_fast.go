package lock

import (
	"strings"
	"unicode/utf8"
)

// The fast reader accepts the block-style YAML that conda-lock and pixi
// write: block mappings and sequences (including compact "- key: value"
// items and sequences indented level with their parent key), one-line plain,
// single-quoted and double-quoted scalars, the empty flow collections {} and
// [], comments, and one leading "---". For anything else (anchors, aliases,
// tags, block scalars, multi-line scalars, non-empty flow collections,
// tabs, directives, several documents, unusual characters) it declines, and
// parseYAML falls back to yaml.v3. Whenever it accepts a document, its tree
// equals the one built from yaml.v3's.
//
// It makes no allocation per scalar: plain and unescaped quoted scalars are
// substrings of the document.

const (
	maxFastDepth = 1000 // deeper nesting is left to yaml.v3, which limits it
	maxSimpleKey = 1000 // yaml.v3 refuses implicit keys longer than 1024 characters
)

type fastReader struct {
	src    string
	nodes  []node
	strs   []string
	depth  int
	full   bool // the document needs more than maxNodes nodes
	marker bool // a document marker ("---", "...") ended the content

	// The current content line (blank and comment lines are skipped).
	ok     bool  // false at the end of the document
	lineNo int32 // 1-based
	ls     int   // offset of the line's first byte
	ind    int   // indentation in spaces
	cs     int   // offset of the first non-space byte
	ce     int   // offset of the line's end, before "\r\n" or "\n"
	nl     int   // offset of the next line
}

// readFast reads src, or reports false when src is outside the subset.
func readFast(src string) (*tree, bool) {
	if !subsetText(src) {
		return nil, false
	}
	r := fastReader{src: src}
	// Real lockfiles need about two nodes a line. Between two calls of
	// advance, which stops at maxNodes, at most five nodes are added, so a
	// full tree never outgrows its first allocation.
	lines := strings.Count(src, "\n")
	r.nodes = newNodes(min(2*lines+lines/8, maxNodes) + 16)
	r.advance()
	if r.marker && strings.HasPrefix(src[r.cs:r.ce], "---") && restIsComment(src, r.cs+3, r.ce) {
		r.marker = false
		r.advance()
	}
	if !r.ok || !r.block() || r.ok || r.full || r.marker {
		return r.decline()
	}
	return &tree{src: src, nodes: r.nodes, strs: r.strs}, true
}

func (r *fastReader) decline() (*tree, bool) {
	(&tree{nodes: r.nodes}).release()
	return nil, false
}

// subsetText reports whether every character of src is one the fast
// reader handles the way yaml.v3 does: printable ASCII, line feeds (with an
// optional carriage return before them), and non-ASCII characters that
// YAML treats as neither control characters nor line breaks. A leading
// byte order mark is left to yaml.v3.
func subsetText(src string) bool {
	ascii := true
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c-0x20 < 0x5f, c == '\n':
		case c == '\r' && i+1 < len(src) && src[i+1] == '\n':
		case c >= 0x80:
			ascii = false
		default:
			return false
		}
	}
	if ascii {
		return true
	}
	for _, c := range src {
		switch {
		case c < 0x80:
		case c == utf8.RuneError, c < 0xa0, c == 0x2028, c == 0x2029, c >= 0xd800 && c < 0xe000,
			c == 0xfeff, c == 0xfffe, c == 0xffff:
			// RuneError also stands for invalid UTF-8, which yaml.v3 reports.
			return false
		}
	}
	return true
}

// advance moves to the next content line. It ends the document early when
// the tree is full, and at a document marker ("---" or "..." in column 0),
// which only the caller of the first advance may accept.
func (r *fastReader) advance() {
	src := r.src
	if len(r.nodes) >= maxNodes {
		r.ok, r.full = false, true
		return
	}
	for r.nl < len(src) {
		ls := r.nl
		e := strings.IndexByte(src[ls:], '\n')
		if e < 0 {
			e = len(src)
			r.nl = len(src)
		} else {
			e += ls
			r.nl = e + 1
		}
		r.lineNo++
		ce := e
		if ce > ls && src[ce-1] == '\r' {
			ce--
		}
		cs := ls
		for cs < ce && src[cs] == ' ' {
			cs++
		}
		if cs == ce || src[cs] == '#' {
			continue
		}
		if cs == ls && ce-cs >= 3 && (src[cs:cs+3] == "---" || src[cs:cs+3] == "...") && (ce-cs == 3 || src[cs+3] == ' ') {
			r.ok, r.marker, r.ls, r.ind, r.cs, r.ce = false, true, ls, 0, cs, ce
			return
		}
		r.ok, r.ls, r.ind, r.cs, r.ce = true, ls, cs-ls, cs, ce
		return
	}
	r.ok = false
}

// isItem reports whether the current line starts a sequence item.
func (r *fastReader) isItem() bool {
	return r.src[r.cs] == '-' && (r.cs+1 == r.ce || r.src[r.cs+1] == ' ')
}

func (r *fastReader) open(k kind) int {
	r.nodes = append(r.nodes, newNode(k, 0, r.lineNo, 0, 0))
	return len(r.nodes) - 1
}

// close ends the collection opened at i: its subtree is complete.
func (r *fastReader) close(i int) {
	r.nodes[i].n = int32(len(r.nodes))
}

func (r *fastReader) scalar(off, n int, flags uint8, line int32) {
	r.nodes = append(r.nodes, newNode(scalarNode, flags, line, int32(off), int32(n)))
}

func (r *fastReader) owned(text string) {
	r.nodes = append(r.nodes, newNode(scalarNode, flagOwned, r.lineNo, int32(len(r.strs)), 0))
	r.strs = append(r.strs, text)
}

// block reads the node that starts on the current line.
func (r *fastReader) block() bool {
	if r.depth++; r.depth > maxFastDepth {
		return false
	}
	var ok bool
	if r.isItem() {
		ok = r.sequence(r.ind)
	} else {
		ok = r.mapping(r.ind, r.cs)
	}
	r.depth--
	return ok
}

// mapping reads a block mapping whose keys sit in column ind; the first key
// starts at offset at of the current line.
func (r *fastReader) mapping(ind, at int) bool {
	m := r.open(mappingNode)
	for {
		if !r.entry(ind, at) {
			return false
		}
		if !r.ok || r.ind < ind {
			r.close(m)
			return true
		}
		if r.ind > ind || r.isItem() {
			return false
		}
		at = r.cs
	}
}

// entry reads one "key: value" pair and moves past it.
func (r *fastReader) entry(ind, at int) bool {
	colon, ok := r.key(at)
	if !ok {
		return false
	}
	v := colon + 1
	for v < r.ce && r.src[v] == ' ' {
		v++
	}
	if v < r.ce && r.src[v] != '#' {
		if !r.inline(v) {
			return false
		}
		r.advance()
		return !r.ok || r.ind <= ind
	}
	line := r.lineNo
	r.advance()
	switch {
	case r.ok && r.ind > ind:
		return r.block()
	case r.ok && r.ind == ind && r.isItem():
		return r.sequence(ind)
	}
	r.scalar(0, 0, flagNull, line)
	return true
}

// sequence reads a block sequence whose dashes sit in column ind.
func (r *fastReader) sequence(ind int) bool {
	s := r.open(sequenceNode)
	for r.ok && r.ind == ind && r.isItem() {
		p := r.cs + 1
		for p < r.ce && r.src[p] == ' ' {
			p++
		}
		if p == r.ce || r.src[p] == '#' {
			line := r.lineNo
			r.advance()
			if r.ok && r.ind > ind {
				if !r.block() {
					return false
				}
			} else {
				r.scalar(0, 0, flagNull, line)
			}
			continue
		}
		if r.src[p] == '-' && (p+1 == r.ce || r.src[p+1] == ' ') {
			return false
		}
		if _, isKey := r.findColon(p); isKey {
			r.depth++
			ok := r.depth <= maxFastDepth && r.mapping(p-r.ls, p)
			r.depth--
			if !ok {
				return false
			}
			continue
		}
		if !r.inline(p) {
			return false
		}
		r.advance()
	}
	if r.ok && r.ind > ind {
		return false
	}
	r.close(s)
	return true
}

// findColon finds the ": " (or ":" at the end of the line) that ends a key
// starting at p; isKey is false when the rest of the line is not a key.
func (r *fastReader) findColon(p int) (colon int, isKey bool) {
	src := r.src
	switch src[p] {
	case '\'', '"':
		end, _, _, ok := r.quoted(p)
		if !ok {
			return 0, false
		}
		for end < r.ce && src[end] == ' ' {
			end++
		}
		if end < r.ce && src[end] == ':' && (end+1 == r.ce || src[end+1] == ' ') {
			return end, true
		}
		return 0, false
	}
	for i := p; i < r.ce; i++ {
		switch src[i] {
		case ':':
			if i+1 == r.ce || src[i+1] == ' ' {
				return i, true
			}
		case '#':
			if i > p && src[i-1] == ' ' {
				return 0, false
			}
		}
	}
	return 0, false
}

// key reads the key starting at offset p and returns the offset of its colon.
func (r *fastReader) key(p int) (int, bool) {
	colon, isKey := r.findColon(p)
	if !isKey || colon-p > maxSimpleKey {
		return 0, false
	}
	src := r.src
	if c := src[p]; c == '\'' || c == '"' {
		_, text, owned, _ := r.quoted(p)
		if owned {
			r.owned(text)
		} else {
			r.scalar(p+1, len(text), 0, r.lineNo)
		}
		return colon, true
	}
	if !plainStart(src, p, r.ce) {
		return 0, false
	}
	e := colon
	for e > p && src[e-1] == ' ' {
		e--
	}
	r.plain(p, e)
	return colon, true
}

// plain appends the plain scalar src[p:e].
func (r *fastReader) plain(p, e int) {
	var flags uint8
	switch r.src[p:e] {
	case "~", "null", "Null", "NULL":
		flags = flagNull
	}
	r.scalar(p, e-p, flags, r.lineNo)
}

// plainStart reports whether a plain scalar may start at src[p]: it must
// not start with a YAML indicator.
func plainStart(src string, p, end int) bool {
	switch src[p] {
	case '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '-', '?', ':':
		return p+1 < end && src[p+1] != ' '
	}
	return true
}

// inline reads the value that fills the rest of the current line from p.
func (r *fastReader) inline(p int) bool {
	src, ce := r.src, r.ce
	switch c := src[p]; c {
	case '\'', '"':
		end, text, owned, ok := r.quoted(p)
		if !ok || !restIsComment(src, end, ce) {
			return false
		}
		if owned {
			r.owned(text)
		} else {
			r.scalar(p+1, len(text), 0, r.lineNo)
		}
		return true
	case '{', '[':
		k, closing := mappingNode, byte('}')
		if c == '[' {
			k, closing = sequenceNode, ']'
		}
		if p+1 < ce && src[p+1] == closing && restIsComment(src, p+2, ce) {
			r.nodes = append(r.nodes, newNode(k, 0, r.lineNo, 0, int32(len(r.nodes)+1)))
			return true
		}
		return false
	}
	if !plainStart(src, p, ce) {
		return false
	}
	e := ce
	if i := strings.Index(src[p:ce], " #"); i >= 0 {
		e = p + i
	}
	for e > p && src[e-1] == ' ' {
		e--
	}
	if strings.Contains(src[p:e], ": ") || src[e-1] == ':' {
		return false
	}
	r.plain(p, e)
	return true
}

// restIsComment reports whether src[p:end] is blank or spaces and a comment.
func restIsComment(src string, p, end int) bool {
	if p == end {
		return true
	}
	if src[p] != ' ' {
		return false
	}
	for p < end && src[p] == ' ' {
		p++
	}
	return p == end || src[p] == '#'
}

// quoted reads the quoted scalar starting at src[p] and ending on the same
// line. end is the offset just past the closing quote. When the scalar has
// no escapes, text is a substring of src and owned is false.
func (r *fastReader) quoted(p int) (end int, text string, owned bool, ok bool) {
	src, ce := r.src, r.ce
	q := src[p]
	if q == '\'' {
		i := p + 1
		for {
			j := strings.IndexByte(src[i:ce], '\'')
			if j < 0 {
				return 0, "", false, false
			}
			i += j
			if i+1 < ce && src[i+1] == '\'' {
				owned = true
				i += 2
				continue
			}
			if !owned {
				return i + 1, src[p+1 : i], false, true
			}
			return i + 1, strings.ReplaceAll(src[p+1:i], "''", "'"), true, true
		}
	}
	i := p + 1
	for i < ce && src[i] != '"' && src[i] != '\\' {
		i++
	}
	if i == ce {
		return 0, "", false, false
	}
	if src[i] == '"' {
		return i + 1, src[p+1 : i], false, true
	}
	var b strings.Builder
	b.WriteString(src[p+1 : i])
	for i < ce {
		c := src[i]
		if c == '"' {
			return i + 1, b.String(), true, true
		}
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 == ce {
			return 0, "", false, false
		}
		n := 0
		switch src[i+1] {
		case '0':
			b.WriteByte(0)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'v':
			b.WriteByte('\v')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case ' ', '"', '\'', '\\':
			b.WriteByte(src[i+1])
		case 'N':
			b.WriteRune(0x85)
		case '_':
			b.WriteRune(0xa0)
		case 'L':
			b.WriteRune(0x2028)
		case 'P':
			b.WriteRune(0x2029)
		case 'x':
			n = 2
		case 'u':
			n = 4
		case 'U':
			n = 8
		default:
			return 0, "", false, false
		}
		i += 2
		if n == 0 {
			continue
		}
		if i+n > ce {
			return 0, "", false, false
		}
		v := rune(0)
		for _, h := range []byte(src[i : i+n]) {
			d, isHex := hexDigit(h)
			if !isHex {
				return 0, "", false, false
			}
			v = v<<4 | rune(d)
		}
		if v >= 0xd800 && v <= 0xdfff || v > 0x10ffff {
			return 0, "", false, false
		}
		b.WriteRune(v)
		i += n
	}
	return 0, "", false, false
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
