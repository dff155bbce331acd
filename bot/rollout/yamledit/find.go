package yamledit

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// KeyError is the error for a values file that does not hold a value at a
// key path: it names the file, the line where the path stops, and which
// step is missing and why.
type KeyError struct {
	File    string
	Line    int
	Message string
}

func (e *KeyError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message) }

// maxListed bounds the values a KeyError lists when no list item matches a
// selector.
const maxListed = 10

// Scalar is the single value a key path leads to.
type Scalar struct {
	// Value is the value's text, unquoted.
	Value string
	// Line is the value's line in the file; for a value reached through an
	// alias, the line of its anchor.
	Line int
}

// Find parses the YAML document data, the file named file, and follows kp
// to the single value it names. Aliases lead to their anchors, and a key a
// mapping lacks is looked up in the mappings it merges with "<<". A
// document without that value gives a *KeyError; data that is not YAML
// another error.
func Find(data []byte, kp KeyPath, file string) (Scalar, error) {
	n, err := find(data, kp, file)
	if err != nil {
		return Scalar{}, err
	}
	return Scalar{Value: n.Value, Line: n.Line}, nil
}

// find is Find's walk; it returns the value's node.
func find(data []byte, kp KeyPath, file string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s is not valid YAML: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return nil, &KeyError{File: file, Line: 1, Message: "the file is empty"}
	}
	node := deref(doc.Content[0])
	for i, step := range kp {
		at := "the top level"
		if i > 0 {
			at = kp[:i].String()
		}
		fail := func(format string, args ...any) error {
			return &KeyError{File: file, Line: node.Line, Message: at + " " + fmt.Sprintf(format, args...)}
		}
		var next *yaml.Node
		switch step.Kind {
		case ByKey:
			if node.Kind == yaml.SequenceNode {
				return nil, fail("is a list, not a mapping, so it has no key %q; pick one of its items with [field=value] or [N]", step.Key)
			}
			if node.Kind != yaml.MappingNode {
				return nil, fail("is %s, not a mapping, so it has no key %q", kindName(node), step.Key)
			}
			var err error
			if next, err = mappingValue(node, step.Key, map[*yaml.Node]bool{}); err != nil {
				return nil, fail("%v", err)
			}
			if next == nil {
				return nil, fail("has no key %q", step.Key)
			}
		case ByIndex:
			if node.Kind != yaml.SequenceNode {
				return nil, fail("is %s, not a list, so it has no item %s", kindName(node), step)
			}
			if step.Index >= len(node.Content) {
				return nil, fail("has %d items, so it has no item %s", len(node.Content), step)
			}
			next = node.Content[step.Index]
		case ByField:
			if node.Kind != yaml.SequenceNode {
				return nil, fail("is %s, not a list, so it has no item %s", kindName(node), step)
			}
			var err error
			if next, err = matchItem(node, step); err != nil {
				return nil, fail("%v", err)
			}
		}
		node = deref(next)
	}
	switch {
	case node.Kind != yaml.ScalarNode:
		return nil, &KeyError{File: file, Line: node.Line, Message: fmt.Sprintf("%s is %s, not a single value; point the key path at the image's tag or at its full reference", kp, kindName(node))}
	case node.Tag == "!!null":
		return nil, &KeyError{File: file, Line: node.Line, Message: fmt.Sprintf("%s has no value", kp)}
	}
	return node, nil
}

// deref follows an alias to the node its anchor names.
func deref(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a single value"
}

// mappingValue returns the value of key in mapping m, or nil when it has
// none. A key m itself lacks is looked up in the mappings that "<<" merges
// into it, the first of them first, as YAML's merge keys specify; visited
// guards against a mapping that merges itself. A key that appears twice in
// one mapping is an error, since tools disagree on which one counts.
func mappingValue(m *yaml.Node, key string, visited map[*yaml.Node]bool) (*yaml.Node, error) {
	visited[m] = true
	var found, keyNode *yaml.Node
	var merges []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch {
		case k.Tag == "!!merge":
			if v = deref(v); v.Kind == yaml.SequenceNode {
				merges = append(merges, v.Content...)
			} else {
				merges = append(merges, v)
			}
		case k.Value != key:
		case found != nil:
			return nil, fmt.Errorf("has the key %q twice, at lines %d and %d", key, keyNode.Line, k.Line)
		default:
			found, keyNode = v, k
		}
	}
	if found != nil {
		return found, nil
	}
	for _, merged := range merges {
		if merged = deref(merged); merged.Kind != yaml.MappingNode || visited[merged] {
			continue
		}
		if v, err := mappingValue(merged, key, visited); v != nil || err != nil {
			return v, err
		}
	}
	return nil, nil
}

// matchItem returns the one item of list whose field step.Key holds the
// value step.Value.
func matchItem(list *yaml.Node, step Step) (*yaml.Node, error) {
	var matches []*yaml.Node
	var seen []string
	for _, item := range list.Content {
		item = deref(item)
		if item.Kind != yaml.MappingNode {
			continue
		}
		v, err := mappingValue(item, step.Key, map[*yaml.Node]bool{})
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		if v = deref(v); v.Kind != yaml.ScalarNode {
			continue
		}
		if v.Value == step.Value {
			matches = append(matches, item)
		}
		seen = append(seen, v.Value)
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		if len(seen) == 0 {
			return nil, fmt.Errorf("has no item with the field %q, so it has no item %s", step.Key, step)
		}
		if len(seen) > maxListed {
			seen = append(seen[:maxListed], "…")
		}
		return nil, fmt.Errorf("has no item %s; its items' %s values are: %s", step, step.Key, strings.Join(seen, ", "))
	}
	lines := make([]string, len(matches))
	for i, m := range matches {
		lines[i] = fmt.Sprint(m.Line)
	}
	return nil, fmt.Errorf("has %d items %s (at lines %s); the selector must pick exactly one", len(matches), step, strings.Join(lines, ", "))
}
