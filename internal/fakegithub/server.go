package fakegithub

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an in-memory GitHub REST API served by an httptest.Server. Create it with New.
type Server struct {
	t    testing.TB
	desc *description
	val  *validator
	http *httptest.Server
	now  func() time.Time
	app  appIdentity

	mu            sync.Mutex
	nextID        int64
	users         map[string]int64 // login → id
	repos         map[string]*Repo // "owner/name" → repo
	installations map[int64]*Installation
	tokens        map[string]*installationToken
	manifests     map[string]AppCredentials
	calls         []Call
	tokenCalls    int
	faults        map[string]*fault
	afterFaults   map[string]*fault
	delays        map[string]time.Duration
	random        *randomFaults
	limitedUntil  map[int64]time.Time // installation → end of an injected secondary rate limit
	hooks         hookDeliveries
}

// appIdentity is the GitHub App that the code under test authenticates as.
type appIdentity struct {
	id   int64
	slug string
	key  *rsa.PublicKey
}

// Option configures a Server.
type Option func(*Server)

// WithClock makes now the source of every timestamp the server writes (created_at,
// updated_at, expires_at, commit dates). The default is time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithApp sets the GitHub App that JWTs must name as issuer and that owns installations,
// check runs and comments the app creates. The default is app 1, slug "imagebot".
func WithApp(id int64, slug string) Option {
	return func(s *Server) { s.app.id, s.app.slug = id, slug }
}

// WithAppKey makes the server verify the RS256 signature of app JWTs with key, as GitHub
// does with the App's registered public key. Without it only the JWT's form and issuer are
// checked.
func WithAppKey(key *rsa.PublicKey) Option { return func(s *Server) { s.app.key = key } }

// New starts a fake GitHub for t and closes it when t's cleanup runs. It loads GitHub's
// REST description once per process (skipping or failing t as internal/fixtures says when
// it has not been fetched).
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	desc := loadDescription(t)
	s := &Server{
		t:             t,
		desc:          desc,
		val:           &validator{schemas: desc.doc.Components.Schemas},
		now:           time.Now,
		app:           appIdentity{id: 1, slug: "imagebot"},
		users:         map[string]int64{},
		repos:         map[string]*Repo{},
		installations: map[int64]*Installation{},
		tokens:        map[string]*installationToken{},
		manifests:     map[string]AppCredentials{},
		faults:        map[string]*fault{},
		afterFaults:   map[string]*fault{},
		delays:        map[string]time.Duration{},
		limitedUntil:  map[int64]time.Time{},
	}
	for _, opt := range opts {
		opt(s)
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.http.Close)
	return s
}

// URL is the API base URL with a trailing slash, for go-github's BaseURL or
// WithEnterpriseURLs. The server also answers under <URL>api/v3/, the form that
// WithEnterpriseURLs produces from a bare host.
func (s *Server) URL() string { return s.http.URL + "/" }

// request is one validated API call on its way to a handler.
type request struct {
	http   *http.Request
	op     *operation
	params map[string]string
	query  url.Values
	body   []byte // nil when the request had no body or a JSON null
	repo   *Repo  // set for /repos/{owner}/{repo}/... operations
}

// reply is a handler's answer.
type reply struct {
	status int
	body   any // marshalled to JSON; nil writes no body
	header http.Header
	// injected marks a fault from Fail, whose response is not checked against the
	// description.
	injected bool
}

// serve is the request pipeline: route, validate, delay, fault, authenticate, handle,
// validate the response, record.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	escaped := r.URL.EscapedPath()
	if rest, ok := strings.CutPrefix(escaped, "/api/v3/"); ok {
		escaped = "/" + rest
	}
	path, err := url.PathUnescape(escaped)
	if err != nil {
		path = escaped
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.t.Errorf("fakegithub: read %s %s body: %v", r.Method, path, err)
		s.write(w, "", errorReply(http.StatusBadRequest, "Problems reading the body"))
		return
	}
	call := Call{Method: r.Method, Path: path, Query: r.URL.Query(), Body: body, At: time.Now()}
	rep := s.dispatch(r, escaped, path, body, &call)
	call.Status = rep.status
	s.mu.Lock()
	s.calls = append(s.calls, call)
	if call.OperationID == opCreateInstallationToken {
		s.tokenCalls++
	}
	s.mu.Unlock()
	s.write(w, call.OperationID, rep)
}

