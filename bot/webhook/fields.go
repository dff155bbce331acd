package webhook

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unsafe"

	segjson "github.com/segmentio/encoding/json"
	"github.com/tidwall/gjson"
)

// Fields are what the receiver checks of a payload and what the handlers
// of the frequent events read, decoded once per delivery (see readTree and
// readGJSON): the objects named here are read key by key, the rest (a pull
// request's body, labels, users and links) is not decoded into Go values.
// The last of duplicate keys wins. A field missing, null or of another JSON
// type than expected reads as its zero value; an id that is not an integer
// reads as 0, which the receiver refuses as missing.
type Fields struct {
	Action       string
	Installation Object
	Repository   Repository
	PullRequest  *PullRequest // nil when the payload has no pull_request object
	CheckSuite   Object
	CheckRun     Object
	WorkflowRun  Object
	Issue        Object
	Comment      Object
	// BaseChanged reports that changes.base is present and not null: an
	// edited pull request whose base branch changed.
	BaseChanged bool
}

// Object is a payload object known by its id and, for pull requests and
// issues, its number.
type Object struct {
	ID     int64
	Number int64
}

// Repository is the payload's repository.
type Repository struct {
	ID       int64
	Name     string // "name"
	Owner    string // "owner.login"
	FullName string // "full_name"
}

// PullRequest is the payload's pull request as far as checks and rollouts
// read it.
type PullRequest struct {
	Object
	Title          string
	Draft          bool
	Merged         bool
	MergeCommitSHA string
	MergedAt       string // RFC 3339, or "" when not merged
	HeadSHA        string // "head.sha"
	BaseSHA        string // "base.sha"
}

// maxDepth is the deepest nesting of objects and arrays a payload may
// have; GitHub's payloads nest a few levels, and validating a deeper one
// would recurse as deep.
const maxDepth = 512

var (
	errNotJSON   = errors.New("payload is not JSON")
	errNotObject = errors.New("payload is not a JSON object")
	errTooDeep   = errors.New("payload nests objects and arrays more than 512 deep")
)

// DecodeFields validates payload as JSON and reads its Fields: with
// fastjson's tree when the payload is small and a parser is idle, else with
// gjson.
func DecodeFields(payload []byte) (Fields, error) {
	if !shallow(payload) {
		return Fields{}, errTooDeep
	}
	// segmentio's validator reads 21 KB in about 7 µs, gjson's in 16 (see
	// BENCHMARKS.md); it accepts what encoding/json accepts (FuzzDecodeFields).
	if !segjson.Valid(payload) {
		return Fields{}, errNotJSON
	}
	if f, ok, err := readTree(payload); ok {
		return f, err
	}
	return readGJSON(payload)
}

// readGJSON reads the Fields of a validated payload with gjson, which
// holds nothing but the payload whatever its size.
func readGJSON(payload []byte) (Fields, error) {
	// Parsed in place, not copied: the strings kept are cloned (see str),
	// so Fields do not hold on to payload.
	root := gjson.Parse(unsafe.String(unsafe.SliceData(payload), len(payload)))
	if !root.IsObject() {
		return Fields{}, errNotObject
	}
	var f Fields
	root.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "action":
			f.Action = str(v)
		case "installation":
			f.Installation = object(v)
		case "repository":
			f.Repository = repository(v)
		case "pull_request":
			f.PullRequest = pullRequest(v)
		case "check_suite":
			f.CheckSuite = object(v)
		case "check_run":
			f.CheckRun = object(v)
		case "workflow_run":
			f.WorkflowRun = object(v)
		case "issue":
			f.Issue = object(v)
		case "comment":
			f.Comment = object(v)
		case "changes":
			base := gjson.Result{}
			if v.IsObject() {
				base = member(v, "base")
			}
			f.BaseChanged = base.Exists() && base.Type != gjson.Null
		}
		return true
	})
	return f, nil
}

// shallow reports whether payload nests objects and arrays at most
// maxDepth deep, brackets inside strings aside. A payload with no more
// opening brackets than that is (counting them is quick); any other is
// walked.
func shallow(payload []byte) bool {
	if bytes.Count(payload, []byte("{"))+bytes.Count(payload, []byte("[")) <= maxDepth {
		return true
	}
	depth := 0
	inString, escaped := false, false
	for _, c := range payload {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			if depth > maxDepth {
				return false
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return true
}

// member is the last value of key in the object v, as a JSON decoder that
// keeps the last of duplicate keys reads it.
func member(v gjson.Result, key string) gjson.Result {
	var found gjson.Result
	v.ForEach(func(k, val gjson.Result) bool {
		if k.Str == key {
			found = val
		}
		return true
	})
	return found
}

// str reads a JSON string, cloned: unescaped, it would share the payload's
// memory.
func str(v gjson.Result) string {
	if v.Type != gjson.String {
		return ""
	}
	return strings.Clone(v.Str)
}

// integer reads a JSON integer; any other value, a fraction or exponent
// included, reads as 0.
func integer(v gjson.Result) int64 {
	if v.Type != gjson.Number {
		return 0
	}
	n, err := strconv.ParseInt(v.Raw, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func boolean(v gjson.Result) bool { return v.Type == gjson.True }

func object(v gjson.Result) Object {
	var o Object
	if !v.IsObject() {
		return o
	}
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			o.ID = integer(val)
		case "number":
			o.Number = integer(val)
		}
		return true
	})
	return o
}

func repository(v gjson.Result) Repository {
	var r Repository
	if !v.IsObject() {
		return r
	}
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			r.ID = integer(val)
		case "name":
			r.Name = str(val)
		case "full_name":
			r.FullName = str(val)
		case "owner":
			r.Owner = ""
			if val.IsObject() {
				r.Owner = str(member(val, "login"))
			}
		}
		return true
	})
	return r
}

func pullRequest(v gjson.Result) *PullRequest {
	if !v.IsObject() {
		return nil
	}
	var p PullRequest
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			p.ID = integer(val)
		case "number":
			p.Number = integer(val)
		case "title":
			p.Title = str(val)
		case "draft":
			p.Draft = boolean(val)
		case "merged":
			p.Merged = boolean(val)
		case "merge_commit_sha":
			p.MergeCommitSHA = str(val)
		case "merged_at":
			p.MergedAt = str(val)
		case "head":
			p.HeadSHA = sha(val)
		case "base":
			p.BaseSHA = sha(val)
		}
		return true
	})
	return &p
}

// sha is a commit reference's "sha".
func sha(v gjson.Result) string {
	if !v.IsObject() {
		return ""
	}
	return str(member(v, "sha"))
}
