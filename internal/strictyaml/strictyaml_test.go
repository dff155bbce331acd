package strictyaml

import (
	"errors"
	"reflect"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestMapping(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		required []string
		want     []Problem
		handled  []string
	}{
		{"known keys", "a: 1\nb: 2\n", nil, nil, []string{"a", "b"}},
		{"unknown key", "a: 1\nc: 2\n", nil, []Problem{{Line: 2, Message: `unknown key "c" in top; known keys: a, b`}}, []string{"a"}},
		{"repeated key", "a: 1\na: 2\n", nil, []Problem{{Line: 2, Message: `key "a" appears twice in top`}}, []string{"a"}},
		{"missing required key", "a: 1\n", []string{"b"}, []Problem{{Line: 1, Message: "top.b is required"}}, []string{"a"}},
		{"not a mapping", "- a\n", nil, []Problem{{Line: 1, Message: "top must be a mapping of keys to values"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.input), &doc); err != nil {
				t.Fatal(err)
			}
			var handled []string
			keys := map[string]func(*yaml.Node){}
			for _, k := range []string{"a", "b"} {
				keys[k] = func(*yaml.Node) { handled = append(handled, k) }
			}
			var w Walker
			w.Mapping(doc.Content[0], "top", keys, tt.required...)
			if !reflect.DeepEqual(w.Problems, tt.want) || !reflect.DeepEqual(handled, tt.handled) {
				t.Errorf("problems %v handled %v; want %v %v", w.Problems, handled, tt.want, tt.handled)
			}
		})
	}
}

func TestErrorLine(t *testing.T) {
	var doc yaml.Node
	err := yaml.Unmarshal([]byte("a: 1\nb: [\n"), &doc)
	if got := ErrorLine(err); got != 2 { // "yaml: line 2: did not find expected node content"
		t.Errorf("ErrorLine(%v) = %d", err, got)
	}
	if got := ErrorLine(errors.New("no line here")); got != 1 {
		t.Errorf("ErrorLine without a line = %d, want 1", got)
	}
}
