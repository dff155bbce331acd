package lock

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/checks/internal/textfile"
)

// maxFallbackSize bounds the documents given to yaml.v3, whose node tree
// costs far more memory per byte than the fast reader's: a dense 2 MiB
// document of one-character flow items allocates about 400 MB there. Lock
// writers emit the fast reader's subset, so only unusual documents take
// this path.
const maxFallbackSize = 2 << 20

// readYAMLv3 decodes src with yaml.v3 into a yaml.Node and converts it into
// a tree. Aliases are expanded under the same budget yaml.v3's own decoder
// applies, so an alias bomb fails fast instead of growing the tree.
func readYAMLv3(src string) (*tree, error) {
	if len(src) > maxFallbackSize {
		return nil, &yamlError{line: 0, msg: fmt.Sprintf("document uses YAML features beyond what lock writers emit and is larger than %d MiB", maxFallbackSize>>20)}
	}
	if n := textfile.YAMLIndicators(src); n > textfile.MaxYAMLIndicators {
		return nil, &yamlError{line: 0, msg: fmt.Sprintf("document uses YAML features beyond what lock writers emit and has %d structural characters, more than %d", n, textfile.MaxYAMLIndicators)}
	}
	lines := newLineMap(src)
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		ye := yamlErrorFrom(err)
		ye.line = lines.line(ye.line)
		return nil, ye
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &yamlError{line: 0, msg: "empty document"}
	}
	c := converter{t: &tree{src: src, nodes: newNodes(256)}, lines: lines, active: map[*yaml.Node]bool{}}
	if err := c.convert(doc.Content[0]); err != nil {
		c.t.release()
		return nil, err
	}
	return c.t, nil
}

type converter struct {
	t          *tree
	lines      lineMap
	active     map[*yaml.Node]bool // anchors being expanded, to refuse recursion
	aliasDepth int
	decoded    int // nodes converted
	aliased    int // nodes converted from inside an alias
}

func (c *converter) convert(n *yaml.Node) error {
	c.decoded++
	if c.aliasDepth > 0 {
		c.aliased++
	}
	line := c.lines.line(n.Line)
	if c.aliased > 100 && c.decoded > 1000 && float64(c.aliased)/float64(c.decoded) > allowedAliasRatio(c.decoded) {
		return &yamlError{line: line, msg: "document contains excessive aliasing"}
	}
	if len(c.t.nodes) >= maxNodes {
		return &yamlError{line: line, msg: "document is too large"}
	}
	t := c.t
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			t.nodes = append(t.nodes, newNode(scalarNode, flagNull, int32(line), 0, 0))
		} else {
			t.nodes = append(t.nodes, newNode(scalarNode, flagOwned, int32(line), int32(len(t.strs)), 0))
			t.strs = append(t.strs, n.Value)
		}
	case yaml.MappingNode, yaml.SequenceNode:
		k := sequenceNode
		if n.Kind == yaml.MappingNode {
			k = mappingNode
			if len(n.Content)%2 != 0 {
				return &yamlError{line: line, msg: "mapping has a key without a value"}
			}
		}
		i := len(t.nodes)
		t.nodes = append(t.nodes, newNode(k, 0, int32(line), 0, 0))
		for j, child := range n.Content {
			if k == mappingNode && j%2 == 0 && resolveAlias(child).Kind != yaml.ScalarNode {
				return &yamlError{line: c.lines.line(child.Line), msg: "mapping keys must be scalars"}
			}
			if err := c.convert(child); err != nil {
				return err
			}
		}
		t.nodes[i].n = int32(len(t.nodes))
	case yaml.AliasNode:
		if n.Alias == nil {
			return &yamlError{line: line, msg: "alias to an unknown anchor"}
		}
		if c.active[n.Alias] {
			return &yamlError{line: line, msg: fmt.Sprintf("anchor %q value contains itself", n.Value)}
		}
		c.active[n.Alias] = true
		c.aliasDepth++
		err := c.convert(n.Alias)
		c.aliasDepth--
		delete(c.active, n.Alias)
		return err
	default:
		return &yamlError{line: line, msg: "unsupported YAML node"}
	}
	return nil
}

// lineMap converts yaml.v3's line numbers into the numbers of lines ended
// by "\n", as editors and GitHub count them. yaml.v3 also ends a line at a
// lone carriage return and at U+0085, U+2028 and U+2029, and places the end
// of a document without a final line break on a line of its own.
type lineMap struct {
	starts []int32 // line that yaml.v3's line i+1 starts on; nil when the counts agree
	last   int     // the last line: the number of "\n" plus one
}

func newLineMap(src string) lineMap {
	m := lineMap{last: strings.Count(src, "\n") + 1}
	if !strings.ContainsAny(src, "\r\u0085\u2028\u2029") {
		return m
	}
	m.starts = []int32{1}
	line := int32(1)
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\n':
			line++
			m.starts = append(m.starts, line)
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
		case src[i] == '\r':
			m.starts = append(m.starts, line)
		case strings.HasPrefix(src[i:], "\u0085"), strings.HasPrefix(src[i:], "\u2028"), strings.HasPrefix(src[i:], "\u2029"):
			m.starts = append(m.starts, line)
		}
	}
	return m
}

// line converts yaml.v3's line number l; 0 stays 0.
func (m lineMap) line(l int) int {
	if l <= 0 {
		return l
	}
	if m.starts != nil {
		l = int(m.starts[min(l, len(m.starts))-1])
	}
	return min(l, m.last)
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 64; i++ {
		n = n.Alias
	}
	return n
}

// allowedAliasRatio is the share of decoded nodes that may come from alias
// expansion: 99% for documents up to 400,000 nodes, falling linearly to 10%
// at 4,000,000 nodes, as yaml.v3's decoder allows.
func allowedAliasRatio(decoded int) float64 {
	const low, high = 400000, 4000000
	switch {
	case decoded <= low:
		return 0.99
	case decoded >= high:
		return 0.10
	}
	return 0.99 - 0.89*float64(decoded-low)/float64(high-low)
}

// yamlErrorFrom turns a yaml.v3 error ("yaml: line 3: did not find
// expected key") into a yamlError with its line.
func yamlErrorFrom(err error) *yamlError {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				line, msg = n, rest[i+2:]
			}
		}
	}
	return &yamlError{line: line, msg: msg}
}
