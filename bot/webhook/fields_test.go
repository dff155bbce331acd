package webhook

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/imagebot/imagebot/internal/fixtures"
)

func TestDecodeFields(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    Fields
		wantErr error
	}{
		{name: "a pull request", payload: `{"action":"opened","installation":{"id":42},"repository":{"id":7,"name":"hub",` +
			`"full_name":"org/hub","owner":{"login":"org","id":3}},"pull_request":{"id":9,"number":2,"title":"Bump",` +
			`"draft":true,"merged":false,"merge_commit_sha":null,"merged_at":null,"head":{"sha":"h1","ref":"x"},"base":{"sha":"b1"},` +
			`"labels":[{"id":99,"name":"bug"}],"body":"{\"id\":1}"}}`,
			want: Fields{Action: "opened", Installation: Object{ID: 42}, Repository: Repository{ID: 7, Name: "hub", Owner: "org", FullName: "org/hub"},
				PullRequest: &PullRequest{Object: Object{ID: 9, Number: 2}, Title: "Bump", Draft: true, HeadSHA: "h1", BaseSHA: "b1"}}},
		{name: "changes.base present", payload: `{"action":"edited","changes":{"base":{"ref":{"from":"main"}}}}`,
			want: Fields{Action: "edited", BaseChanged: true}},
		{name: "changes.base null is no change", payload: `{"action":"edited","changes":{"base":null}}`, want: Fields{Action: "edited"}},
		{name: "changes without base", payload: `{"changes":{"title":{"from":"x"}}}`},
		{name: "ids of the other objects", payload: `{"check_suite":{"id":1},"check_run":{"id":2},"workflow_run":{"id":3},"issue":{"number":4},"comment":{"id":5}}`,
			want: Fields{CheckSuite: Object{ID: 1}, CheckRun: Object{ID: 2}, WorkflowRun: Object{ID: 3}, Issue: Object{Number: 4}, Comment: Object{ID: 5}}},
		{name: "an id that is not an integer reads as 0", payload: `{"installation":{"id":"42"},"repository":{"id":4.5},"check_run":{"id":1e3}}`},
		{name: "an id beyond int64 reads as 0", payload: `{"installation":{"id":9223372036854775808}}`},
		{name: "the last of duplicate keys wins", payload: `{"action":"a","action":"b","installation":{"id":1,"id":2}}`,
			want: Fields{Action: "b", Installation: Object{ID: 2}}},
		{name: "a repeated object adds its members to the one before it",
			payload: `{"installation":{"id":1},"installation":{"number":2},"pull_request":{"number":3,"head":{"sha":"h1"}},` +
				`"pull_request":{"title":"t","head":{"ref":"x"}},"repository":{"owner":{"login":"o"}},"repository":{"owner":{"id":4}}}`,
			want: Fields{Installation: Object{ID: 1, Number: 2}, Repository: Repository{Owner: "o"},
				PullRequest: &PullRequest{Object: Object{Number: 3}, Title: "t", HeadSHA: "h1"}}},
		{name: "a null leaves the value before it", payload: `{"action":"a","action":null,"installation":{"id":1},"installation":null,` +
			`"pull_request":{"draft":true,"head":{"sha":"h1"}},"pull_request":{"draft":null,"head":null},"changes":{"base":{}},"changes":null}`,
			want: Fields{Action: "a", Installation: Object{ID: 1}, PullRequest: &PullRequest{Draft: true, HeadSHA: "h1"}, BaseChanged: true}},
		{name: "a null pull request after one reads as none", payload: `{"pull_request":{"number":1},"pull_request":null}`},
		{name: "a null base after one is no change", payload: `{"changes":{"base":{}},"changes":{"base":null}}`},
		{name: "a field of another type after one reads as its zero value",
			payload: `{"action":"a","action":1,"installation":{"id":1},"installation":[],"pull_request":{"number":1},"pull_request":"x"}`},
		{name: "invalid UTF-8 in a string read is kept as it is", payload: "{\"action\":\"a\xffb\"}", want: Fields{Action: "a\xffb"}},
		{name: "a lone surrogate escape reads as U+FFFD, as encoding/json reads it", payload: `{"action":"\ud800"}`, want: Fields{Action: "\uFFFD"}},
		{name: "keys match case-sensitively", payload: `{"Action":"a","installation":{"ID":1}}`},
		{name: "escaped keys and strings", payload: `{"\u0061ction":"op\u0065ned\n"}`, want: Fields{Action: "opened\n"}},
		{name: "objects of the wrong type read as absent", payload: `{"installation":5,"repository":[1],"pull_request":"x","action":7}`},
		{name: "not JSON", payload: `{"action":`, wantErr: errNotJSON},
		{name: "trailing garbage", payload: `{} x`, wantErr: errNotJSON},
		{name: "empty", payload: ``, wantErr: errNotJSON},
		{name: "a control character in a string", payload: "{\"action\":\"a\tb\"}", wantErr: errNotJSON},
		{name: "a bad escape", payload: `{"action":"\x41"}`, wantErr: errNotJSON},
		{name: "a leading zero", payload: `{"installation":{"id":01}}`, wantErr: errNotJSON},
		{name: "a trailing comma", payload: `{"action":"a",}`, wantErr: errNotJSON},
		{name: "a byte order mark", payload: "\ufeff{}", wantErr: errNotJSON},
		{name: "invalid UTF-8 in a string is JSON, as encoding/json reads it", payload: "{\"body\":\"\xff\"}"},
		{name: "whitespace around the object", payload: " \n{\"action\":\"a\"}\r\n ", want: Fields{Action: "a"}},
		{name: "an array", payload: `[{"action":"opened"}]`, wantErr: errNotObject},
		{name: "null", payload: `null`, wantErr: errNotObject},
		{name: "nested deeper than maxDepth", payload: `{"a":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`, wantErr: errTooDeep},
		{name: "brackets in strings do not nest", payload: `{"a":"` + strings.Repeat("[", 2*maxDepth) + `\"["}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeFields([]byte(tt.payload))
			if err != tt.wantErr {
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDecodeFieldsByGJSON reads, with gjson, payloads that segmentio's
// decoder refuses although they are JSON objects: the fields of the right
// type read as from any other payload.
func TestDecodeFieldsByGJSON(t *testing.T) {
	pr := func(title string) *PullRequest {
		return &PullRequest{Object: Object{Number: 2}, Title: title, HeadSHA: "h1"}
	}
	tests := []struct {
		name, payload string
		want          Fields
	}{
		{"an id that is a string", `{"action":"opened","installation":{"id":"42"},"pull_request":{"number":2,"head":{"sha":"h1"}}}`,
			Fields{Action: "opened", PullRequest: pr("")}},
		{"a draft that is a string", `{"action":"opened","pull_request":{"number":2,"head":{"sha":"h1"},"draft":"yes"}}`,
			Fields{Action: "opened", PullRequest: pr("")}},
		{"an id with an exponent", `{"action":"opened","installation":{"id":1e3},"pull_request":{"number":2,"head":{"sha":"h1"}}}`,
			Fields{Action: "opened", PullRequest: pr("")}},
		{"a title of invalid UTF-8", "{\"action\":\"opened\",\"pull_request\":{\"number\":2,\"head\":{\"sha\":\"h1\"},\"title\":\"\xff\"}}",
			Fields{Action: "opened", PullRequest: pr("\xff")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := readStructs([]byte(tt.payload)); ok {
				t.Errorf("segmentio's decoder read it")
			}
			got, err := DecodeFields([]byte(tt.payload))
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// TestDecodeFieldsReadsExamples reads GitHub's example pull_request
// deliveries as encoding/json does.
func TestDecodeFieldsReadsExamples(t *testing.T) {
	for _, action := range []string{"opened", "closed", "ready_for_review", "synchronize"} {
		payload := fixtures.WebhookExample(t, "pull_request", action)
		got, err := DecodeFields(payload)
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		if want := model(t, payload); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got  %+v\nwant %+v", action, got, want)
		}
		if got.PullRequest == nil || got.PullRequest.HeadSHA == "" || got.Repository.Owner == "" {
			t.Errorf("%s: the example's pull request was not read: %+v", action, got)
		}
	}
}

// FuzzDecodeFields checks DecodeFields against encoding/json on any input:
// both accept the same documents, and read the same Fields from them.
func FuzzDecodeFields(f *testing.F) {
	f.Add([]byte(`{"action":"opened","installation":{"id":42},"repository":{"id":7,"name":"hub","full_name":"org/hub",` +
		`"owner":{"login":"org"}},"pull_request":{"id":9,"number":2,"title":"Bump","draft":true,"merged":false,` +
		`"merge_commit_sha":null,"merged_at":"2026-01-02T03:04:05Z","head":{"sha":"h1"},"base":{"sha":"b1"},"labels":[{"id":1}]}}`))
	f.Add([]byte(`{"action":"edited","changes":{"base":{"ref":{"from":"main"}}},"installation":{"id":1,"id":2}}`))
	f.Add([]byte(`{"repository":{"owner":{"login":"a\u00e9"},"id":1e3},"pull_request":{"head":{"sha":"x"},"number":-1}}`))
	f.Add([]byte(`{"action":"a","action":null,"pull_request":{"draft":true,"head":{"sha":"h"}},"pull_request":{"head":null,"base":{"sha":"b"}},` +
		`"changes":{"base":{}},"changes":{"base":null},"repository":{"owner":{"login":"o"}},"repository":{"name":"n","owner":null}}`))
	f.Add([]byte(`{"pull_request":{"number":1},"pull_request":null,"installation":{"id":1},"installation":{"id":"2"}}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		got, err := DecodeFields(payload)
		valid := json.Valid(payload)
		if err != nil {
			if valid && err != errTooDeep && err != errNotObject {
				t.Fatalf("DecodeFields refused JSON that encoding/json accepts: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("DecodeFields accepted what encoding/json refuses: %q", payload)
		}
		// DecodeFields read it with segmentio's decoder (see readStructs)
		// or with gjson; gjson, which reads what the decoder refuses, must
		// read the same.
		if viaGJSON, err := readGJSON(payload); err != nil || !reflect.DeepEqual(viaGJSON, got) {
			t.Fatalf("gjson read %+v (%v), DecodeFields %+v", viaGJSON, err, got)
		}
		if !utf8.Valid(payload) || repeatsKeys(t, payload) {
			return // encoding/json replaces invalid UTF-8 in strings, and a map keeps only the last of repeated keys
		}
		if want := model(t, payload); !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	})
}

// repeatsKeys reports whether an object of payload, a valid JSON document,
// has a key twice.
func repeatsKeys(t *testing.T, payload []byte) bool {
	t.Helper()
	type level struct {
		keys    map[string]bool // nil in an array
		wantKey bool
	}
	var stack []*level
	valueRead := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	d := json.NewDecoder(bytes.NewReader(payload))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return false
		}
		if err != nil {
			t.Fatalf("repeatsKeys: %v", err)
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			if tok == json.Delim('}') {
				stack = stack[:n-1]
				valueRead()
				continue
			}
			key := tok.(string)
			if stack[n-1].keys[key] {
				return true
			}
			stack[n-1].keys[key], stack[n-1].wantKey = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &level{keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &level{})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueRead()
		default:
			valueRead()
		}
	}
}

