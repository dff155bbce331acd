package fakegithub

import (
	"encoding/json"
	"testing"
)

func TestValidator(t *testing.T) {
	v := &validator{schemas: map[string]*schema{}}
	must(t, json.Unmarshal([]byte(`{
		"user": {"type": "object", "required": ["login"], "properties": {"login": {"type": "string"}}},
		"nullable-user": {"type": "object", "nullable": true, "required": ["login"], "properties": {"login": {"type": "string"}}}
	}`), &v.schemas))
	for _, tc := range []struct {
		name     string
		schema   string
		instance string
		want     []string
	}{
		{name: "string", schema: `{"type": "string"}`, instance: `"x"`},
		{name: "integer accepts 3", schema: `{"type": "integer"}`, instance: `3`},
		{name: "integer accepts 3.0", schema: `{"type": "integer"}`, instance: `3.0`},
		{name: "integer rejects 3.5", schema: `{"type": "integer"}`, instance: `3.5`, want: []string{"/: is number, want integer"}},
		{name: "number accepts 3.5", schema: `{"type": "number"}`, instance: `3.5`},
		{name: "type list", schema: `{"type": ["string", "integer"]}`, instance: `true`, want: []string{"/: is boolean, want string or integer"}},
		{name: "null without nullable", schema: `{"type": "string"}`, instance: `null`, want: []string{"/: is null, want string"}},
		{name: "null with nullable", schema: `{"type": "string", "nullable": true}`, instance: `null`},
		{name: "null in enum", schema: `{"type": "string", "enum": ["a", null]}`, instance: `null`},
		{name: "enum", schema: `{"type": "string", "enum": ["a", "b"]}`, instance: `"c"`, want: []string{`/: "c" is not one of ["a","b"]`}},
		{name: "numeric enum", schema: `{"type": "integer", "enum": [1, 2]}`, instance: `2`},
		{name: "required and nested pointer", schema: `{"type": "object", "required": ["a"], "properties": {"b": {"type": "object", "properties": {"c/d": {"type": "integer"}}}}}`,
			instance: `{"b": {"c/d": "x"}}`, want: []string{`/: lacks required property "a"`, "/b/c~1d: is string, want integer"}},
		{name: "additionalProperties false", schema: `{"type": "object", "properties": {"a": {}}, "additionalProperties": false}`,
			instance: `{"a": 1, "z": 2}`, want: []string{`/: has property "z", which the schema does not allow`}},
		{name: "additionalProperties schema", schema: `{"type": "object", "additionalProperties": {"type": "string"}}`,
			instance: `{"a": "x", "b": 2}`, want: []string{"/b: is integer, want string"}},
		{name: "additionalProperties true", schema: `{"type": "object", "additionalProperties": true}`, instance: `{"a": 1}`},
		{name: "items", schema: `{"type": "array", "items": {"type": "integer"}}`, instance: `[1, "2"]`, want: []string{"/1: is string, want integer"}},
		{name: "minItems and maxItems", schema: `{"type": "array", "minItems": 2, "maxItems": 3}`, instance: `[1]`, want: []string{"/: has 1 items, want at least 2"}},
		{name: "maxItems", schema: `{"type": "array", "maxItems": 1}`, instance: `[1, 2]`, want: []string{"/: has 2 items, want at most 1"}},
		// Lengths count characters, not bytes: "éé" is 4 bytes.
		{name: "maxLength counts characters", schema: `{"type": "string", "maxLength": 2}`, instance: `"éé"`},
		{name: "maxLength", schema: `{"type": "string", "maxLength": 2}`, instance: `"abc"`, want: []string{"/: has 3 characters, want at most 2"}},
		{name: "minLength", schema: `{"type": "string", "minLength": 2}`, instance: `"a"`, want: []string{"/: has 1 characters, want at least 2"}},
		{name: "minimum and maximum", schema: `{"type": "object", "properties": {"lo": {"minimum": 1}, "hi": {"maximum": 10}}}`,
			instance: `{"lo": 0, "hi": 11}`, want: []string{"/hi: 11 is greater than the maximum 10", "/lo: 0 is less than the minimum 1"}},
		{name: "ref", schema: `{"$ref": "#/components/schemas/user"}`, instance: `{}`, want: []string{`/: lacks required property "login"`}},
		{name: "nullable ref", schema: `{"$ref": "#/components/schemas/nullable-user"}`, instance: `null`},
		{name: "unresolvable ref", schema: `{"$ref": "#/components/schemas/nope"}`, instance: `{}`, want: []string{`/: schema $ref "#/components/schemas/nope" does not resolve`}},
		{name: "allOf", schema: `{"allOf": [{"$ref": "#/components/schemas/user"}, {"required": ["pem"]}]}`, instance: `{"login": "x"}`,
			want: []string{`/: lacks required property "pem"`}},
		{name: "anyOf none", schema: `{"anyOf": [{"type": "string"}, {"type": "integer"}]}`, instance: `true`,
			want: []string{"/: matches no anyOf alternative (alternative 1: /: is boolean, want string; alternative 2: /: is boolean, want integer)"}},
		{name: "oneOf one", schema: `{"oneOf": [{"type": "object"}, {"type": "string"}]}`, instance: `"x"`},
		// GitHub's unions overlap; matching several alternatives is accepted.
		{name: "oneOf several", schema: `{"oneOf": [{"type": "object"}, {"type": "object", "properties": {"a": {}}}]}`, instance: `{"a": 1}`},
		{name: "oneOf none", schema: `{"oneOf": [{"type": "object"}, {"type": "string"}]}`, instance: `1`,
			want: []string{"/: matches no oneOf alternative (alternative 1: /: is integer, want object; alternative 2: /: is integer, want string)"}},
		{name: "nullable oneOf", schema: `{"nullable": true, "oneOf": [{"type": "object"}]}`, instance: `null`},
		{name: "format is informational", schema: `{"type": "string", "format": "date-time"}`, instance: `"yesterday"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s schema
			must(t, json.Unmarshal([]byte(tc.schema), &s))
			instance, err := decodeInstance([]byte(tc.instance))
			must(t, err)
			var vs []violation
			v.validate(&s, instance, "", &vs)
			var got []string
			for _, x := range vs {
				got = append(got, x.String())
			}
			equal(t, "violations", got, tc.want)
		})
	}
}
