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
// of the frequent events read, decoded once per delivery (see readStructs
// and readGJSON): the objects named here are read key by key, the rest (a
// pull request's body, labels, users and links) is not decoded into Go
// values. A key repeated in one object reads as encoding/json reads it
// into a struct: the last value wins, except that a null leaves the value
// before it (a null pull_request reads as none) and a repeated object adds
// its members to the one before it. A field missing, or of another JSON
// type than expected, reads as its zero value, and so does a null with no
// value before it; an id that is not an integer reads as 0, which the
// receiver refuses as missing.
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
	ID     int64 `json:"id"` // the tags name the payload's keys (see readStructs)
	Number int64 `json:"number"`
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

// DecodeFields validates payload as JSON and reads its Fields: in one pass
// with segmentio's decoder (see readStructs), or, for a payload it refuses,
// by validating it and reading it with gjson, which then decides.
func DecodeFields(payload []byte) (Fields, error) {
	if !shallow(payload) {
		return Fields{}, errTooDeep
	}
	if f, ok := readStructs(payload); ok {
		return f, nil
	}
	// segmentio's validator accepts what encoding/json accepts
	// (FuzzDecodeFields).
	if !segjson.Valid(payload) {
		return Fields{}, errNotJSON
	}
	return readGJSON(payload)
}

// readGJSON reads the Fields of a validated payload with gjson, which
// holds nothing but the payload whatever its size.
func readGJSON(payload []byte) (Fields, error) {
	// Parsed in place, not copied: the strings kept are cloned (see
	// setString), so Fields do not hold on to payload.
	root := gjson.Parse(unsafe.String(unsafe.SliceData(payload), len(payload)))
	if !root.IsObject() {
		return Fields{}, errNotObject
	}
	var f Fields
	root.ForEach(func(k, v gjson.Result) bool {
		switch k.Str {
		case "action":
			setString(&f.Action, v)
		case "installation":
			mergeObject(&f.Installation, v)
		case "repository":
			mergeRepository(&f.Repository, v)
		case "pull_request":
			f.PullRequest = mergePullRequest(f.PullRequest, v)
		case "check_suite":
			mergeObject(&f.CheckSuite, v)
		case "check_run":
			mergeObject(&f.CheckRun, v)
		case "workflow_run":
			mergeObject(&f.WorkflowRun, v)
		case "issue":
			mergeObject(&f.Issue, v)
		case "comment":
			mergeObject(&f.Comment, v)
		case "changes":
			if members(v, func() { f.BaseChanged = false }) {
				v.ForEach(func(k, base gjson.Result) bool {
					if k.Str == "base" {
						f.BaseChanged = base.Type != gjson.Null
					}
					return true
				})
			}
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

// members reports whether v is an object whose members are to be read
// into what was read so far: null leaves that as it is, and any other value
// is not an object, so reset sets it to its zero value.
func members(v gjson.Result, reset func()) bool {
	switch {
	case v.Type == gjson.Null:
		return false
	case !v.IsObject():
		reset()
		return false
	}
	return true
}

// setString reads a JSON string into s, cloned (unescaped, it would share
// the payload's memory); null leaves s as it is.
func setString(s *string, v gjson.Result) {
	switch v.Type {
	case gjson.Null:
	case gjson.String:
		*s = strings.Clone(v.Str)
	default:
		*s = ""
	}
}

// setInteger reads a JSON integer into n; any other value, a fraction or
// exponent included, reads as 0, and null leaves n as it is.
func setInteger(n *int64, v gjson.Result) {
	switch v.Type {
	case gjson.Null:
	case gjson.Number:
		i, err := strconv.ParseInt(v.Raw, 10, 64)
		if err != nil {
			i = 0
		}
		*n = i
	default:
		*n = 0
	}
}

// setBool reads a JSON boolean into b; null leaves b as it is.
func setBool(b *bool, v gjson.Result) {
	if v.Type != gjson.Null {
		*b = v.Type == gjson.True
	}
}

// setMember reads the string member key of the object v into s (a
// commit's "sha", an owner's "login").
func setMember(s *string, v gjson.Result, key string) {
	if !members(v, func() { *s = "" }) {
		return
	}
	v.ForEach(func(k, val gjson.Result) bool {
		if k.Str == key {
			setString(s, val)
		}
		return true
	})
}

func mergeObject(o *Object, v gjson.Result) {
	if !members(v, func() { *o = Object{} }) {
		return
	}
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			setInteger(&o.ID, val)
		case "number":
			setInteger(&o.Number, val)
		}
		return true
	})
}

func mergeRepository(r *Repository, v gjson.Result) {
	if !members(v, func() { *r = Repository{} }) {
		return
	}
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			setInteger(&r.ID, val)
		case "name":
			setString(&r.Name, val)
		case "full_name":
			setString(&r.FullName, val)
		case "owner":
			setMember(&r.Owner, val, "login")
		}
		return true
	})
}

// mergePullRequest reads v into p, a new one when p is nil; a pull_request
// that is null or not an object reads as none.
func mergePullRequest(p *PullRequest, v gjson.Result) *PullRequest {
	if !v.IsObject() {
		return nil
	}
	if p == nil {
		p = &PullRequest{}
	}
	v.ForEach(func(k, val gjson.Result) bool {
		switch k.Str {
		case "id":
			setInteger(&p.ID, val)
		case "number":
			setInteger(&p.Number, val)
		case "title":
			setString(&p.Title, val)
		case "draft":
			setBool(&p.Draft, val)
		case "merged":
			setBool(&p.Merged, val)
		case "merge_commit_sha":
			setString(&p.MergeCommitSHA, val)
		case "merged_at":
			setString(&p.MergedAt, val)
		case "head":
			setMember(&p.HeadSHA, val, "sha")
		case "base":
			setMember(&p.BaseSHA, val, "sha")
		}
		return true
	})
	return p
}
