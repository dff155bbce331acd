package webhook

import (
	"strings"

	segjson "github.com/segmentio/encoding/json"
)

// The usual payload is read in one pass by segmentio's decoder into the
// structs below, which hold only what Fields hold: it validates the whole
// payload as it reads (about 12 µs for GitHub's 21 KB pull_request, where
// validating and then reading took about 33 µs; see BENCHMARKS.md), skips
// the rest without building anything, and copies the strings it keeps. It
// reads repeated keys and nulls as Fields document. A payload it refuses
// (not JSON, not an object, a field of another JSON type) is validated and
// read again by gjson (see DecodeFields), which reads the same Fields from
// any payload both accept (FuzzDecodeFields).

type wirePayload struct {
	Action       string           `json:"action"`
	Installation Object           `json:"installation"`
	Repository   wireRepository   `json:"repository"`
	PullRequest  *wirePullRequest `json:"pull_request"`
	CheckSuite   Object           `json:"check_suite"`
	CheckRun     Object           `json:"check_run"`
	WorkflowRun  Object           `json:"workflow_run"`
	Issue        Object           `json:"issue"`
	Comment      Object           `json:"comment"`
	Changes      struct {
		Base given `json:"base"`
	} `json:"changes"`
}

type wireRepository struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	FullName string `json:"full_name"`
	Owner    struct {
		Login string `json:"login"`
	} `json:"owner"`
}

type wirePullRequest struct {
	Object
	Title          string  `json:"title"`
	Draft          bool    `json:"draft"`
	Merged         bool    `json:"merged"`
	MergeCommitSHA string  `json:"merge_commit_sha"`
	MergedAt       string  `json:"merged_at"`
	Head           wireRef `json:"head"`
	Base           wireRef `json:"base"`
}

type wireRef struct {
	SHA string `json:"sha"`
}

// given records whether a value was given and not null, without keeping it.
type given bool

func (g *given) UnmarshalJSON(value []byte) error {
	*g = string(value) != "null"
	return nil
}

// readStructs reads payload's Fields with segmentio's decoder; ok is false
// when the payload is not a JSON object, has a field of another JSON type
// than its struct's, or has a string read into Fields whose invalid UTF-8
// the decoder replaced (gjson keeps such a string as it is).
func readStructs(payload []byte) (f Fields, ok bool) {
	if !startsObject(payload) {
		return Fields{}, false
	}
	var w wirePayload
	rest, err := segjson.Parse(payload, &w, segjson.DontMatchCaseInsensitiveStructFields)
	if err != nil || len(rest) != 0 {
		return Fields{}, false
	}
	f = Fields{
		Action:       w.Action,
		Installation: w.Installation,
		Repository: Repository{ID: w.Repository.ID, Name: w.Repository.Name, Owner: w.Repository.Owner.Login,
			FullName: w.Repository.FullName},
		CheckSuite:  w.CheckSuite,
		CheckRun:    w.CheckRun,
		WorkflowRun: w.WorkflowRun,
		Issue:       w.Issue,
		Comment:     w.Comment,
		BaseChanged: bool(w.Changes.Base),
	}
	if replaced(f.Action, f.Repository.Name, f.Repository.Owner, f.Repository.FullName) {
		return Fields{}, false
	}
	if p := w.PullRequest; p != nil {
		if replaced(p.Title, p.MergeCommitSHA, p.MergedAt, p.Head.SHA, p.Base.SHA) {
			return Fields{}, false
		}
		f.PullRequest = &PullRequest{Object: p.Object, Title: p.Title, Draft: p.Draft,
			Merged: p.Merged, MergeCommitSHA: p.MergeCommitSHA, MergedAt: p.MergedAt, HeadSHA: p.Head.SHA, BaseSHA: p.Base.SHA}
	}
	return f, true
}

// replaced reports whether a string holds U+FFFD, which the decoder writes
// for invalid UTF-8 (and which the payload may also hold itself: gjson then
// reads it the same).
func replaced(strs ...string) bool {
	for _, s := range strs {
		if strings.ContainsRune(s, '\uFFFD') {
			return true
		}
	}
	return false
}

// startsObject reports whether payload's first byte after JSON whitespace
// opens an object: segmentio reads null into a struct without an error.
func startsObject(payload []byte) bool {
	for _, c := range payload {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}
