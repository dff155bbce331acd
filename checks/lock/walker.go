package lock

import (
	"fmt"
	"strconv"
)

// walker reads format meaning out of a YAML tree and reports problems as
// ParseErrors at the offending node's line.
type walker struct {
	t    *tree
	path string
}

func (w *walker) errf(r ref, format string, args ...any) error {
	return &ParseError{Path: w.path, Line: w.t.line(r), Msg: fmt.Sprintf(format, args...)}
}

// strings reads a sequence of scalars.
func (w *walker) strings(r ref, what string) ([]string, error) {
	t := w.t
	if t.isNull(r) {
		return nil, nil
	}
	if t.kind(r) != sequenceNode {
		return nil, w.errf(r, "%s must be a list", what)
	}
	var out []string
	for c, end := r+1, t.end(r); c < end; c = t.end(c) {
		if t.kind(c) != scalarNode {
			return nil, w.errf(c, "%s must be a list of strings", what)
		}
		out = append(out, t.str(c))
	}
	return out, nil
}

// channels reads a channel list whose items are names or {url: ...}.
func (w *walker) channels(r ref) ([]string, error) {
	t := w.t
	if t.isNull(r) {
		return nil, nil
	}
	if t.kind(r) != sequenceNode {
		return nil, w.errf(r, "channels must be a list")
	}
	var out []string
	for c, end := r+1, t.end(r); c < end; c = t.end(c) {
		switch t.kind(c) {
		case scalarNode:
			out = append(out, t.str(c))
		case mappingNode:
			u, ok := t.get(c, "url")
			if !ok || t.str(u) == "" {
				return nil, w.errf(c, "channel has no url")
			}
			out = append(out, t.str(u))
		default:
			return nil, w.errf(c, "channel must be a name or a mapping with a url")
		}
	}
	return out, nil
}

// hashes reads md5 and sha256 out of mapping m.
func (w *walker) hashes(m ref) Hashes {
	var h Hashes
	if r, ok := w.t.get(m, "md5"); ok {
		h.MD5 = lowerHex(w.t.str(r))
	}
	if r, ok := w.t.get(m, "sha256"); ok {
		h.SHA256 = lowerHex(w.t.str(r))
	}
	return h
}

// integer reads a scalar as a decimal integer.
func (w *walker) integer(r ref) (int, bool) {
	n, err := strconv.Atoi(w.t.str(r))
	return n, err == nil && w.t.kind(r) == scalarNode
}