// dispatch produces the reply for one request and fills in call.OperationID.
func (s *Server) dispatch(r *http.Request, escaped, path string, body []byte, call *Call) reply {
	m, pathKnown, err := s.desc.router.lookup(r.Method, escaped)
	if err != nil {
		s.t.Errorf("fakegithub: %s %s: %v", r.Method, path, err)
		return errorReply(http.StatusNotFound, "Not Found")
	}
	if m.op == nil {
		if pathKnown {
			s.t.Errorf("fakegithub: %s %s: GitHub's REST description has this path but no %s operation on it", r.Method, path, r.Method)
		} else {
			s.t.Errorf("fakegithub: %s %s matches no path in GitHub's REST description", r.Method, path)
		}
		return errorReply(http.StatusNotFound, "Not Found")
	}
	opID := m.op.OperationID
	call.OperationID = opID
	req := &request{http: r, op: m.op, params: m.params, query: r.URL.Query()}
	if !isNullBody(body) {
		req.body = body
	}
	if vs := s.validateRequest(req, r.Header.Get("Content-Type")); len(vs) > 0 {
		msgs := make([]string, len(vs))
		for i, v := range vs {
			msgs[i] = v.String()
		}
		s.t.Errorf("fakegithub: %s (%s %s) violates GitHub's REST description:\n\t%s", opID, r.Method, path, strings.Join(msgs, "\n\t"))
		return validationFailed("Invalid request.\n\n" + strings.Join(msgs, "\n"))
	}
	rep, failed, after := s.injectFault(r, m.template, opID, call)
	if failed {
		return rep
	}
	h, ok := handlers[opID]
	if !ok {
		s.t.Errorf("fakegithub: fake does not implement %s (%s %s)", opID, r.Method, path)
		return errorReply(http.StatusNotImplemented, "fakegithub does not implement "+opID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, rep, ok := s.authenticate(r, m.template)
	if !ok {
		return rep
	}
	if owner, name, scoped := repoParams(m); scoped {
		repo, rep, ok := s.repoAccess(tok, r.Method, owner, name)
		if !ok {
			return rep
		}
		req.repo = repo
	}
	rep = h(s, req)
	if after != nil {
		return *after
	}
	return rep
}

// isNullBody reports whether a request body is absent. GitHub treats a JSON null body as
// no body; ghinstallation sends one when no token options are set.
func isNullBody(body []byte) bool {
	b := bytes.TrimSpace(body)
	return len(b) == 0 || string(b) == "null"
}

// repoParams returns the owner and repo path parameters of a /repos/{owner}/{repo} route.
func repoParams(m match) (owner, name string, ok bool) {
	if !strings.HasPrefix(m.template, "/repos/{owner}/{repo}") {
		return "", "", false
	}
	return m.params["owner"], m.params["repo"], true
}

// validateRequest checks path and query parameters and the JSON body against the operation.
func (s *Server) validateRequest(req *request, contentType string) []violation {
	var vs []violation
	for _, p := range req.op.Parameters {
		switch p.In {
		case "path":
			s.validateParam(p, req.params[p.Name], "path parameter "+p.Name, &vs)
		case "query":
			values, present := req.query[p.Name]
			if !present {
				if p.Required {
					vs = append(vs, violation{"?" + p.Name, "required query parameter is missing"})
				}
				continue
			}
			for _, v := range values {
				s.validateParam(p, v, "?"+p.Name, &vs)
			}
		}
	}
	rb := req.op.RequestBody
	switch {
	case rb == nil && req.body != nil:
		vs = append(vs, violation{"", "the operation takes no request body"})
	case rb == nil:
	case req.body == nil:
		if rb.Required {
			vs = append(vs, violation{"", "request body is required"})
		}
	default:
		mt, ok := rb.Content["application/json"]
		if !ok {
			vs = append(vs, violation{"", "the operation does not take a JSON body"})
			break
		}
		if media, _, err := mime.ParseMediaType(contentType); err != nil || media != "application/json" {
			vs = append(vs, violation{"", fmt.Sprintf("Content-Type is %q, want application/json", contentType)})
		}
		instance, err := decodeInstance(req.body)
		if err != nil {
			vs = append(vs, violation{"", "body is not JSON: " + err.Error()})
			break
		}
		s.val.validate(mt.Schema, instance, "", &vs)
	}
	return vs
}

// validateParam validates a path or query parameter's text against its schema, reading it
// as the JSON type the schema declares.
func (s *Server) validateParam(p *parameter, text, where string, out *[]violation) {
	if p.Schema == nil {
		return
	}
	sch, err := s.val.resolve(p.Schema)
	if err != nil || sch == nil {
		return
	}
	var value any = text
	switch {
	case containsType(sch, "integer"), containsType(sch, "number"):
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			*out = append(*out, violation{where, fmt.Sprintf("%q is not a number", text)})
			return
		}
		value = json.Number(text)
	case containsType(sch, "boolean"):
		b, err := strconv.ParseBool(text)
		if err != nil {
			*out = append(*out, violation{where, fmt.Sprintf("%q is not a boolean", text)})
			return
		}
		value = b
	case containsType(sch, "array"):
		return
	}
	var vs []violation
	s.val.validate(sch, value, "", &vs)
	for _, v := range vs {
		*out = append(*out, violation{where, v.Reason})
	}
}

func containsType(s *schema, t string) bool {
	for _, x := range s.Type {
		if x == t {
			return true
		}
	}
	return false
}

// write marshals rep, validates it against the documented response and sends it.
func (s *Server) write(w http.ResponseWriter, opID string, rep reply) {
	for k, vs := range rep.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	var data []byte
	if rep.body != nil {
		var err error
		if data, err = json.Marshal(rep.body); err != nil {
			s.t.Errorf("fakegithub: %s: marshal response: %v", opID, err)
			rep.status, data = http.StatusInternalServerError, nil
		}
	}
	if opID != "" && !rep.injected {
		s.checkResponse(opID, rep.status, data)
	}
	if data != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(rep.status)
	w.Write(data)
}

// checkResponse validates the fake's own response against the schema GitHub documents for
// the operation and status. An undocumented error status is checked against basic-error;
// an undocumented success status is a fake bug.
func (s *Server) checkResponse(opID string, status int, data []byte) {
	op := s.desc.operations[opID]
	sch, documented := s.desc.responseSchema(op, status)
	if !documented {
		if status < 400 {
			s.t.Errorf("fakegithub: %s answered %d, which GitHub's REST description does not document", opID, status)
			return
		}
		sch = s.desc.namedSchema("basic-error")
	}
	if sch == nil || data == nil {
		return
	}
	instance, err := decodeInstance(data)
	if err != nil {
		s.t.Errorf("fakegithub: %s response %d is not JSON: %v", opID, status, err)
		return
	}
	var vs []violation
	s.val.validate(sch, instance, "", &vs)
	if len(vs) > 0 {
		msgs := make([]string, len(vs))
		for i, v := range vs {
			msgs[i] = v.String()
		}
		s.t.Errorf("fakegithub: the fake's %s response %d violates GitHub's REST description:\n\t%s", opID, status, strings.Join(msgs, "\n\t"))
	}
}

const docsURL = "https://docs.github.com/rest"

// errorReply is GitHub's basic-error body.
func errorReply(status int, message string) reply {
	return reply{status: status, body: object{"message": message, "documentation_url": docsURL, "status": strconv.Itoa(status)}}
}

// fieldError is one entry of a validation-error's errors list.
type fieldError struct {
	Resource string `json:"resource,omitempty"`
	Field    string `json:"field,omitempty"`
	Code     string `json:"code"`
	Message  string `json:"message,omitempty"`
}

// validationFailed is GitHub's 422 validation-error body.
func validationFailed(message string, errs ...fieldError) reply {
	body := object{"message": message, "documentation_url": docsURL, "status": "422"}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	return reply{status: http.StatusUnprocessableEntity, body: body}
}

// object is a JSON object under construction.
type object = map[string]any
