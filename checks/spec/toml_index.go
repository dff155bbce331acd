package spec

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Limits on a TOML document, checked before it is decoded. The decoder
// holds every value in memory and takes time that grows fast with nesting
// (a few thousand nested inline tables stall it), so both are bounded.
// Real manifests nest three or four levels and hold a few hundred values.
const (
	maxTOMLDepth = 32      // arrays and inline tables inside each other; parts of one dotted key
	maxTOMLItems = 1 << 17 // values and key parts

	// maxTOMLSeparators bounds the characters that can start a node of the
	// parser's syntax tree (= [ { , .), checked before parsing. The parser
	// holds each top-level expression's tree (56 bytes a node) before the
	// walk can count its items, and one expression can be the whole file:
	// an 8 MB array of 4 million values took 514 MB. An expression has at
	// most 1.5 nodes per such character, so this keeps the tree under
	// about 22 MB. Real manifests have a few hundred; a document within
	// maxTOMLItems has about as many of these as items.
	maxTOMLSeparators = 2 * maxTOMLItems
)

// tomlIndex records where the keys, tables and array elements of a TOML
// document are, which the decoder does not report. It is built from the
// syntax tree of go-toml's position-aware parser (pelletier/go-toml/v2's
// unstable package), one top-level expression at a time:
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
	order      []string // the children's keys in the order the document defines them
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
// defines them, or nil when the document has no such table.
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

// line returns the 1-based line at which path starts, or 0 when the
// document does not place it.
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

// indexTOML parses and indexes a TOML document. It returns a message and
// the line where parsing stopped when the document exceeds maxTOMLDepth
// or maxTOMLItems, or has a syntax error.
func indexTOML(src string) (*tomlIndex, int, string) {
	x := &tomlIndex{src: src, lineStarts: []int{0}}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			x.lineStarts = append(x.lineStarts, i+1)
		}
	}
	if off := tomlSeparatorsOver(src, maxTOMLSeparators); off >= 0 {
		return nil, x.lineOf(off), "more than " + strconv.Itoa(maxTOMLSeparators) + " of the characters = [ { , . that separate TOML keys and values"
	}
	w := tomlWalker{src: src}
	w.p.Reset([]byte(src))
	if !w.document(&x.root) {
		return nil, x.lineOf(w.stop), w.msg
	}
	return x, 0, ""
}

// tomlWalker walks the parser's expressions into a tomlIndex. Its methods
// return false to stop the walk, with msg saying why and stop the offset
// it stopped at.
type tomlWalker struct {
	src   string
	p     unstable.Parser
	items int
	msg   string
	stop  int
}

// fail stops the walk at offset off with message msg.
func (w *tomlWalker) fail(off int, msg string) bool {
	w.stop, w.msg = off, msg
	return false
}

// document walks the top-level expressions: table headers and key/value
// pairs.
func (w *tomlWalker) document(root *placeNode) bool {
	table := root
	arrays := map[*placeNode]int{} // elements seen of each array of tables
	for w.p.NextExpression() {
		e := w.p.Expression()
		if e.Kind == unstable.KeyValue {
			if !w.keyValue(table, e, 0) {
				return false
			}
			continue
		}
		parts, first, last, ok := w.key(e)
		if !ok {
			return false
		}
		opening, closing := "[", "]"
		if e.Kind == unstable.ArrayTable {
			opening, closing = "[[", "]]"
		}
		start := strings.LastIndex(w.src[:first], opening)
		end := last + strings.Index(w.src[last:], closing) + len(closing)
		table = root
		for _, part := range parts {
			table = table.child(part)
			table.placeAt(start, end)
		}
		if e.Kind == unstable.ArrayTable {
			n := arrays[table]
			arrays[table]++
			table = table.child(elemKey(n))
			table.placeAt(start, end)
		}
	}
	if err := w.p.Error(); err != nil {
		off := len(w.src)
		var pe *unstable.ParserError
		if errors.As(err, &pe) {
			off = w.offset(pe.Highlight)
		}
		return w.fail(off, "invalid TOML: "+clipMessage(err.Error()))
	}
	return true
}

