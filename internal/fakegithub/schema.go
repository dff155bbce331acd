package fakegithub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// schema is the subset of OpenAPI 3.0 JSON Schema that GitHub's description uses for
// validation. format, pattern, description and examples are informational and not checked.
// (The package documentation says why this is not kin-openapi's validator.)
type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 typeList           `json:"type"`
	Nullable             bool               `json:"nullable"`
	Properties           map[string]*schema `json:"properties"`
	Required             []string           `json:"required"`
	AdditionalProperties *additional        `json:"additionalProperties"`
	Items                *schema            `json:"items"`
	Enum                 []any              `json:"enum"`
	OneOf                []*schema          `json:"oneOf"`
	AnyOf                []*schema          `json:"anyOf"`
	AllOf                []*schema          `json:"allOf"`
	Minimum              *float64           `json:"minimum"`
	Maximum              *float64           `json:"maximum"`
	MinLength            *int               `json:"minLength"`
	MaxLength            *int               `json:"maxLength"`
	MinItems             *int               `json:"minItems"`
	MaxItems             *int               `json:"maxItems"`
}

// typeList is a schema's type: one name, or a list of names.
type typeList []string

func (t *typeList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '[' {
		return json.Unmarshal(b, (*[]string)(t))
	}
	var one string
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*t = typeList{one}
	return nil
}

// additional is additionalProperties: false forbids unknown properties, a schema
// constrains them, and true (or absence) allows anything.
type additional struct {
	Forbidden bool
	Schema    *schema
}

func (a *additional) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true":
		return nil
	case "false":
		a.Forbidden = true
		return nil
	}
	a.Schema = new(schema)
	return json.Unmarshal(b, a.Schema)
}

// violation is one way an instance fails its schema.
type violation struct {
	Pointer string // JSON pointer into the instance; "" is the whole document
	Reason  string
}

func (v violation) String() string {
	p := v.Pointer
	if p == "" {
		p = "/"
	}
	return p + ": " + v.Reason
}

// validator checks JSON instances against schemas of one description.
type validator struct {
	schemas map[string]*schema // components.schemas
}

// decodeInstance parses a JSON document keeping numbers exact.
func decodeInstance(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

// validate appends to out every violation of s by value at pointer ptr.
func (v *validator) validate(s *schema, value any, ptr string, out *[]violation) {
	s, err := v.resolve(s)
	if err != nil {
		*out = append(*out, violation{ptr, err.Error()})
		return
	}
	if s == nil {
		return
	}
	if value == nil {
		if s.Nullable || slices.Contains(s.Enum, nil) || (len(s.Type) == 0 && len(s.OneOf)+len(s.AnyOf)+len(s.AllOf) == 0) ||
			slices.Contains([]string(s.Type), "null") {
			return
		}
		if len(s.Type) > 0 {
			*out = append(*out, violation{ptr, fmt.Sprintf("is null, want %s", strings.Join(s.Type, " or "))})
			return
		}
	}
	if len(s.Type) > 0 && !slices.ContainsFunc([]string(s.Type), func(t string) bool { return hasType(value, t) }) {
		*out = append(*out, violation{ptr, fmt.Sprintf("is %s, want %s", jsonKind(value), strings.Join(s.Type, " or "))})
		return
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return jsonEqual(e, value) }) {
		*out = append(*out, violation{ptr, fmt.Sprintf("%s is not one of %s", compact(value), compact(s.Enum))})
	}
	switch x := value.(type) {
	case map[string]any:
		v.validateObject(s, x, ptr, out)
	case []any:
		if s.MinItems != nil && len(x) < *s.MinItems {
			*out = append(*out, violation{ptr, fmt.Sprintf("has %d items, want at least %d", len(x), *s.MinItems)})
		}
		if s.MaxItems != nil && len(x) > *s.MaxItems {
			*out = append(*out, violation{ptr, fmt.Sprintf("has %d items, want at most %d", len(x), *s.MaxItems)})
		}
		if s.Items != nil {
			for i, item := range x {
				v.validate(s.Items, item, ptr+"/"+strconv.Itoa(i), out)
			}
		}
	case string:
		n := utf8.RuneCountInString(x)
		if s.MinLength != nil && n < *s.MinLength {
			*out = append(*out, violation{ptr, fmt.Sprintf("has %d characters, want at least %d", n, *s.MinLength)})
		}
		if s.MaxLength != nil && n > *s.MaxLength {
			*out = append(*out, violation{ptr, fmt.Sprintf("has %d characters, want at most %d", n, *s.MaxLength)})
		}
	case json.Number:
		f, _ := x.Float64()
		if s.Minimum != nil && f < *s.Minimum {
			*out = append(*out, violation{ptr, fmt.Sprintf("%s is less than the minimum %v", x, *s.Minimum)})
		}
		if s.Maximum != nil && f > *s.Maximum {
			*out = append(*out, violation{ptr, fmt.Sprintf("%s is greater than the maximum %v", x, *s.Maximum)})
		}
	}
	for _, sub := range s.AllOf {
		v.validate(sub, value, ptr, out)
	}
	v.validateUnion("anyOf", s.AnyOf, value, ptr, out)
	v.validateUnion("oneOf", s.OneOf, value, ptr, out)
}

