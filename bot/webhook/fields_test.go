package webhook

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/valyala/fastjson"

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

// TestDecodeFieldsPastTheTree reads, with gjson, payloads of too many bytes
// or values for the fastjson tree and one arriving while every tree parser
// is busy: they read as the tree reads a small one.
func TestDecodeFieldsPastTheTree(t *testing.T) {
	small := `{"action":"opened","installation":{"id":42},"pull_request":{"number":2,"head":{"sha":"h1"}}}`
	want := Fields{Action: "opened", Installation: Object{ID: 42}, PullRequest: &PullRequest{Object: Object{Number: 2}, HeadSHA: "h1"}}
	large := strings.Replace(small, `"number"`, `"body":"`+strings.Repeat("x", treeMaxPayload)+`","number"`, 1)
	if got, err := DecodeFields([]byte(large)); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a %d KiB payload: %+v, %v; want %+v", len(large)>>10, got, err, want)
	}
	many := strings.Replace(small, `"number"`, `"labels":[`+strings.Repeat("0,", treeMaxValues)+`0],"number"`, 1)
	if maxValues([]byte(many)) <= treeMaxValues {
		t.Fatalf("the payload of many values has at most %d", maxValues([]byte(many)))
	}
	if got, err := DecodeFields([]byte(many)); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("a payload of %d values: %+v, %v; want %+v", treeMaxValues, got, err, want)
	}
	var busy []*fastjson.Parser
	for range treeParsers {
		busy = append(busy, <-treePool)
	}
	got, err := DecodeFields([]byte(small))
	for _, p := range busy {
		treePool <- p
	}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("with every parser busy: %+v, %v; want %+v", got, err, want)
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
		// DecodeFields read it with fastjson's tree (see readTree); gjson,
		// which reads the larger payloads, must read the same.
		if viaGJSON, err := readGJSON(payload); err != nil || !reflect.DeepEqual(viaGJSON, got) {
			t.Fatalf("gjson read %+v (%v), the tree %+v", viaGJSON, err, got)
		}
		if !utf8.Valid(payload) {
			return // encoding/json replaces invalid UTF-8 in strings; DecodeFields keeps it
		}
		if want := model(t, payload); !reflect.DeepEqual(got, want) {
			t.Fatalf("got  %+v\nwant %+v", got, want)
		}
	})
}

// model reads Fields from payload with encoding/json, as DecodeFields
// documents them.
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
