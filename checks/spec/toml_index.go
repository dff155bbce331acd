package spec

import (
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on a TOML document, checked before it is decoded. The decoder
// holds every value in memory and takes time that grows fast with nesting
// (a few thousand nested inline tables stall it), so both are bounded.
// Real manifests nest three or four levels and hold a few hundred values.
const (
	maxTOMLDepth = 32      // arrays and inline tables inside each other; parts of one dotted key
	maxTOMLItems = 1 << 17 // values and table headers
)

// tomlIndex records where the keys, tables and array elements of a TOML
// document are, which the decoder does not report. It comes from a single
// left-to-right scan:
//
//   - a table header [a.b] or [[a.b]] places a and a.b at the header;
//   - a key a.b = value, under the current table, places every prefix of
//     the dotted key at the key, and the full key spans from the key to
//     the end of its value (the text used as a requirement's Raw);
//   - an array element places path[i] where the element starts;
//   - keys of inline tables are placed like keys under a table.
//
// The first place of a path wins. Elements of an array of tables [[a]]
// are paths a[0], a[1], ... like elements of an array.
type tomlIndex struct {
	src        string
	lineStarts []int // offsets at which lines start; lineStarts[0] is 0
	root       placeNode
}

// placeNode is one path in a tree of placed paths. Children are keyed by
// key part, or by elemKey for array elements, so each placement hashes one
// key part and no path is ever copied.
type placeNode struct {
	start, end int // the byte range of the key with its value, header or element
	placed     bool
	children   map[string]*placeNode
	order      []string // the children's keys in the order the scan met them
}

// child returns the child for key part k, creating it.
func (n *placeNode) child(k string) *placeNode {
	c := n.children[k]
	if c == nil {
		if n.children == nil {
			n.children = map[string]*placeNode{}
		}
		c = &placeNode{}
		n.children[k] = c
		n.order = append(n.order, k)
	}
	return c
}

// keys returns the keys of the table at path in the order the document
// defines them, or nil when the scan did not meet the table.
func (x *tomlIndex) keys(path []string) []string {
	n := &x.root
	for _, k := range path {
		if n = n.children[k]; n == nil {
			return nil
		}
	}
	return n.order
}

// placeAt places n at [start, end) unless it is placed already.
func (n *placeNode) placeAt(start, end int) {
	if !n.placed {
		n.start, n.end, n.placed = start, end, true
	}
}

// elemKey is the path component of array element i.
func elemKey(i int) string { return "\x00" + strconv.Itoa(i) }

// find returns the placed node of path, or nil.
func (x *tomlIndex) find(path []string) *placeNode {
	n := &x.root
	for _, k := range path {
		if n = n.children[k]; n == nil {
			return nil
		}
	}
	if !n.placed {
		return nil
	}
	return n
}

// line returns the 1-based line at which path starts, or 0 when the scan
// did not place it.
func (x *tomlIndex) line(path ...string) int {
	n := x.find(path)
	if n == nil {
		return 0
	}
	return x.lineOf(n.start)
}

// lineOf returns the 1-based line holding byte offset off.
func (x *tomlIndex) lineOf(off int) int {
	return sort.Search(len(x.lineStarts), func(k int) bool { return x.lineStarts[k] > off })
}

// text returns the source text of path, on one line (runs of white space
// that include a line break become one space), or "".
func (x *tomlIndex) text(path ...string) string {
	n := x.find(path)
	if n == nil {
		return ""
	}
	t := x.src[n.start:n.end]
	if strings.ContainsAny(t, "\r\n") {
		t = strings.Join(strings.Fields(t), " ")
	}
	return t
}

// indexTOML scans a TOML document. It returns a message and the line where
// the scan stopped when the document exceeds maxTOMLDepth or maxTOMLItems,
// or has a syntax error the scan cannot step over; the scan accepts every
// valid TOML 1.1 document.
func indexTOML(src string) (*tomlIndex, int, string) {
	x := &tomlIndex{src: src, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			x.lineStarts = append(x.lineStarts, i+1)
		}
	}
	s := tomlScanner{src: src}
	if !s.document(&x.root) {
		if s.msg == "" {
			s.msg = "invalid TOML"
			if s.i < len(src) {
				r, _ := utf8.DecodeRuneInString(src[s.i:])
				s.msg += ": unexpected " + strconv.QuoteRune(r)
			} else {
				s.msg += ": unexpected end of file"
			}
		}
		return nil, x.lineOf(min(s.i, len(src))), s.msg
	}
	return x, 0, ""
}