// validateUnion requires value to match at least one of alts. oneOf gets the same union
// reading as anyOf: GitHub's description uses oneOf for unions whose alternatives overlap
// (the 409 of repos/create-or-update-file-contents is basic-error or
// repository-rule-violation-error, and any error object matches both), as the TypeScript
// types generated from it do.
func (v *validator) validateUnion(keyword string, alts []*schema, value any, ptr string, out *[]violation) {
	if len(alts) == 0 {
		return
	}
	var firsts []string
	for i, sub := range alts {
		var vs []violation
		v.validate(sub, value, ptr, &vs)
		if len(vs) == 0 {
			return
		}
		firsts = append(firsts, fmt.Sprintf("alternative %d: %s", i+1, vs[0]))
	}
	*out = append(*out, violation{ptr, fmt.Sprintf("matches no %s alternative (%s)", keyword, strings.Join(firsts, "; "))})
}

// validateObject checks required, properties and additionalProperties.
func (v *validator) validateObject(s *schema, obj map[string]any, ptr string, out *[]violation) {
	for _, name := range s.Required {
		if _, ok := obj[name]; !ok {
			*out = append(*out, violation{ptr, fmt.Sprintf("lacks required property %q", name)})
		}
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		child := ptr + "/" + escapePointer(name)
		if prop, ok := s.Properties[name]; ok {
			v.validate(prop, obj[name], child, out)
			continue
		}
		if s.AdditionalProperties == nil {
			continue
		}
		if s.AdditionalProperties.Forbidden {
			*out = append(*out, violation{ptr, fmt.Sprintf("has property %q, which the schema does not allow", name)})
			continue
		}
		v.validate(s.AdditionalProperties.Schema, obj[name], child, out)
	}
}

// resolve follows $refs into components.schemas.
func (v *validator) resolve(s *schema) (*schema, error) {
	for s != nil && s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		next := v.schemas[name]
		if !ok || next == nil {
			return nil, fmt.Errorf("schema $ref %q does not resolve", s.Ref)
		}
		s = next
	}
	return s, nil
}

// hasType reports whether value is of the JSON Schema type t.
func hasType(value any, t string) bool {
	switch x := value.(type) {
	case nil:
		return t == "null"
	case bool:
		return t == "boolean"
	case string:
		return t == "string"
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	case json.Number:
		if t == "number" {
			return true
		}
		if t != "integer" {
			return false
		}
		if _, err := x.Int64(); err == nil {
			return true
		}
		f, err := x.Float64()
		return err == nil && f == math.Trunc(f)
	}
	return false
}

// jsonKind names value's JSON type for messages.
func jsonKind(value any) string {
	switch x := value.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		if hasType(x, "integer") {
			return "integer"
		}
		return "number"
	}
	return fmt.Sprintf("%T", value)
}

// jsonEqual compares an enum member (decoded without UseNumber) with an instance value.
func jsonEqual(enum, value any) bool {
	switch e := enum.(type) {
	case float64:
		n, ok := value.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == e
	case nil, bool, string:
		return enum == value
	}
	return false
}

// compact renders v as short JSON for messages.
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// escapePointer escapes a property name for a JSON pointer (RFC 6901).
func escapePointer(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}
