package operator

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"
)

// schemaNode is a JSON Schema object as decoded from Schema.
type schemaNode = map[string]any

// schemaAt follows a path of property names from the schema's root,
// through "items" and "$ref"s, to the schema of one level of the file.
func schemaAt(t *testing.T, root schemaNode, path ...string) schemaNode {
	t.Helper()
	node := root
	resolve := func() {
		for {
			ref, ok := node["$ref"].(string)
			if !ok {
				return
			}
			node = root
			for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
				node = node[part].(schemaNode)
			}
		}
	}
	resolve()
	for _, step := range path {
		next, ok := node[step].(schemaNode)
		if !ok {
			next, ok = node["properties"].(schemaNode)[step].(schemaNode)
		}
		if !ok {
			t.Fatalf("the schema has no %q on the way to %v", step, path)
		}
		node = next
		resolve()
	}
	return node
}

// levels are the mappings of the file: where the parser names them, how to
// reach their schema, and a valid file with X where the mapping goes.
var levels = []struct {
	where    string
	path     []string
	document string
}{
	{"the top level", nil, "X\n"},
	{"hubs[0]", []string{"hubs", "items"}, "hubs:\n  - X\n"},
	{"hubs[0].kubernetes", []string{"hubs", "items", "kubernetes"}, "hubs:\n  - {name: a, url: https://a.example.org, kubernetes: X}\n"},
	{"hubs[0].configRepo", []string{"hubs", "items", "configRepo"}, "hubs:\n  - {name: a, url: https://a.example.org, configRepo: X}\n"},
	{"repositories[0]", []string{"repositories", "items"}, "repositories:\n  - X\n"},
	{"repositories[0].hubs[0]", []string{"$defs", "repositoryHub"}, "repositories:\n  - {repository: o/r, image: o/r, workflow: W, hubs: [X]}\n"},
	{"registries[0]", []string{"registries", "items"}, "registries:\n  - X\n"},
	{"hubs[0].metrics", []string{"hubs", "items", "metrics"}, "hubs:\n  - {name: a, url: https://a.example.org, configRepo: {repository: o/r, path: p, key: k}, metrics: X}\n"},
	{"hubs[0].healthy", []string{"hubs", "items", "healthy"}, "hubs:\n  - {name: a, url: https://a.example.org, configRepo: {repository: o/r, path: p, key: k}, healthy: X}\n"},
}

// parserProblems parses a file that levels describe, with X replaced.
func parserProblems(t *testing.T, document, x string) Problems {
	t.Helper()
	_, err := Parse([]byte(strings.Replace(document, "X", x, 1)))
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("Parse gave %v, want Problems", err)
	}
	return problems
}

// TestSchemaMatchesParser keeps the shipped JSON Schema and the parser in
// step: at every level, the keys the parser knows (as its unknown-key
// message lists them) are the schema's properties, and the keys it
// requires are the schema's required ones.
func TestSchemaMatchesParser(t *testing.T) {
	var root schemaNode
	if err := json.Unmarshal(Schema, &root); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	for _, level := range levels {
		t.Run(level.where, func(t *testing.T) {
			schema := schemaAt(t, root, level.path...)
			var properties []string
			for k := range schema["properties"].(schemaNode) {
				properties = append(properties, k)
			}
			sort.Strings(properties)

			var known []string
			for _, p := range parserProblems(t, level.document, "{zzz: 1}") {
				if list, ok := strings.CutPrefix(p.Message, `unknown key "zzz" in `+level.where+"; known keys: "); ok {
					known = strings.Split(list, ", ")
				}
			}
			if !reflect.DeepEqual(known, properties) {
				t.Errorf("the parser knows %v, the schema %v", known, properties)
			}

			var schemaRequired, parserRequired []string
			if list, ok := schema["required"].([]any); ok {
				for _, k := range list {
					schemaRequired = append(schemaRequired, k.(string))
				}
			}
			for _, p := range parserProblems(t, level.document, "{zzz: 1}") {
				if key, ok := strings.CutSuffix(strings.TrimPrefix(p.Message, level.where+"."), " is required"); ok && !strings.Contains(key, ".") {
					parserRequired = append(parserRequired, key)
				}
			}
			sort.Strings(schemaRequired)
			sort.Strings(parserRequired)
			if !reflect.DeepEqual(parserRequired, schemaRequired) {
				t.Errorf("the parser requires %v, the schema %v", parserRequired, schemaRequired)
			}
		})
	}
}

// TestSchemaDefaults keeps the defaults the schema documents equal to the
// parser's.
func TestSchemaDefaults(t *testing.T) {
	var root schemaNode
	if err := json.Unmarshal(Schema, &root); err != nil {
		t.Fatalf("the schema is not JSON: %v", err)
	}
	duration := func(s any) any {
		d, err := time.ParseDuration(s.(string))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	same := func(s any) any { return s }
	tests := []struct {
		path    []string
		convert func(any) any
		want    any
	}{
		{[]string{"hubs", "items", "kubernetes", "selector"}, same, DefaultSelector},
		{[]string{"hubs", "items", "kubernetes", "container"}, same, DefaultContainer},
		{[]string{"hubs", "items", "kubernetes", "inCluster"}, same, false},
		{[]string{"hubs", "items", "configRepo", "openPullRequest"}, same, false},
		{[]string{"repositories", "items", "tag"}, same, DefaultTagTemplate},
		{[]string{"repositories", "items", "timeout"}, duration, DefaultTimeout},
		{[]string{"repositories", "items", "configureWithin"}, duration, DefaultConfigureWithin},
		{[]string{"hubs", "items", "metrics", "prefix"}, same, DefaultMetricsPrefix},
		{[]string{"hubs", "items", "healthy", "window"}, duration, DefaultHealthyWindow},
		{[]string{"hubs", "items", "healthy", "failures"}, func(s any) any { return int(s.(float64)) }, DefaultHealthyFailures},
		{[]string{"registries", "items", "insecure"}, same, false},
	}
	for _, tt := range tests {
		// The default sits next to a $ref, so look it up before following it.
		parent := schemaAt(t, root, tt.path[:len(tt.path)-1]...)
		prop := parent["properties"].(schemaNode)[tt.path[len(tt.path)-1]].(schemaNode)
		if got := tt.convert(prop["default"]); got != tt.want {
			t.Errorf("schema default of %v is %v, the parser's is %v", tt.path, got, tt.want)
		}
	}
}