// tomlScanner walks a TOML document for tomlIndex. Its methods return false
// to stop the scan; msg then says why when the reason is a limit.
type tomlScanner struct {
	src   string
	i     int
	depth int
	items int
	msg   string
}

func (s *tomlScanner) eof() bool { return s.i >= len(s.src) }

func (s *tomlScanner) at(c byte) bool { return s.i < len(s.src) && s.src[s.i] == c }

// count counts one value, table header or key part against maxTOMLItems.
func (s *tomlScanner) count() bool {
	s.items++
	if s.items > maxTOMLItems {
		s.msg = "more than " + strconv.Itoa(maxTOMLItems) + " keys and values"
		return false
	}
	return true
}

// skipSpace skips spaces and tabs.
func (s *tomlScanner) skipSpace() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// skipBlank skips white space, line breaks and comments.
func (s *tomlScanner) skipBlank() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		case '#':
			for s.i < len(s.src) && s.src[s.i] != '\n' {
				s.i++
			}
		default:
			return
		}
	}
}

// document scans table headers and key/value pairs to the end.
func (s *tomlScanner) document(root *placeNode) bool {
	table := root
	arrays := map[*placeNode]int{} // elements seen of each array of tables
	for {
		s.skipBlank()
		if s.eof() {
			return true
		}
		if !s.at('[') {
			if !s.keyValue(table) {
				return false
			}
			continue
		}
		start := s.i
		array := strings.HasPrefix(s.src[s.i:], "[[")
		closing := "]"
		if s.i++; array {
			s.i++
			closing = "]]"
		}
		key, ok := s.key()
		if !ok {
			return false
		}
		if s.skipSpace(); !strings.HasPrefix(s.src[s.i:], closing) {
			return false
		}
		s.i += len(closing)
		table = root
		for _, part := range key {
			table = table.child(part)
			table.placeAt(start, s.i)
		}
		if array {
			n := arrays[table]
			arrays[table]++
			table = table.child(elemKey(n))
			table.placeAt(start, s.i)
		}
	}
}

// keyValue scans "key = value" under table and places the key and its
// dotted prefixes.
func (s *tomlScanner) keyValue(table *placeNode) bool {
	start := s.i
	key, ok := s.key()
	if !ok {
		return false
	}
	if s.skipSpace(); !s.at('=') {
		return false
	}
	s.i++
	s.skipSpace()
	n := table
	for _, part := range key {
		n = n.child(part)
	}
	if !s.value(n) {
		return false
	}
	n = table
	for _, part := range key {
		n = n.child(part)
		n.placeAt(start, s.i)
	}
	return true
}

// key scans a dotted key of bare and quoted parts.
func (s *tomlScanner) key() ([]string, bool) {
	var parts []string
	for {
		s.skipSpace()
		if s.eof() {
			return nil, false
		}
		var part string
		var ok bool
		switch s.src[s.i] {
		case '"':
			part, ok = s.basicKey()
		case '\'':
			part, ok = s.literalKey()
		default:
			begin := s.i
			for s.i < len(s.src) && isBareKeyByte(s.src[s.i]) {
				s.i++
			}
			part, ok = s.src[begin:s.i], s.i > begin
		}
		if !ok {
			return nil, false
		}
		if !s.count() {
			return nil, false
		}
		if parts = append(parts, part); len(parts) > maxTOMLDepth {
			s.msg = "a key with more than " + strconv.Itoa(maxTOMLDepth) + " parts"
			return nil, false
		}
		if s.skipSpace(); !s.at('.') {
			return parts, true
		}
		s.i++
	}
}

func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// basicKey scans and decodes a "quoted" key.
func (s *tomlScanner) basicKey() (string, bool) {
	s.i++
	var b strings.Builder
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '"':
			s.i++
			return b.String(), true
		case c == '\n':
			return "", false
		case c == '\\':
			if !s.escape(&b) {
				return "", false
			}
		default:
			b.WriteByte(c)
			s.i++
		}
	}
	return "", false
}

// escapes are TOML's one-letter escapes.
var escapes = map[byte]byte{'b': '\b', 't': '\t', 'n': '\n', 'f': '\f', 'r': '\r', 'e': 0x1b, '"': '"', '\\': '\\'}

