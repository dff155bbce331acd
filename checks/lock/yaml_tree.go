package lock

import (
	"fmt"
	"sync"
)

// tree is a parsed YAML document in a flat, pre-order array: a collection
// node is followed by its whole subtree, and its n field is the index one
// past that subtree. A mapping's children alternate key, value. Both YAML
// readers (the fast subset reader and the yaml.v3 fallback) build this
// shape, so every format walker is written once, against tree.
//
// Scalars keep their text unresolved: "3.10" stays "3.10" and "1" stays
// "1". The only resolution kept is whether a plain scalar means null.
type tree struct {
	src   string   // the document text; plain scalars are substrings of it
	nodes []node   // pre-order; nodes[0] is the root
	strs  []string // texts of scalars that are not substrings of src
}

type kind uint8

const (
	scalarNode kind = iota + 1
	mappingNode
	sequenceNode
)

const (
	flagOwned uint8 = 1 << iota // the scalar's text is strs[off], not src[off:off+n]
	flagNull                    // a plain scalar that YAML resolves to null ("", "~", "null")
)

// node is 12 bytes: a lockfile has about one node per 14 bytes of text.
type node struct {
	off  int32  // scalar: offset into src, or index into strs when flagOwned
	n    int32  // scalar: text length; collection: index one past the subtree
	meta uint32 // the 1-based line in the low 28 bits, then the kind, then the flags
}

const (
	lineBits  = 28 // lines up to 268 million: MaxSize bytes hold at most 64 million
	kindShift = lineBits
	flagShift = lineBits + 2
)

func newNode(k kind, flags uint8, line int32, off, n int32) node {
	return node{off: off, n: n, meta: uint32(line)&(1<<lineBits-1) | uint32(k)<<kindShift | uint32(flags)<<flagShift}
}

func (nd *node) kind() kind    { return kind(nd.meta >> kindShift & 3) }
func (nd *node) flags() uint8  { return uint8(nd.meta >> flagShift) }
func (nd *node) lineNo() int32 { return int32(nd.meta & (1<<lineBits - 1)) }

// ref is the index of a node in tree.nodes.
type ref = int32

// maxNodes bounds the size of a tree built from one document (12 bytes a
// node): real lockfiles take 14 to 23 bytes of text per node, so this is
// more than a MaxSize lockfile needs. Both readers refuse documents that
// would need more.
const maxNodes = 1 << 23

// nodePool recycles node arrays between parses: the format walkers copy
// what they need out of a tree, so its nodes are garbage once a walk ends.
var nodePool sync.Pool

func newNodes(capacity int) []node {
	if p, _ := nodePool.Get().(*[]node); p != nil && cap(*p) >= capacity {
		return (*p)[:0]
	}
	return make([]node, 0, capacity)
}

// release returns t's node array for reuse; t must not be used afterwards.
func (t *tree) release() {
	if cap(t.nodes) <= maxNodes+16 {
		nodes := t.nodes[:0]
		nodePool.Put(&nodes)
	}
	t.nodes = nil
}

func (t *tree) kind(r ref) kind { return t.nodes[r].kind() }

func (t *tree) line(r ref) int { return int(t.nodes[r].lineNo()) }

// end returns the index one past r's subtree: the next sibling.
func (t *tree) end(r ref) ref {
	if t.nodes[r].kind() == scalarNode {
		return r + 1
	}
	return t.nodes[r].n
}

// str returns a scalar's text; "" for collections and null scalars.
func (t *tree) str(r ref) string {
	nd := &t.nodes[r]
	if nd.kind() != scalarNode || nd.flags()&flagNull != 0 {
		return ""
	}
	if nd.flags()&flagOwned != 0 {
		return t.strs[nd.off]
	}
	return t.src[nd.off : nd.off+nd.n]
}

func (t *tree) isNull(r ref) bool {
	return t.nodes[r].kind() == scalarNode && t.nodes[r].flags()&flagNull != 0
}

// get returns the value stored under key in mapping m.
func (t *tree) get(m ref, key string) (ref, bool) {
	if t.nodes[m].kind() != mappingNode {
		return 0, false
	}
	for k, end := m+1, t.nodes[m].n; k < end; {
		v := t.end(k)
		if t.str(k) == key {
			return v, true
		}
		k = t.end(v)
	}
	return 0, false
}

// len returns the number of entries of a collection: pairs for a mapping,
// items for a sequence.
func (t *tree) len(r ref) int {
	nd := &t.nodes[r]
	if nd.kind() == scalarNode {
		return 0
	}
	n := 0
	for c := r + 1; c < nd.n; c = t.end(c) {
		n++
	}
	if nd.kind() == mappingNode {
		n /= 2
	}
	return n
}

// checkKeys rejects mappings with a repeated key, as YAML requires. yaml.v3
// leaves that check to its decoder, and the fast reader leaves it here, so
// both readers share it.
func (t *tree) checkKeys() error {
	var (
		keys [16]ref
		seen map[string]ref
	)
	for m := range t.nodes {
		nd := &t.nodes[m]
		if nd.kind() != mappingNode {
			continue
		}
		n := 0
		for k := ref(m) + 1; k < nd.n && n < len(keys); k = t.end(t.end(k)) {
			keys[n] = k
			n++
		}
		if n < len(keys) {
			for i := 1; i < n; i++ {
				for j := range i {
					if t.sameKey(keys[j], keys[i]) {
						return t.duplicate(keys[j], keys[i])
					}
				}
			}
			continue
		}
		if seen == nil {
			seen = map[string]ref{}
		} else {
			clear(seen)
		}
		for k := ref(m) + 1; k < nd.n; k = t.end(t.end(k)) {
			key := t.keyText(k)
			if j, dup := seen[key]; dup {
				return t.duplicate(j, k)
			}
			seen[key] = k
		}
	}
	return nil
}

// keyText is a key's identity: null keys differ from the empty string.
func (t *tree) keyText(k ref) string {
	if t.isNull(k) {
		return "\x00null"
	}
	return t.str(k)
}

func (t *tree) sameKey(a, b ref) bool {
	return t.isNull(a) == t.isNull(b) && t.str(a) == t.str(b)
}

func (t *tree) duplicate(first, again ref) error {
	return &yamlError{line: t.line(again), msg: fmt.Sprintf("mapping key %q already defined at line %d", t.str(again), t.line(first))}
}

// yamlError is a syntax error in a YAML document, before any format
// meaning is applied; parse turns it into a ParseError.
type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

// parseYAML reads a document with the fast subset reader, and with yaml.v3
// when the document uses anything outside that subset.
func parseYAML(src string) (*tree, error) {
	t, ok := readFast(src)
	if !ok {
		var err error
		if t, err = readYAMLv3(src); err != nil {
			return nil, err
		}
	}
	if err := t.checkKeys(); err != nil {
		return nil, err
	}
	return t, nil
}
