// Package strictyaml walks go.yaml.in/yaml/v3 trees of configuration files
// that are validated strictly: an unknown key, a repeated key or a missing
// required key becomes a Problem at its line, so that whoever edits the
// file sees every mistake at once.
//
// It is shared by the repository and operator configuration parsers and
// depends on nothing of imagebot's.
package strictyaml

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a file, at a 1-based line.
type Problem struct {
	Line    int
	Message string
}

// Walker collects problems while a parser walks a tree.
type Walker struct {
	Problems []Problem
}

// Fail records a problem at a node's line.
func (w *Walker) Fail(n *yaml.Node, format string, args ...any) {
	w.Problems = append(w.Problems, Problem{Line: n.Line, Message: fmt.Sprintf(format, args...)})
}

// Mapping walks a mapping node, calling the handler of each known key,
// reporting unknown and repeated keys, and then each required key that
// is missing. where names the mapping in messages ("hubs[1].kubernetes").
func (w *Walker) Mapping(n *yaml.Node, where string, keys map[string]func(*yaml.Node), required ...string) {
	if n.Kind != yaml.MappingNode {
		w.Fail(n, "%s must be a mapping of keys to values", where)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		handle, ok := keys[k.Value]
		switch {
		case !ok:
			w.Fail(k, "unknown key %q in %s; known keys: %s", k.Value, where, strings.Join(sortedKeys(keys), ", "))
		case seen[k.Value]:
			w.Fail(k, "key %q appears twice in %s", k.Value, where)
		default:
			seen[k.Value] = true
			handle(v)
		}
	}
	for _, key := range required {
		if !seen[key] {
			w.Fail(n, "%s.%s is required", where, key)
		}
	}
}

func sortedKeys(m map[string]func(*yaml.Node)) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ErrorLine finds the line number in a go.yaml.in/yaml/v3 error message;
// 1 when it names none.
func ErrorLine(err error) int {
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		fmt.Sscanf(msg[i:], "line %d", &line)
	}
	if line == 0 {
		line = 1
	}
	return line
}