// escape decodes the escape sequence at s.i into b.
func (s *tomlScanner) escape(b *strings.Builder) bool {
	if s.i+1 >= len(s.src) {
		return false
	}
	e := s.src[s.i+1]
	s.i += 2
	if c, ok := escapes[e]; ok {
		b.WriteByte(c)
		return true
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
	if digits == 0 || s.i+digits > len(s.src) {
		return false
	}
	r, err := strconv.ParseUint(s.src[s.i:s.i+digits], 16, 32)
	if err != nil {
		return false
	}
	s.i += digits
	b.WriteRune(rune(r))
	return true
}

// literalKey scans a 'quoted' key.
func (s *tomlScanner) literalKey() (string, bool) {
	end := strings.IndexAny(s.src[s.i+1:], "'\n")
	if end < 0 || s.src[s.i+1+end] != '\'' {
		return "", false
	}
	k := s.src[s.i+1 : s.i+1+end]
	s.i += end + 2
	return k, true
}

// value scans one value for node n: a string, an array, an inline table
// or a bare scalar (number, boolean, date-time).
func (s *tomlScanner) value(n *placeNode) bool {
	if !s.count() || s.eof() {
		return false
	}
	switch s.src[s.i] {
	case '"', '\'':
		return s.str()
	case '[':
		return s.nested(func() bool { return s.array(n) })
	case '{':
		return s.nested(func() bool { return s.inlineTable(n) })
	}
	start := s.i
	for s.i < len(s.src) && !strings.ContainsRune(",]}#\r\n", rune(s.src[s.i])) {
		s.i++
	}
	for s.i > start && (s.src[s.i-1] == ' ' || s.src[s.i-1] == '\t') {
		s.i--
	}
	return s.i > start
}

// nested runs scan one level deeper, within maxTOMLDepth.
func (s *tomlScanner) nested(scan func() bool) bool {
	if s.depth++; s.depth > maxTOMLDepth {
		s.msg = "arrays and inline tables nested more than " + strconv.Itoa(maxTOMLDepth) + " deep"
		return false
	}
	ok := scan()
	s.depth--
	return ok
}

// array scans [v, v, ...], placing each element under n.
func (s *tomlScanner) array(n *placeNode) bool {
	s.i++
	for k := 0; ; k++ {
		s.skipBlank()
		if s.at(']') {
			s.i++
			return true
		}
		start := s.i
		elem := n.child(elemKey(k))
		if !s.value(elem) {
			return false
		}
		elem.placeAt(start, s.i)
		s.skipBlank()
		switch {
		case s.at(','):
			s.i++
		case s.at(']'):
			s.i++
			return true
		default:
			return false
		}
	}
}

// inlineTable scans {k = v, ...}, placing each key under n. Line breaks
// and comments are allowed inside, as TOML 1.1 allows.
func (s *tomlScanner) inlineTable(n *placeNode) bool {
	s.i++
	for {
		s.skipBlank()
		if s.at('}') {
			s.i++
			return true
		}
		if !s.keyValue(n) {
			return false
		}
		s.skipBlank()
		switch {
		case s.at(','):
			s.i++
		case s.at('}'):
			s.i++
			return true
		default:
			return false
		}
	}
}

// str scans a basic, literal or multi-line string.
func (s *tomlScanner) str() bool {
	q := s.src[s.i]
	triple := strings.Repeat(string(q), 3)
	if strings.HasPrefix(s.src[s.i:], triple) {
		s.i += 3
		for s.i < len(s.src) {
			switch {
			case q == '"' && s.src[s.i] == '\\':
				s.i += 2
			case strings.HasPrefix(s.src[s.i:], triple):
				n := 3 // up to two more quotes belong to the string
				for n < 5 && s.i+n < len(s.src) && s.src[s.i+n] == q {
					n++
				}
				s.i += n
				return true
			default:
				s.i++
			}
		}
		s.i = len(s.src)
		return false
	}
	for s.i++; s.i < len(s.src); {
		switch c := s.src[s.i]; {
		case c == '\n':
			return false
		case q == '"' && c == '\\':
			s.i += 2
		case c == q:
			s.i++
			return true
		default:
			s.i++
		}
	}
	s.i = len(s.src)
	return false
}
