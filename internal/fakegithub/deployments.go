package fakegithub

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Deployment is a snapshot of a deployment with its statuses.
type Deployment struct {
	ID                    int64
	SHA                   string
	Ref                   string
	Task                  string
	Environment           string
	Description           string
	Payload               json.RawMessage
	ProductionEnvironment bool
	TransientEnvironment  bool
	Creator               string
	CreatedAt             time.Time
	UpdatedAt             time.Time
	Statuses              []DeploymentStatus // oldest first
}

// DeploymentStatus is one status of a deployment.
type DeploymentStatus struct {
	ID             int64
	State          string // error, failure, inactive, in_progress, queued, pending, success
	Description    string
	Environment    string
	EnvironmentURL string
	LogURL         string
	TargetURL      string
	Creator        string
	CreatedAt      time.Time
}

// maxDeploymentStatusDescription is GitHub's limit on a deployment status description.
const maxDeploymentStatusDescription = 140

// Deployments returns snapshots of the deployments of repository repo ("owner/name"),
// oldest first. An unknown repository fails t.
func (s *Server) Deployments(repo string) []Deployment {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Deployment
	for _, d := range s.repo(repo).deployments {
		snap := *d
		snap.Payload = slices.Clone(d.Payload)
		snap.Statuses = slices.Clone(d.Statuses)
		out = append(out, snap)
	}
	return out
}

// deploymentJSON is a deployment.
func (s *Server) deploymentJSON(r *Repo, d *Deployment) object {
	api := s.api(fmt.Sprintf("/repos/%s/deployments/%d", r.fullName(), d.ID))
	var app any
	if d.Creator == s.actor() {
		app = s.appJSON(s.app.id)
	}
	return object{
		"id":                       d.ID,
		"node_id":                  nodeID("Deployment", d.ID),
		"url":                      api,
		"sha":                      d.SHA,
		"ref":                      d.Ref,
		"task":                     d.Task,
		"payload":                  d.Payload,
		"original_environment":     d.Environment,
		"environment":              d.Environment,
		"description":              strOrNull(d.Description),
		"creator":                  s.userJSON(d.Creator),
		"created_at":               ts(d.CreatedAt),
		"updated_at":               ts(d.UpdatedAt),
		"statuses_url":             api + "/statuses",
		"repository_url":           s.api("/repos/" + r.fullName()),
		"transient_environment":    d.TransientEnvironment,
		"production_environment":   d.ProductionEnvironment,
		"performed_via_github_app": app,
	}
}

// deploymentStatusJSON is a deployment-status.
func (s *Server) deploymentStatusJSON(r *Repo, d *Deployment, st DeploymentStatus) object {
	deployment := s.api(fmt.Sprintf("/repos/%s/deployments/%d", r.fullName(), d.ID))
	var app any
	if st.Creator == s.actor() {
		app = s.appJSON(s.app.id)
	}
	return object{
		"id":                       st.ID,
		"node_id":                  nodeID("DeploymentStatus", st.ID),
		"url":                      fmt.Sprintf("%s/statuses/%d", deployment, st.ID),
		"state":                    st.State,
		"creator":                  s.userJSON(st.Creator),
		"description":              st.Description,
		"environment":              st.Environment,
		"target_url":               st.TargetURL,
		"log_url":                  st.LogURL,
		"environment_url":          st.EnvironmentURL,
		"created_at":               ts(st.CreatedAt),
		"updated_at":               ts(st.CreatedAt),
		"deployment_url":           deployment,
		"repository_url":           s.api("/repos/" + r.fullName()),
		"performed_via_github_app": app,
	}
}