// offset returns the offset of b, a slice of the parser's input, or the
// end of the input when b is not one.
func (w *tomlWalker) offset(b []byte) int {
	data := w.p.Data()
	off := cap(data) - cap(b)
	if b == nil || off < 0 || off > len(data) {
		return len(data)
	}
	return off
}

// key returns the parts of the dotted key of a key/value or table header
// e, with the offsets where the key starts and ends, within maxTOMLDepth
// parts and counting each part against maxTOMLItems.
func (w *tomlWalker) key(e *unstable.Node) (parts []string, start, end int, ok bool) {
	it := e.Key()
	for it.Next() {
		k := it.Node()
		if len(parts) == 0 {
			start = int(k.Raw.Offset)
		}
		end = int(k.Raw.Offset + k.Raw.Length)
		if !w.count(start) {
			return nil, 0, 0, false
		}
		if parts = append(parts, string(k.Data)); len(parts) > maxTOMLDepth {
			return nil, 0, 0, w.fail(int(k.Raw.Offset), "a key with more than "+strconv.Itoa(maxTOMLDepth)+" parts")
		}
	}
	return parts, start, end, true
}

// count counts one value or key part, at offset off, against maxTOMLItems.
func (w *tomlWalker) count(off int) bool {
	if w.items++; w.items > maxTOMLItems {
		return w.fail(off, "more than "+strconv.Itoa(maxTOMLItems)+" keys and values")
	}
	return true
}

// keyValue places the key of kv, and its dotted prefixes, under table,
// and the paths inside its value. depth counts the arrays and inline
// tables kv is in.
func (w *tomlWalker) keyValue(table *placeNode, kv *unstable.Node, depth int) bool {
	parts, _, keyEnd, ok := w.key(kv)
	if !ok {
		return false
	}
	n := table
	for _, part := range parts {
		n = n.child(part)
	}
	// The value starts after the "=" that follows the key.
	valueStart := skipTOMLSpace(w.src, skipTOMLSpace(w.src, keyEnd)+1)
	if _, ok := w.value(n, kv.Value(), valueStart, depth); !ok {
		return false
	}
	start, end := int(kv.Raw.Offset), int(kv.Raw.Offset+kv.Raw.Length)
	n = table
	for _, part := range parts {
		n = n.child(part)
		n.placeAt(start, end)
	}
	return true
}

// value places the paths inside value v, which starts at offset start,
// under n, and returns the offset where v ends.
func (w *tomlWalker) value(n *placeNode, v *unstable.Node, start, depth int) (int, bool) {
	if !w.count(start) {
		return 0, false
	}
	switch v.Kind {
	case unstable.Array, unstable.InlineTable:
	default:
		return int(v.Raw.Offset + v.Raw.Length), true
	}
	if depth++; depth > maxTOMLDepth {
		return 0, w.fail(start, "arrays and inline tables nested more than "+strconv.Itoa(maxTOMLDepth)+" deep")
	}
	end := start + 1 // after the opening bracket, then after each member
	it := v.Children()
	for k := 0; it.Next(); k++ {
		member := it.Node()
		if v.Kind == unstable.InlineTable {
			if !w.keyValue(n, member, depth) {
				return 0, false
			}
			end = int(member.Raw.Offset + member.Raw.Length)
			continue
		}
		elemStart := skipTOMLSeparators(w.src, end)
		elem := n.child(elemKey(k))
		elemEnd, ok := w.value(elem, member, elemStart, depth)
		if !ok {
			return 0, false
		}
		elem.placeAt(elemStart, elemEnd)
		end = elemEnd
	}
	return skipTOMLSeparators(w.src, end) + 1, true
}

// skipTOMLSpace returns the offset of the first byte at or after i that
// is not a space or a tab.
func skipTOMLSpace(src string, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// skipTOMLSeparators returns the offset of the first byte at or after i
// that is not white space, a line break, a comma or part of a comment:
// in a document the parser accepted, where the next array element starts,
// or the closing bracket or brace.
func skipTOMLSeparators(src string, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r', '\n', ',':
			i++
		case '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// tomlSeparatorsOver returns the offset at which src holds more than max
// of the characters = [ { , . (in strings and comments too), or -1.
func tomlSeparatorsOver(src string, max int) int {
	n := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '=', '[', '{', ',', '.':
			if n++; n > max {
				return i
			}
		}
	}
	return -1
}