// model reads Fields from payload with encoding/json, as DecodeFields
// documents them for a payload without repeated keys.
func model(t *testing.T, payload []byte) Fields {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(payload))
	d.UseNumber()
	var doc map[string]any
	if err := d.Decode(&doc); err != nil {
		t.Fatalf("model: %v", err)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	integer := func(v any) int64 {
		n, ok := v.(json.Number)
		if !ok {
			return 0
		}
		i, err := strconv.ParseInt(string(n), 10, 64)
		if err != nil {
			return 0
		}
		return i
	}
	obj := func(v any) map[string]any { m, _ := v.(map[string]any); return m }
	object := func(v any) Object { m := obj(v); return Object{ID: integer(m["id"]), Number: integer(m["number"])} }
	f := Fields{Action: str(doc["action"]), Installation: object(doc["installation"]), CheckSuite: object(doc["check_suite"]),
		CheckRun: object(doc["check_run"]), WorkflowRun: object(doc["workflow_run"]), Issue: object(doc["issue"]), Comment: object(doc["comment"])}
	repo := obj(doc["repository"])
	f.Repository = Repository{ID: integer(repo["id"]), Name: str(repo["name"]), FullName: str(repo["full_name"]), Owner: str(obj(repo["owner"])["login"])}
	if pr := obj(doc["pull_request"]); pr != nil {
		f.PullRequest = &PullRequest{Object: object(pr), Title: str(pr["title"]), Draft: pr["draft"] == true, Merged: pr["merged"] == true,
			MergeCommitSHA: str(pr["merge_commit_sha"]), MergedAt: str(pr["merged_at"]),
			HeadSHA: str(obj(pr["head"])["sha"]), BaseSHA: str(obj(pr["base"])["sha"])}
	}
	if base, ok := obj(doc["changes"])["base"]; ok && base != nil {
		f.BaseChanged = true
	}
	return f
}

// BenchmarkDecodeFields decodes GitHub's example pull_request.opened
// delivery (about 21 KB).
func BenchmarkDecodeFields(b *testing.B) {
	payload := fixtures.WebhookExample(b, "pull_request", "opened")
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := DecodeFields(payload); err != nil {
			b.Fatal(err)
		}
	}
}
