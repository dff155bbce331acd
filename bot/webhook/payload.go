package webhook

import (
	"fmt"
	"strings"
)

// head is what the receiver reads of a payload: the action, and the ids
// that its handlers need to do anything at all. Every other field is
// skipped by the decoder, so a huge payload costs no more than its bytes.
type head struct {
	Action       string  `json:"action"`
	Installation *object `json:"installation"`
	Repository   *object `json:"repository"`
	PullRequest  *object `json:"pull_request"`
	CheckSuite   *object `json:"check_suite"`
	CheckRun     *object `json:"check_run"`
	WorkflowRun  *object `json:"workflow_run"`
	Issue        *object `json:"issue"`
	Comment      *object `json:"comment"`
}

// object is a payload object known by its id and, for pull requests and
// issues, its number.
type object struct {
	ID     int64 `json:"id"`
	Number int64 `json:"number"`
}

// field is one id a payload must carry, positive.
type field struct {
	name string
	get  func(h *head) int64
}

func id(o func(h *head) *object) func(h *head) int64 {
	return func(h *head) int64 {
		if p := o(h); p != nil {
			return p.ID
		}
		return 0
	}
}

func number(o func(h *head) *object) func(h *head) int64 {
	return func(h *head) int64 {
		if p := o(h); p != nil {
			return p.Number
		}
		return 0
	}
}

var (
	installationID = field{"installation.id", id(func(h *head) *object { return h.Installation })}
	repositoryID   = field{"repository.id", id(func(h *head) *object { return h.Repository })}
)

// required lists, per event, the ids without which no handler can act: a
// delivery lacking one would become a job that fails on every attempt.
// Events not listed need only an installation.
var required = map[string][]field{
	"pull_request": {installationID, repositoryID,
		{"pull_request.id", id(func(h *head) *object { return h.PullRequest })},
		{"pull_request.number", number(func(h *head) *object { return h.PullRequest })}},
	"check_suite":      {installationID, repositoryID, {"check_suite.id", id(func(h *head) *object { return h.CheckSuite })}},
	"check_run":        {installationID, repositoryID, {"check_run.id", id(func(h *head) *object { return h.CheckRun })}},
	"workflow_run":     {installationID, repositoryID, {"workflow_run.id", id(func(h *head) *object { return h.WorkflowRun })}},
	"registry_package": {installationID, repositoryID},
	"issue_comment": {installationID, repositoryID,
		{"issue.number", number(func(h *head) *object { return h.Issue })},
		{"comment.id", id(func(h *head) *object { return h.Comment })}},
}

// missing names the ids that event's payload lacks or carries as zero or
// negative, or returns "" when it has them all.
func (h *head) missing(event string) string {
	fields, ok := required[event]
	if !ok {
		fields = []field{installationID}
	}
	var bad []string
	for _, f := range fields {
		if f.get(h) <= 0 {
			bad = append(bad, f.name)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return fmt.Sprintf("%s payload lacks a positive %s", event, strings.Join(bad, ", "))
}
