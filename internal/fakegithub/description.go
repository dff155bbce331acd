package fakegithub

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// document is the part of GitHub's OpenAPI 3.0 description that the fake uses.
type document struct {
	Paths      map[string]*pathItem `json:"paths"`
	Components struct {
		Schemas    map[string]*schema    `json:"schemas"`
		Parameters map[string]*parameter `json:"parameters"`
		Responses  map[string]*response  `json:"responses"`
	} `json:"components"`
}

// pathItem holds the operations of one path template.
type pathItem struct {
	Get        *operation   `json:"get"`
	Put        *operation   `json:"put"`
	Post       *operation   `json:"post"`
	Patch      *operation   `json:"patch"`
	Delete     *operation   `json:"delete"`
	Parameters []*parameter `json:"parameters"`
}

// operation is one method of one path.
type operation struct {
	OperationID string               `json:"operationId"`
	Parameters  []*parameter         `json:"parameters"`
	RequestBody *requestBody         `json:"requestBody"`
	Responses   map[string]*response `json:"responses"`
}

// parameter is a path, query or header parameter, or a $ref to one in components.
type parameter struct {
	Ref      string  `json:"$ref"`
	Name     string  `json:"name"`
	In       string  `json:"in"`
	Required bool    `json:"required"`
	Schema   *schema `json:"schema"`
}

type requestBody struct {
	Required bool                 `json:"required"`
	Content  map[string]mediaType `json:"content"`
}

type mediaType struct {
	Schema *schema `json:"schema"`
}

// response is a documented response, or a $ref to one in components.
type response struct {
	Ref     string               `json:"$ref"`
	Content map[string]mediaType `json:"content"`
}

// description is the loaded document with its router.
type description struct {
	doc        *document
	router     *router
	operations map[string]*operation // by operationId
	loadTime   time.Duration
}

var (
	descOnce   sync.Once
	descLoaded *description
	descErr    error
)

// loadDescription reads and indexes GitHub's REST description once per process. It skips
// or fails t as internal/fixtures does when the file has not been fetched.
func loadDescription(t testing.TB) *description {
	t.Helper()
	path := fixtures.OpenAPIPath(t)
	descOnce.Do(func() { descLoaded, descErr = parseDescription(path) })
	if descErr != nil {
		t.Fatal(descErr)
	}
	return descLoaded
}

// parseDescription decodes the description at path and builds its router.
func parseDescription(path string) (*description, error) {
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open REST description: %w", err)
	}
	defer f.Close()
	var doc document
	if err := json.NewDecoder(f).Decode(&doc); err != nil {
		return nil, fmt.Errorf("parse REST description %s: %w", path, err)
	}
	d := &description{doc: &doc, operations: map[string]*operation{}}
	d.router = newRouter()
	for template, item := range doc.Paths {
		for method, op := range item.methods() {
			if op.OperationID == "" {
				return nil, fmt.Errorf("REST description: %s %s has no operationId", method, template)
			}
			op.Parameters = append(append([]*parameter(nil), item.Parameters...), op.Parameters...)
			for i, p := range op.Parameters {
				resolved, err := d.parameter(p)
				if err != nil {
					return nil, fmt.Errorf("REST description: %s: %w", op.OperationID, err)
				}
				op.Parameters[i] = resolved
			}
			d.operations[op.OperationID] = op
			if err := d.router.add(template, method, op); err != nil {
				return nil, err
			}
		}
	}
	d.loadTime = time.Since(start)
	return d, nil
}

// methods lists the item's operations by HTTP method.
func (p *pathItem) methods() map[string]*operation {
	out := map[string]*operation{}
	for method, op := range map[string]*operation{"GET": p.Get, "PUT": p.Put, "POST": p.Post, "PATCH": p.Patch, "DELETE": p.Delete} {
		if op != nil {
			out[method] = op
		}
	}
	return out
}

// parameter resolves a parameter $ref into components.parameters.
func (d *description) parameter(p *parameter) (*parameter, error) {
	for p.Ref != "" {
		name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
		if !ok || d.doc.Components.Parameters[name] == nil {
			return nil, fmt.Errorf("unresolvable parameter $ref %q", p.Ref)
		}
		p = d.doc.Components.Parameters[name]
	}
	return p, nil
}

// responseSchema returns the JSON schema documented for status, and whether the operation
// documents that status at all.
func (d *description) responseSchema(op *operation, status int) (*schema, bool) {
	r, ok := op.Responses[fmt.Sprint(status)]
	if !ok {
		return nil, false
	}
	for r.Ref != "" {
		name, _ := strings.CutPrefix(r.Ref, "#/components/responses/")
		r = d.doc.Components.Responses[name]
		if r == nil {
			return nil, true
		}
	}
	if mt, ok := r.Content["application/json"]; ok {
		return mt.Schema, true
	}
	return nil, true
}

// namedSchema returns components.schemas[name]; the fake uses it for error bodies.
func (d *description) namedSchema(name string) *schema {
	return d.doc.Components.Schemas[name]
}
