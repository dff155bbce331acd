package fakegithub

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// CheckRun is a snapshot of a check run.
type CheckRun struct {
	ID           int64
	Name         string
	HeadSHA      string
	Status       string // queued, in_progress, completed, …
	Conclusion   string // "" until completed
	ExternalID   string
	DetailsURL   string
	StartedAt    time.Time
	CompletedAt  time.Time
	Title        string
	Summary      string
	Text         string
	Annotations  []Annotation // every annotation of every create and update, in order
	CheckSuiteID int64
	AppID        int64
}

// Annotation is a check run annotation.
type Annotation struct {
	Path        string `json:"path"`
	StartLine   int    `json:"start_line"`
	EndLine     int    `json:"end_line"`
	StartColumn int    `json:"start_column"`
	EndColumn   int    `json:"end_column"`
	Level       string `json:"annotation_level"`
	Message     string `json:"message"`
	Title       string `json:"title"`
	RawDetails  string `json:"raw_details"`
}

// CheckSuite is a check suite: one App's checks on one commit. The App's own suites are
// created with its first check run and follow its runs; tests set others (such as GitHub
// Actions') with Repo.PutCheckSuite.
type CheckSuite struct {
	ID         int64
	HeadSHA    string
	HeadBranch string
	AppID      int64  // default: GitHub Actions
	Status     string // queued (default), in_progress, completed
	Conclusion string // "" until completed
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// PutCheckSuite creates cs (when cs.ID is 0) or replaces the suite with cs.ID, and returns
// the stored suite. An unknown commit or suite id fails t.
func (r *Repo) PutCheckSuite(cs CheckSuite) CheckSuite {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return *r.putCheckSuite(cs)
}

// putCheckSuite is PutCheckSuite with s.mu held.
func (r *Repo) putCheckSuite(cs CheckSuite) *CheckSuite {
	r.s.t.Helper()
	if r.commits[cs.HeadSHA] == nil {
		r.s.t.Fatalf("fakegithub: check suite on unknown commit %q of %s", cs.HeadSHA, r.fullName())
	}
	if cs.AppID == 0 {
		cs.AppID = actionsAppID
	}
	if cs.Status == "" {
		cs.Status = "queued"
	}
	now := r.s.now()
	cs.UpdatedAt = now
	if cs.ID == 0 {
		cs.ID, cs.CreatedAt = r.s.newID(), now
		stored := cs
		r.checkSuites = append(r.checkSuites, &stored)
		return &stored
	}
	for _, old := range r.checkSuites {
		if old.ID == cs.ID {
			cs.CreatedAt = old.CreatedAt
			*old = cs
			return old
		}
	}
	r.s.t.Fatalf("fakegithub: %s has no check suite %d", r.fullName(), cs.ID)
	return nil
}

// CheckRuns returns snapshots of the check runs on commit sha of repository repo
// ("owner/name"), in creation order. An unknown repository fails t.
func (s *Server) CheckRuns(repo, sha string) []CheckRun {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, run := range s.repo(repo).checkRuns {
		if run.HeadSHA == sha {
			c := *run
			c.Annotations = slices.Clone(run.Annotations)
			out = append(out, c)
		}
	}
	return out
}

// CheckSuites returns snapshots of the check suites on commit sha of repository repo
// ("owner/name"), in creation order. An unknown repository fails t.
func (s *Server) CheckSuites(repo, sha string) []CheckSuite {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckSuite
	for _, cs := range s.repo(repo).checkSuites {
		if cs.HeadSHA == sha {
			out = append(out, *cs)
		}
	}
	return out
}

// checkRunBody is the request body of checks/create and checks/update.
type checkRunBody struct {
	Name        *string    `json:"name"`
	HeadSHA     string     `json:"head_sha"`
	DetailsURL  *string    `json:"details_url"`
	ExternalID  *string    `json:"external_id"`
	Status      *string    `json:"status"`
	Conclusion  *string    `json:"conclusion"`
	StartedAt   *time.Time `json:"started_at"`
	CompletedAt *time.Time `json:"completed_at"`
	Output      *struct {
		Title       *string      `json:"title"`
		Summary     *string      `json:"summary"`
		Text        *string      `json:"text"`
		Annotations []Annotation `json:"annotations"`
	} `json:"output"`
}

// apply merges a create or update body into run, as GitHub does: a conclusion completes
// the run, output fields replace the old ones, annotations are appended.
func (b *checkRunBody) apply(run *CheckRun, now time.Time) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&run.Name, b.Name)
	set(&run.DetailsURL, b.DetailsURL)
	set(&run.ExternalID, b.ExternalID)
	set(&run.Status, b.Status)
	set(&run.Conclusion, b.Conclusion)
	if b.Conclusion != nil {
		run.Status = "completed"
	}
	if b.StartedAt != nil {
		run.StartedAt = *b.StartedAt
	}
	if b.CompletedAt != nil {
		run.CompletedAt = *b.CompletedAt
	}
	if run.Status == "completed" && run.CompletedAt.IsZero() {
		run.CompletedAt = now
	}
	if b.Output != nil {
		set(&run.Title, b.Output.Title)
		set(&run.Summary, b.Output.Summary)
		set(&run.Text, b.Output.Text)
		run.Annotations = append(run.Annotations, b.Output.Annotations...)
	}
}