// createDeployment creates a deployment of a ref (branch, tag or commit). The fake does
// not verify commit statuses (required_contexts) nor auto-merge the default branch.
func createDeployment(s *Server, req *request) reply {
	r := req.repo
	var body struct {
		Ref                   string          `json:"ref"`
		Task                  *string         `json:"task"`
		Payload               json.RawMessage `json:"payload"`
		Environment           *string         `json:"environment"`
		Description           *string         `json:"description"`
		TransientEnvironment  bool            `json:"transient_environment"`
		ProductionEnvironment *bool           `json:"production_environment"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	sha, found := r.resolve(body.Ref)
	if !found {
		return validationFailed("No ref found for: " + body.Ref)
	}
	now := s.now()
	d := &Deployment{
		ID: s.newID(), SHA: sha, Ref: body.Ref, Task: "deploy", Environment: "production",
		Payload: json.RawMessage(`{}`), TransientEnvironment: body.TransientEnvironment,
		Creator: s.actor(), CreatedAt: now, UpdatedAt: now,
	}
	if body.Task != nil {
		d.Task = *body.Task
	}
	if body.Environment != nil {
		d.Environment = *body.Environment
	}
	if body.Description != nil {
		d.Description = *body.Description
	}
	if len(body.Payload) > 0 && string(body.Payload) != "null" {
		d.Payload = slices.Clone(body.Payload)
	}
	d.ProductionEnvironment = d.Environment == "production"
	if body.ProductionEnvironment != nil {
		d.ProductionEnvironment = *body.ProductionEnvironment
	}
	r.deployments = append(r.deployments, d)
	return created(s.deploymentJSON(r, d))
}

// listDeployments lists deployments newest first, filtered by sha, ref, task and
// environment.
func listDeployments(s *Server, req *request) reply {
	r := req.repo
	list := []object{}
	for i := len(r.deployments) - 1; i >= 0; i-- {
		d := r.deployments[i]
		if (req.query.Has("sha") && d.SHA != req.query.Get("sha")) ||
			(req.query.Has("ref") && d.Ref != req.query.Get("ref")) ||
			(req.query.Has("task") && d.Task != req.query.Get("task")) ||
			(req.query.Has("environment") && d.Environment != req.query.Get("environment")) {
			continue
		}
		list = append(list, s.deploymentJSON(r, d))
	}
	page, link := paginate(s, req, list)
	return paged(page, link)
}

func findDeployment(req *request) *Deployment {
	id := intParam(req, "deployment_id")
	for _, d := range req.repo.deployments {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// createDeploymentStatus adds a status. log_url also sets target_url; environment
// defaults to the deployment's. With auto_inactive (the default) a success status marks
// earlier successful deployments to the same environment inactive, for non-transient,
// non-production environments, as GitHub documents.
func createDeploymentStatus(s *Server, req *request) reply {
	r := req.repo
	d := findDeployment(req)
	if d == nil {
		return notFound()
	}
	var body struct {
		State          string  `json:"state"`
		TargetURL      string  `json:"target_url"`
		LogURL         string  `json:"log_url"`
		Description    string  `json:"description"`
		Environment    *string `json:"environment"`
		EnvironmentURL string  `json:"environment_url"`
		AutoInactive   *bool   `json:"auto_inactive"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	if utf8.RuneCountInString(body.Description) > maxDeploymentStatusDescription {
		return validationFailed("Validation Failed", fieldError{
			Resource: "DeploymentStatus", Field: "description", Code: "custom",
			Message: fmt.Sprintf("description is too long (maximum is %d characters)", maxDeploymentStatusDescription),
		})
	}
	now := s.now()
	st := DeploymentStatus{
		ID: s.newID(), State: body.State, Description: body.Description, Environment: d.Environment,
		EnvironmentURL: body.EnvironmentURL, LogURL: body.LogURL, TargetURL: body.TargetURL,
		Creator: s.actor(), CreatedAt: now,
	}
	if body.LogURL != "" {
		st.TargetURL = body.LogURL
	}
	if body.Environment != nil {
		st.Environment = *body.Environment
		d.Environment = *body.Environment
	}
	d.Statuses = append(d.Statuses, st)
	d.UpdatedAt = now
	if st.State == "success" && (body.AutoInactive == nil || *body.AutoInactive) && !d.TransientEnvironment && !d.ProductionEnvironment {
		for _, other := range r.deployments {
			if other == d || other.Environment != d.Environment || len(other.Statuses) == 0 ||
				other.Statuses[len(other.Statuses)-1].State != "success" {
				continue
			}
			other.Statuses = append(other.Statuses, DeploymentStatus{
				ID: s.newID(), State: "inactive", Environment: other.Environment, Creator: s.actor(), CreatedAt: now,
			})
			other.UpdatedAt = now
		}
	}
	return created(s.deploymentStatusJSON(r, d, st))
}

// listDeploymentStatuses lists a deployment's statuses newest first.
func listDeploymentStatuses(s *Server, req *request) reply {
	r := req.repo
	d := findDeployment(req)
	if d == nil {
		return notFound()
	}
	list := []object{}
	for i := len(d.Statuses) - 1; i >= 0; i-- {
		list = append(list, s.deploymentStatusJSON(r, d, d.Statuses[i]))
	}
	page, link := paginate(s, req, list)
	return paged(page, link)
}
