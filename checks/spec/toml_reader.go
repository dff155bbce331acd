package spec

import (
	"errors"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// tomlReader interprets a decoded TOML spec (pyproject.toml or pixi.toml),
// placing requirements and problems with the document's tomlIndex.
type tomlReader struct {
	spec  *Spec
	idx   *tomlIndex
	probs problems
	reqs  []placedRequirement
}

// placedRequirement is a requirement with the byte offset it was read
// from, by which requirements are put into file order.
type placedRequirement struct {
	off int
	req Requirement
}

// readTOML checks, indexes and decodes a TOML spec file.
func readTOML(path string, data []byte, kind Kind) (*tomlReader, map[string]any, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, nil, err
	}
	idx, line, msg := indexTOML(src)
	if idx == nil {
		return nil, nil, fatal(path, line, "%s", msg)
	}
	var root map[string]any
	if _, err := toml.Decode(src, &root); err != nil {
		line, msg := 0, err.Error()
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line, msg = pe.Position.Line, pe.Message
		}
		return nil, nil, fatal(path, line, "invalid TOML: %s", clipMessage(msg))
	}
	r := &tomlReader{spec: &Spec{Path: path, Kind: kind}, idx: idx, probs: problems{path: path}}
	return r, root, nil
}

// finish puts the requirements into file order and returns the spec with
// its problems.
func (r *tomlReader) finish() (*Spec, error) {
	order := make([]int, len(r.reqs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if d := r.reqs[a].off - r.reqs[b].off; d != 0 {
			return d
		}
		return a - b
	})
	for _, i := range order {
		r.spec.Requirements = append(r.spec.Requirements, r.reqs[i].req)
	}
	return r.probs.result(r.spec)
}

// add records a requirement read at path, setting its Line, and its Raw
// to the source text of path when Raw is empty.
func (r *tomlReader) add(path []string, req Requirement) {
	n := r.idx.find(path)
	off := -1
	if n != nil {
		off = n.start
		req.Line = r.idx.lineOf(n.start)
	}
	if req.Raw == "" {
		req.Raw = r.idx.text(path...)
	}
	r.reqs = append(r.reqs, placedRequirement{off: off, req: req})
}

// problem records a problem at the line of path, or of its nearest placed
// parent.
func (r *tomlReader) problem(path []string, format string, args ...any) {
	line := 0
	for n := len(path); n > 0 && line == 0; n-- {
		line = r.idx.line(path[:n]...)
	}
	r.probs.add(line, format, args...)
}

// keys returns the keys of a table in file order. The decoder holds
// tables as Go maps, whose order is random, so the order comes from the
// index; keys the index did not meet (none, for a document both accept)
// come last, by name.
func (r *tomlReader) keys(path []string, t map[string]any) []string {
	keys := make([]string, 0, len(t))
	seen := make(map[string]bool, len(t))
	for _, k := range r.idx.keys(path) {
		if _, ok := t[k]; ok && !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
	}
	if len(keys) == len(t) {
		return keys
	}
	var rest []string
	for k := range t {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// table returns v as a table. A value of another type is a problem at
// path; an absent one is not.
func (r *tomlReader) table(path []string, v any) (map[string]any, bool) {
	if v == nil {
		return nil, false
	}
	t, ok := v.(map[string]any)
	if !ok {
		r.problem(path, "%s must be a table", dotted(path))
	}
	return t, ok
}

// stringList returns v as a list of strings; entries of another type are
// problems and left out.
func (r *tomlReader) stringList(path []string, v any) ([]string, bool) {
	list, ok := v.([]any)
	if !ok {
		r.problem(path, "%s must be a list of strings", dotted(path))
		return nil, false
	}
	out := make([]string, 0, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			r.problem(append(path[:len(path):len(path)], elemKey(i)), "each entry of %s must be a string", dotted(path))
			continue
		}
		out = append(out, s)
	}
	return out, true
}

// child returns path extended by keys, without sharing path's storage.
func child(path []string, keys ...string) []string {
	return append(path[:len(path):len(path)], keys...)
}

// dotted names a TOML path of keys for messages ("tool.pixi.dependencies",
// `target."my platform"`).
func dotted(path []string) string {
	parts := make([]string, 0, len(path))
	for _, p := range path {
		if !isBareKey(p) {
			p = quote(p)
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ".")
}

func isBareKey(s string) bool {
	if s == "" || len(s) > quoteLimit {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isBareKeyByte(s[i]) {
			return false
		}
	}
	return true
}

func isBareKeyByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}
