package build

import (
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file reads yaml.Node trees the way workflows need: aliases followed one step at a
// time (never expanded wholesale), keys matched exactly or without case (action inputs are
// case-insensitive), and scalar values mapped back to the source lines they came from.

// deref follows an alias to its anchor.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// entry returns the key and value nodes of a mapping entry, or nils.
func entry(m *yaml.Node, key string, foldCase bool) (*yaml.Node, *yaml.Node) {
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := deref(m.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Value == key || (foldCase && strings.EqualFold(k.Value, key)) {
			return k, deref(m.Content[i+1])
		}
	}
	return nil, nil
}

func get(m *yaml.Node, key string) *yaml.Node {
	_, v := entry(m, key, false)
	return v
}

// scalar returns a node's scalar value.
func scalar(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

func scalarOf(m *yaml.Node, key string) string {
	s, _ := scalar(get(m, key))
	return s
}

// stringMap reads a mapping of scalars (env:, with:) into a map. Non-scalar values are
// skipped.
func stringMap(m *yaml.Node) map[string]string {
	out := map[string]string{}
	m = deref(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, kok := scalar(m.Content[i])
		v, vok := scalar(m.Content[i+1])
		if kok && vok {
			out[k] = v
		}
	}
	return out
}

// sourceLines maps offsets in a scalar's value back to source lines. The value of a block
// scalar (| or >), a plain multi-line scalar or a quoted one is the source lines' text
// with indentation removed and line breaks kept or folded; each source line's text is
// found at the current position of the value, skipping blanks. Where that fails (escape
// sequences in quoted scalars), later offsets map to the last line found.
type sourceLines struct {
	offsets []int // value offsets where a source line starts, ascending
	lines   []int // the source line of each
}

func mapScalar(src []string, n *yaml.Node) sourceLines {
	m := sourceLines{offsets: []int{0}, lines: []int{n.Line}}
	if n.Kind != yaml.ScalarNode || n.Line < 1 {
		return m
	}
	value := n.Value
	first := n.Line
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		first++
	}
	cursor := 0
	for ln := first; ln <= len(src) && cursor < len(value); ln++ {
		text := src[ln-1]
		if ln == n.Line && n.Column-1 < len(text) {
			text = text[n.Column-1:]
			if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && text != "" {
				text = text[1:]
			}
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		at := cursor
		for at < len(value) && (value[at] == ' ' || value[at] == '\t' || value[at] == '\n') {
			at++
		}
		probe := text
		if len(probe) > len(value)-at {
			probe = probe[:len(value)-at]
		}
		if probe == "" || !strings.HasPrefix(value[at:], probe) {
			break
		}
		m.offsets = append(m.offsets, at)
		m.lines = append(m.lines, ln)
		cursor = at + len(probe)
	}
	return m
}

// at returns the source line of a value offset.
func (m sourceLines) at(offset int) int {
	i := sort.SearchInts(m.offsets, offset+1) - 1
	if i < 0 {
		i = 0
	}
	return m.lines[i]
}
