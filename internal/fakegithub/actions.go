package fakegithub

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// WorkflowRun is a GitHub Actions workflow run, as tests set it with Repo.PutWorkflowRun.
type WorkflowRun struct {
	ID         int64
	Name       string // the workflow's name, default "Build image"
	Path       string // default ".github/workflows/build.yaml"
	WorkflowID int64  // assigned per Path
	HeadSHA    string
	HeadBranch string
	Event      string // default "push"
	Status     string // default "queued"
	Conclusion string // "" until completed
	RunNumber  int    // assigned per workflow
	// CheckSuiteID is the GitHub Actions check suite created with the run, which follows
	// its status and conclusion.
	CheckSuiteID int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// PutWorkflowRun creates run (when run.ID is 0) or replaces the run with run.ID, keeping
// its ids, run number and creation time, and returns the stored run. The run's check suite
// (app github-actions) is created with it and updated to the run's status and conclusion.
// An unknown commit or run id fails t.
func (r *Repo) PutWorkflowRun(run WorkflowRun) WorkflowRun {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.commits[run.HeadSHA] == nil {
		r.s.t.Fatalf("fakegithub: workflow run on unknown commit %q of %s", run.HeadSHA, r.fullName())
	}
	if run.Name == "" {
		run.Name = "Build image"
	}
	if run.Path == "" {
		run.Path = ".github/workflows/build.yaml"
	}
	if run.Event == "" {
		run.Event = "push"
	}
	if run.Status == "" {
		run.Status = "queued"
	}
	now := r.s.now()
	run.UpdatedAt = now
	var stored *WorkflowRun
	if run.ID == 0 {
		run.ID, run.CreatedAt = r.s.newID(), now
		run.WorkflowID, run.RunNumber = r.workflowID(run.Path), 1
		for _, other := range r.workflowRuns {
			if other.Path == run.Path {
				run.RunNumber++
			}
		}
		suite := r.putCheckSuite(CheckSuite{HeadSHA: run.HeadSHA, HeadBranch: run.HeadBranch, AppID: actionsAppID, Status: run.Status, Conclusion: run.Conclusion})
		run.CheckSuiteID = suite.ID
		stored = &run
		r.workflowRuns = append(r.workflowRuns, stored)
	} else {
		for _, old := range r.workflowRuns {
			if old.ID == run.ID {
				stored = old
			}
		}
		if stored == nil {
			r.s.t.Fatalf("fakegithub: %s has no workflow run %d", r.fullName(), run.ID)
		}
		run.WorkflowID, run.RunNumber, run.CheckSuiteID, run.CreatedAt = stored.WorkflowID, stored.RunNumber, stored.CheckSuiteID, stored.CreatedAt
		*stored = run
		r.putCheckSuite(CheckSuite{ID: run.CheckSuiteID, HeadSHA: run.HeadSHA, HeadBranch: run.HeadBranch, AppID: actionsAppID, Status: run.Status, Conclusion: run.Conclusion})
	}
	return *stored
}

// workflowID is the id of the workflow at path: that of an earlier run of it, or a new one.
func (r *Repo) workflowID(path string) int64 {
	for _, run := range r.workflowRuns {
		if run.Path == path {
			return run.WorkflowID
		}
	}
	return r.s.newID()
}

// workflowRunJSON is a workflow-run.
func (s *Server) workflowRunJSON(r *Repo, run *WorkflowRun) object {
	api := s.api(fmt.Sprintf("/repos/%s/actions/runs/%d", r.fullName(), run.ID))
	c := r.commits[run.HeadSHA]
	title, _, _ := strings.Cut(c.message, "\n")
	return object{
		"id":                   run.ID,
		"name":                 run.Name,
		"node_id":              nodeID("WorkflowRun", run.ID),
		"head_branch":          strOrNull(run.HeadBranch),
		"head_sha":             run.HeadSHA,
		"path":                 run.Path,
		"display_title":        title,
		"run_number":           run.RunNumber,
		"run_attempt":          1,
		"event":                run.Event,
		"status":               run.Status,
		"conclusion":           strOrNull(run.Conclusion),
		"workflow_id":          run.WorkflowID,
		"check_suite_id":       run.CheckSuiteID,
		"check_suite_node_id":  nodeID("CheckSuite", run.CheckSuiteID),
		"url":                  api,
		"html_url":             fmt.Sprintf("%s/%s/actions/runs/%d", githubHTML, r.fullName(), run.ID),
		"pull_requests":        s.openPullsAt(r, run.HeadSHA),
		"created_at":           ts(run.CreatedAt),
		"updated_at":           ts(run.UpdatedAt),
		"run_started_at":       ts(run.CreatedAt),
		"actor":                s.userJSON(r.owner),
		"triggering_actor":     s.userJSON(r.owner),
		"jobs_url":             api + "/jobs",
		"logs_url":             api + "/logs",
		"check_suite_url":      s.api(fmt.Sprintf("/repos/%s/check-suites/%d", r.fullName(), run.CheckSuiteID)),
		"artifacts_url":        api + "/artifacts",
		"cancel_url":           api + "/cancel",
		"rerun_url":            api + "/rerun",
		"previous_attempt_url": nil,
		"workflow_url":         s.api(fmt.Sprintf("/repos/%s/actions/workflows/%d", r.fullName(), run.WorkflowID)),
		"head_commit":          simpleCommitJSON(c),
		"repository":           s.repoJSON(r),
		"head_repository":      s.repoJSON(r),
	}
}

// listWorkflowRuns lists runs newest first, filtered by head_sha, branch, event,
// check_suite_id and status (which matches a run's status or its conclusion).
func listWorkflowRuns(s *Server, req *request) reply {
	r := req.repo
	q := req.query
	runs := []object{}
	for i := len(r.workflowRuns) - 1; i >= 0; i-- {
		run := r.workflowRuns[i]
		if (q.Has("head_sha") && run.HeadSHA != q.Get("head_sha")) ||
			(q.Has("branch") && run.HeadBranch != q.Get("branch")) ||
			(q.Has("event") && run.Event != q.Get("event")) ||
			(q.Has("check_suite_id") && strconv.FormatInt(run.CheckSuiteID, 10) != q.Get("check_suite_id")) ||
			(q.Has("status") && run.Status != q.Get("status") && run.Conclusion != q.Get("status")) {
			continue
		}
		runs = append(runs, s.workflowRunJSON(r, run))
	}
	page, link := paginate(s, req, runs)
	return paged(object{"total_count": len(runs), "workflow_runs": page}, link)
}

func getWorkflowRun(s *Server, req *request) reply {
	id := intParam(req, "run_id")
	for _, run := range req.repo.workflowRuns {
		if run.ID == id {
			return ok(s.workflowRunJSON(req.repo, run))
		}
	}
	return notFound()
}
