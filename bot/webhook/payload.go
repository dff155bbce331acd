package webhook

import (
	"fmt"
	"strings"
)

// field is one id a payload must carry, positive.
type field struct {
	name string
	get  func(f *Fields) int64
}

var (
	installationID = field{"installation.id", func(f *Fields) int64 { return f.Installation.ID }}
	repositoryID   = field{"repository.id", func(f *Fields) int64 { return f.Repository.ID }}
)

// pullRequest returns f's pull request, or a zero one.
func (f *Fields) pullRequest() PullRequest {
	if f.PullRequest == nil {
		return PullRequest{}
	}
	return *f.PullRequest
}

// required lists, per event, the ids without which no handler can act: a
// delivery lacking one would become a job that fails on every attempt.
// Events not listed need only an installation.
var required = map[string][]field{
	"pull_request": {installationID, repositoryID,
		{"pull_request.id", func(f *Fields) int64 { return f.pullRequest().ID }},
		{"pull_request.number", func(f *Fields) int64 { return f.pullRequest().Number }}},
	"check_suite":      {installationID, repositoryID, {"check_suite.id", func(f *Fields) int64 { return f.CheckSuite.ID }}},
	"check_run":        {installationID, repositoryID, {"check_run.id", func(f *Fields) int64 { return f.CheckRun.ID }}},
	"workflow_run":     {installationID, repositoryID, {"workflow_run.id", func(f *Fields) int64 { return f.WorkflowRun.ID }}},
	"registry_package": {installationID, repositoryID},
	"issue_comment": {installationID, repositoryID,
		{"issue.number", func(f *Fields) int64 { return f.Issue.Number }},
		{"comment.id", func(f *Fields) int64 { return f.Comment.ID }}},
}

// missing names the ids that event's payload lacks or carries as zero or
// negative, or returns "" when it has them all.
func (f *Fields) missing(event string) string {
	fields, ok := required[event]
	if !ok {
		fields = []field{installationID}
	}
	var bad []string
	for _, r := range fields {
		if r.get(f) <= 0 {
			bad = append(bad, r.name)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	return fmt.Sprintf("%s payload lacks a positive %s", event, strings.Join(bad, ", "))
}
