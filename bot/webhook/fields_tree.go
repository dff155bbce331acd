package webhook

import (
	"bytes"
	"strconv"

	"github.com/valyala/fastjson"
)

// The usual payload is read by fastjson's parser, which builds a tree of
// the whole payload once (about 8 µs for a 21 KB pull_request), where
// gjson's reading pass skips the pull request's nested objects several
// times over (about 25 µs). A parser keeps a copy of the payload and a tree
// as large as the largest it built, up to about 350 bytes per JSON value
// (100 KB for GitHub's 21 KB pull_request example, 2.8 MB for 8,192
// zeros), so only payloads of at most treeMaxPayload bytes and
// treeMaxValues values are read so, by at most treeParsers parsers: they
// hold about 12 MB at worst. Any other payload, or one arriving while every
// parser is busy, is read by gjson (see DecodeFields). Both read the same
// Fields (FuzzDecodeFields).
const (
	treeMaxPayload = 256 << 10
	treeMaxValues  = 8192
	treeParsers    = 4
)

// treePool holds the idle parsers; an empty pool means all are busy.
var treePool = func() chan *fastjson.Parser {
	pool := make(chan *fastjson.Parser, treeParsers)
	for range treeParsers {
		pool <- &fastjson.Parser{}
	}
	return pool
}()

// readTree reads the Fields of a validated payload with a pooled parser;
// ok is false when the payload has too many bytes or values or no parser
// is idle, and err is errNotObject when the payload is not an object.
func readTree(payload []byte) (f Fields, ok bool, err error) {
	if len(payload) > treeMaxPayload || maxValues(payload) > treeMaxValues {
		return Fields{}, false, nil
	}
	var p *fastjson.Parser
	select {
	case p = <-treePool:
	default:
		return Fields{}, false, nil
	}
	defer func() { treePool <- p }()
	root, err := p.ParseBytes(payload)
	if err != nil {
		return Fields{}, false, nil // validated already; gjson decides
	}
	top, err := root.Object()
	if err != nil {
		return Fields{}, true, errNotObject
	}
	top.Visit(func(k []byte, v *fastjson.Value) {
		switch string(k) {
		case "action":
			f.Action = treeString(v)
		case "installation":
			f.Installation = treeObject(v)
		case "repository":
			f.Repository = treeRepository(v)
		case "pull_request":
			f.PullRequest = treePullRequest(v)
		case "check_suite":
			f.CheckSuite = treeObject(v)
		case "check_run":
			f.CheckRun = treeObject(v)
		case "workflow_run":
			f.WorkflowRun = treeObject(v)
		case "issue":
			f.Issue = treeObject(v)
		case "comment":
			f.Comment = treeObject(v)
		case "changes":
			base := treeMember(v, "base")
			f.BaseChanged = base != nil && base.Type() != fastjson.TypeNull
		}
	})
	return f, true, nil
}

// maxValues bounds from above the JSON values in payload: every value but
// the outermost is an element of an object or array, whose elements are
// one more than the commas between them, and some commas and brackets may
// be in strings.
func maxValues(payload []byte) int {
	return 1 + bytes.Count(payload, []byte(",")) + bytes.Count(payload, []byte("{")) + bytes.Count(payload, []byte("["))
}

// treeMember is the last value of key in the object v, or nil.
func treeMember(v *fastjson.Value, key string) *fastjson.Value {
	o, err := v.Object()
	if err != nil {
		return nil
	}
	var found *fastjson.Value
	o.Visit(func(k []byte, val *fastjson.Value) {
		if string(k) == key {
			found = val
		}
	})
	return found
}

// treeString reads a JSON string, copied out of the parser's memory.
func treeString(v *fastjson.Value) string {
	if v == nil || v.Type() != fastjson.TypeString {
		return ""
	}
	b, _ := v.StringBytes()
	return string(b)
}

// treeInteger reads a JSON integer; any other value, a fraction or exponent
// included, reads as 0.
func treeInteger(v *fastjson.Value) int64 {
	if v.Type() != fastjson.TypeNumber {
		return 0
	}
	var buf [32]byte
	n, err := strconv.ParseInt(string(v.MarshalTo(buf[:0])), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

func treeObject(v *fastjson.Value) Object {
	var o Object
	obj, err := v.Object()
	if err != nil {
		return o
	}
	obj.Visit(func(k []byte, val *fastjson.Value) {
		switch string(k) {
		case "id":
			o.ID = treeInteger(val)
		case "number":
			o.Number = treeInteger(val)
		}
	})
	return o
}

func treeRepository(v *fastjson.Value) Repository {
	var r Repository
	obj, err := v.Object()
	if err != nil {
		return r
	}
	obj.Visit(func(k []byte, val *fastjson.Value) {
		switch string(k) {
		case "id":
			r.ID = treeInteger(val)
		case "name":
			r.Name = treeString(val)
		case "full_name":
			r.FullName = treeString(val)
		case "owner":
			r.Owner = treeString(treeMember(val, "login"))
		}
	})
	return r
}

func treePullRequest(v *fastjson.Value) *PullRequest {
	obj, err := v.Object()
	if err != nil {
		return nil
	}
	var p PullRequest
	obj.Visit(func(k []byte, val *fastjson.Value) {
		switch string(k) {
		case "id":
			p.ID = treeInteger(val)
		case "number":
			p.Number = treeInteger(val)
		case "title":
			p.Title = treeString(val)
		case "draft":
			p.Draft = val.Type() == fastjson.TypeTrue
		case "merged":
			p.Merged = val.Type() == fastjson.TypeTrue
		case "merge_commit_sha":
			p.MergeCommitSHA = treeString(val)
		case "merged_at":
			p.MergedAt = treeString(val)
		case "head":
			p.HeadSHA = treeString(treeMember(val, "sha"))
		case "base":
			p.BaseSHA = treeString(treeMember(val, "sha"))
		}
	})
	return &p
}