// checkRunProblem is GitHub's objection to a run's state after a create or update.
func checkRunProblem(run *CheckRun) string {
	if run.Status == "completed" && run.Conclusion == "" {
		return "Conclusion is required when status is completed"
	}
	if run.Conclusion == "stale" {
		return "Conclusion stale can only be set by GitHub"
	}
	return ""
}

// createCheckRun creates a run in the App's check suite for the commit, creating the suite
// on the first run.
func createCheckRun(s *Server, req *request) reply {
	r := req.repo
	var body checkRunBody
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	if r.commits[body.HeadSHA] == nil {
		return validationFailed("No commit found for SHA: " + body.HeadSHA)
	}
	now := s.now()
	run := &CheckRun{HeadSHA: body.HeadSHA, Status: "queued", StartedAt: now, AppID: s.app.id}
	body.apply(run, now)
	if problem := checkRunProblem(run); problem != "" {
		return validationFailed(problem)
	}
	run.ID = s.newID()
	run.CheckSuiteID = r.appSuite(run.HeadSHA, s.app.id).ID
	r.checkRuns = append(r.checkRuns, run)
	r.syncAppSuite(run.CheckSuiteID)
	return created(s.checkRunJSON(r, run))
}

// updateCheckRun updates one of the App's runs.
func updateCheckRun(s *Server, req *request) reply {
	r := req.repo
	id := intParam(req, "check_run_id")
	var run *CheckRun
	for _, c := range r.checkRuns {
		if c.ID == id {
			run = c
		}
	}
	if run == nil {
		return notFound()
	}
	var body checkRunBody
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	updated := *run
	updated.Annotations = slices.Clone(run.Annotations)
	body.apply(&updated, s.now())
	if problem := checkRunProblem(&updated); problem != "" {
		return validationFailed(problem)
	}
	*run = updated
	r.syncAppSuite(run.CheckSuiteID)
	return ok(s.checkRunJSON(r, run))
}

// appSuite finds or creates the suite of app on sha.
func (r *Repo) appSuite(sha string, app int64) *CheckSuite {
	for _, cs := range r.checkSuites {
		if cs.HeadSHA == sha && cs.AppID == app {
			return cs
		}
	}
	return r.putCheckSuite(CheckSuite{HeadSHA: sha, AppID: app})
}

// suiteConclusions orders conclusions from the one that dominates a suite downwards.
var suiteConclusions = []string{"action_required", "cancelled", "timed_out", "failure", "neutral", "success", "skipped"}

// syncAppSuite derives a suite's status and conclusion from its runs: completed with the
// dominant conclusion when every run is, in_progress otherwise.
func (r *Repo) syncAppSuite(id int64) {
	var suite *CheckSuite
	for _, cs := range r.checkSuites {
		if cs.ID == id {
			suite = cs
		}
	}
	status, seen := "completed", map[string]bool{}
	for _, run := range r.checkRuns {
		if run.CheckSuiteID != id {
			continue
		}
		if run.Status != "completed" {
			status = "in_progress"
		}
		seen[run.Conclusion] = true
	}
	suite.Status, suite.Conclusion, suite.UpdatedAt = status, "", r.s.now()
	if status == "completed" {
		for _, c := range suiteConclusions {
			if seen[c] {
				suite.Conclusion = c
				break
			}
		}
	}
}

// checkRunJSON is a check-run.
func (s *Server) checkRunJSON(r *Repo, run *CheckRun) object {
	api := s.api(fmt.Sprintf("/repos/%s/check-runs/%d", r.fullName(), run.ID))
	return object{
		"id":           run.ID,
		"node_id":      nodeID("CheckRun", run.ID),
		"head_sha":     run.HeadSHA,
		"name":         run.Name,
		"external_id":  run.ExternalID,
		"url":          api,
		"html_url":     fmt.Sprintf("%s/%s/runs/%d", githubHTML, r.fullName(), run.ID),
		"details_url":  strOrNull(run.DetailsURL),
		"status":       run.Status,
		"conclusion":   strOrNull(run.Conclusion),
		"started_at":   tsOrNull(run.StartedAt),
		"completed_at": tsOrNull(run.CompletedAt),
		"output": object{
			"title":             strOrNull(run.Title),
			"summary":           strOrNull(run.Summary),
			"text":              strOrNull(run.Text),
			"annotations_count": len(run.Annotations),
			"annotations_url":   api + "/annotations",
		},
		"check_suite":   object{"id": run.CheckSuiteID},
		"app":           s.appJSON(run.AppID),
		"pull_requests": s.openPullsAt(r, run.HeadSHA),
	}
}

