package spec

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot/checks/conda"
	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/checks/lock"
)

// ParseEnvironmentYML reads a conda environment file: `channels`,
// `dependencies` (conda MatchSpecs, and a `pip:` list read like the lines of
// a requirements file) and conda-lock's nonstandard `platforms`. Other keys
// (name, prefix, variables, category) are ignored. A conda entry's trailing
// comment may carry a conda-lock selector ("- numpy  # [linux]", see
// AppliesTo); as in conda-lock, pip entries have none. Every requirement
// has Feature "". See Parse for the error contract.
func ParseEnvironmentYML(path string, data []byte) (*Spec, error) {
	src, err := text(path, data)
	if err != nil {
		return nil, err
	}
	if n := textfile.YAMLIndicators(src); n > textfile.MaxYAMLIndicators {
		return nil, fatal(path, 0, "too large a YAML document: %d structural characters, more than the %d an environment file may have", n, textfile.MaxYAMLIndicators)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		line, msg := yamlErrorLine(err)
		return nil, fatal(path, min(line, lastLine(src)), "invalid YAML: %s", msg)
	}
	s := &Spec{Path: path, Kind: EnvironmentYML}
	if len(doc.Content) == 0 {
		return s, nil // an empty document asks for nothing
	}
	root := doc.Content[0]
	if isNull(root) {
		return s, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fatal(path, root.Line, "an environment file must be a YAML mapping with channels and dependencies")
	}
	r := envReader{spec: s, probs: problems{path: path}}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, value := root.Content[i], root.Content[i+1]
		switch key.Value {
		case "channels", "platforms", "dependencies":
		default:
			continue
		}
		if first, dup := seen[key.Value]; dup {
			r.probs.add(key.Line, "duplicate key %q (first at line %d); this one is ignored", key.Value, first)
			continue
		}
		seen[key.Value] = key.Line
		switch key.Value {
		case "channels":
			s.Channels = r.stringList(key.Value, value)
		case "platforms":
			s.Platforms = r.stringList(key.Value, value)
			if s.Platforms == nil {
				s.Platforms = []string{}
			}
		case "dependencies":
			r.dependencies(value)
		}
	}
	return r.probs.result(s)
}

// envReader walks the YAML tree of one environment file.
type envReader struct {
	spec  *Spec
	probs problems
}

// stringList reads a list of single values; entries that are not are problems.
func (r *envReader) stringList(key string, n *yaml.Node) []string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.probs.add(n.Line, "%s must be a list", key)
		return nil
	}
	var out []string
	for _, item := range n.Content {
		v, ok := scalar(item)
		if !ok || isNull(v) {
			r.probs.add(item.Line, "each entry of %s must be a single value", key)
			continue
		}
		out = append(out, v.Value)
	}
	return out
}

// dependencies reads the dependencies list: conda MatchSpecs and pip
// sections.
func (r *envReader) dependencies(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		r.probs.add(n.Line, "dependencies must be a list")
		return
	}
	for _, item := range n.Content {
		if v, ok := scalar(item); ok {
			if isNull(v) {
				r.probs.add(item.Line, "empty dependency entry")
				continue
			}
			req, msg := condaRequirement(v.Value)
			if msg != "" {
				r.probs.add(item.Line, "%s", msg)
				continue
			}
			req.Line = item.Line
			req.Selector = selectorOf(item.LineComment)
			r.spec.Requirements = append(r.spec.Requirements, req)
			continue
		}
		if item.Kind != yaml.MappingNode {
			r.probs.add(item.Line, "a dependency must be a MatchSpec or a pip: list")
			continue
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			key, value := item.Content[i], item.Content[i+1]
			if key.Value != "pip" {
				r.probs.add(key.Line, "unknown dependency section %s; only pip: is read", quote(key.Value))
				continue
			}
			r.pip(value)
		}
	}
}

// pip reads a pip: list, each entry a requirements-file line.
func (r *envReader) pip(n *yaml.Node) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		r.probs.add(n.Line, "pip: must be a list")
		return
	}
	for _, item := range n.Content {
		v, ok := scalar(item)
		if !ok || isNull(v) {
			r.probs.add(item.Line, "each pip: entry must be a requirement line")
			continue
		}
		pl := parsePipLine(v.Value)
		switch {
		case pl.err != "":
			r.probs.add(item.Line, "%s", pl.err)
		case pl.include != "":
			r.spec.Includes = append(r.spec.Includes, pl.include)
		case pl.req != nil:
			pl.req.Line = item.Line
			r.spec.Requirements = append(r.spec.Requirements, *pl.req)
		}
	}
}

// condaRequirement reads a conda MatchSpec as written in a spec. Line and
// the other placement fields are left for the caller.
func condaRequirement(raw string) (Requirement, string) {
	ms, err := conda.ParseMatchSpec(raw)
	if err != nil {
		return Requirement{}, err.Error()
	}
	return Requirement{Manager: lock.Conda, Name: strings.ToLower(ms.Name), Conda: ms, Raw: raw}, ""
}

// scalar returns n, or the node an alias points at, when that is a single
// value. Aliases of lists and mappings are not followed, so a document
// cannot multiply its size through them.
func scalar(n *yaml.Node) (*yaml.Node, bool) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n, n.Kind == yaml.ScalarNode
}

// isNull reports whether a node is YAML's null ("", "~", "null").
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// yamlLine matches the position yaml.v3 puts into its error messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlParserProblems are the yaml.v3 parser (not scanner) messages. yaml.v3
// numbers the lines of these from 0, and of every other error from 1.
var yamlParserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// yamlErrorLine splits a yaml.v3 error into its 1-based line and its
// message. yaml.v3 leaves the line out for problems on the first line, and
// for an unknown anchor, which has no line (0). A problem found at the end
// of the document may be placed one line past it; callers clamp the line
// with lastLine.
func yamlErrorLine(err error) (int, string) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, convErr := strconv.Atoi(m[1])
		if convErr == nil {
			msg = msg[len(m[0]):]
			if yamlParserProblems[msg] {
				line++
			}
			return line, clipMessage(msg)
		}
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.HasPrefix(msg, "unknown anchor") {
		return 0, clipMessage(msg)
	}
	return 1, clipMessage(msg)
}

// lastLine returns the number of the last line of src that holds text: a
// final line break does not start another line.
func lastLine(src string) int {
	return strings.Count(strings.TrimSuffix(src, "\n"), "\n") + 1
}