// checkSuiteJSON is a check-suite.
func (s *Server) checkSuiteJSON(r *Repo, cs *CheckSuite) object {
	c := r.commits[cs.HeadSHA]
	runs := 0
	for _, run := range r.checkRuns {
		if run.CheckSuiteID == cs.ID {
			runs++
		}
	}
	api := s.api(fmt.Sprintf("/repos/%s/check-suites/%d", r.fullName(), cs.ID))
	var before any
	if len(c.parents) > 0 {
		before = c.parents[0]
	}
	return object{
		"id":                      cs.ID,
		"node_id":                 nodeID("CheckSuite", cs.ID),
		"head_branch":             strOrNull(cs.HeadBranch),
		"head_sha":                cs.HeadSHA,
		"status":                  cs.Status,
		"conclusion":              strOrNull(cs.Conclusion),
		"url":                     api,
		"before":                  before,
		"after":                   cs.HeadSHA,
		"pull_requests":           s.openPullsAt(r, cs.HeadSHA),
		"app":                     s.appJSON(cs.AppID),
		"repository":              s.repoJSON(r),
		"created_at":              ts(cs.CreatedAt),
		"updated_at":              ts(cs.UpdatedAt),
		"head_commit":             simpleCommitJSON(c),
		"latest_check_runs_count": runs,
		"check_runs_url":          api + "/check-runs",
		"rerequestable":           true,
		"runs_rerequestable":      true,
	}
}

// simpleCommitJSON is a simple-commit.
func simpleCommitJSON(c *gitCommit) object {
	person := object{"name": c.name, "email": c.email}
	return object{"id": c.sha, "tree_id": c.tree, "message": c.message, "timestamp": ts(c.when), "author": person, "committer": person}
}

// refCommit resolves the {ref} path parameter of the list operations.
func refCommit(req *request) (string, bool) { return req.repo.resolve(req.params["ref"]) }

// listCheckRunsForRef lists the runs on a commit, newest first; with filter=latest (the
// default) only the newest run of each name.
func listCheckRunsForRef(s *Server, req *request) reply {
	r := req.repo
	sha, found := refCommit(req)
	if !found {
		return validationFailed("No commit found for SHA: " + req.params["ref"])
	}
	appID := req.query.Get("app_id")
	latest := req.query.Get("filter") != "all"
	seen := map[string]bool{}
	runs := []object{}
	for i := len(r.checkRuns) - 1; i >= 0; i-- {
		run := r.checkRuns[i]
		switch {
		case run.HeadSHA != sha,
			req.query.Has("check_name") && run.Name != req.query.Get("check_name"),
			req.query.Has("status") && run.Status != req.query.Get("status"),
			appID != "" && appID != strconv.FormatInt(run.AppID, 10),
			latest && seen[run.Name]:
			continue
		}
		seen[run.Name] = true
		runs = append(runs, s.checkRunJSON(r, run))
	}
	page, link := paginate(s, req, runs)
	return paged(object{"total_count": len(runs), "check_runs": page}, link)
}

// listCheckSuitesForRef lists the suites on a commit, by creation.
func listCheckSuitesForRef(s *Server, req *request) reply {
	r := req.repo
	sha, found := refCommit(req)
	if !found {
		return validationFailed("No commit found for SHA: " + req.params["ref"])
	}
	appID := req.query.Get("app_id")
	suites := []object{}
	for _, cs := range r.checkSuites {
		if cs.HeadSHA != sha || (appID != "" && appID != strconv.FormatInt(cs.AppID, 10)) {
			continue
		}
		if name := req.query.Get("check_name"); name != "" && !r.suiteHasRun(cs.ID, name) {
			continue
		}
		suites = append(suites, s.checkSuiteJSON(r, cs))
	}
	page, link := paginate(s, req, suites)
	return paged(object{"total_count": len(suites), "check_suites": page}, link)
}

func (r *Repo) suiteHasRun(suite int64, name string) bool {
	for _, run := range r.checkRuns {
		if run.CheckSuiteID == suite && run.Name == name {
			return true
		}
	}
	return false
}
