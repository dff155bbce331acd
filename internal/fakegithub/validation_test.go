package fakegithub

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

// TestInvalidRequestsAreReported sends requests that GitHub's REST description forbids and
// checks that the fake reports each once, naming the operation, the place and the reason.
func TestInvalidRequestsAreReported(t *testing.T) {
	long := strings.Repeat("x", 65536)
	for _, tc := range []struct {
		name       string
		send       func(ctx context.Context, w *world) (*github.Response, error)
		wantStatus int
		wantReport []string // parts of the one expected report
	}{
		{
			name: "check run conclusion outside the enum",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Checks.CreateCheckRun(ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "x", HeadSHA: w.head, Conclusion: github.String("great")})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"checks/create", `/conclusion: "great" is not one of ["action_required","cancelled","failure","neutral","success","skipped","stale","timed_out"]`},
		},
		{
			name: "comment without body",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Issues.CreateComment(ctx, worldOwner, worldName, w.pr, &github.IssueComment{})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"issues/create-comment", `/: lacks required property "body"`},
		},
		{
			name: "51 annotations in one request",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				var anns []*github.CheckRunAnnotation
				for i := 1; i <= 51; i++ {
					anns = append(anns, annotation("environment.yml", i))
				}
				_, resp, err := w.c.Checks.CreateCheckRun(ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "x", HeadSHA: w.head,
					Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: anns}})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"checks/create", "/output/annotations: has 51 items, want at most 50"},
		},
		{
			name: "check run summary over 65535 characters",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Checks.UpdateCheckRun(ctx, worldOwner, worldName, 1, github.UpdateCheckRunOptions{Name: "x",
					Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String(long)}})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"checks/update", "/output/summary: has 65536 characters, want at most 65535"},
		},
		{
			name: "query parameter outside its enum",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.PullRequests.List(ctx, worldOwner, worldName, &github.PullRequestListOptions{State: "merged"})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"pulls/list", `?state: "merged" is not one of ["open","closed","all"]`},
		},
		{
			name: "integer path parameter that is not a number",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "GET", "repos/octo-org/community-image/pulls/first", nil)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"pulls/get", `path parameter pull_number: "first" is not a number`},
		},
		{
			name: "required query parameter missing",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "GET", "search/code", nil)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"search/code", "?q: required query parameter is missing"},
		},
		{
			name: "body on an operation that takes none",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "GET", "repos/octo-org/community-image", map[string]string{"name": "x"})
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"repos/get", "/: the operation takes no request body"},
		},
		{
			name: "a property the description forbids (additionalProperties: false)",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "PATCH", "repos/octo-org/community-image/hooks/1/config", map[string]any{"url": "https://hooks.example", "events": []string{"push"}})
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"repos/update-webhook-config-for-repo", `/: has property "events", which the schema does not allow`},
		},
		{
			name: "a body property of the wrong type",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "POST", "repos/octo-org/community-image/issues/1/comments", map[string]any{"body": 5})
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"issues/create-comment", "/body: is integer, want string"},
		},
		{
			name: "an integer query parameter that is a fraction",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "GET", "repos/octo-org/community-image/pulls?page=1.5", nil)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"pulls/list", "?page: is number, want integer"},
		},
		{
			name: "a second JSON value after the body",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawBody(ctx, w, "POST", "repos/octo-org/community-image/issues/1/comments", "application/json", `{"body": "a"} {"body": "b"}`)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"issues/create-comment", "/: body is not JSON: trailing data after the JSON value"},
		},
		{
			name: "a body that is not JSON",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawBody(ctx, w, "POST", "repos/octo-org/community-image/issues/1/comments", "application/json", `{"body":`)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"issues/create-comment", "/: body is not JSON: unexpected EOF"},
		},
		{
			name: "a JSON body sent as text",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawBody(ctx, w, "POST", "repos/octo-org/community-image/issues/1/comments", "text/plain", `{"body": "hi"}`)
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantReport: []string{"issues/create-comment", `/: Content-Type is "text/plain", want application/json`},
		},
		{
			name: "unknown path",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "GET", "repos/octo-org/community-image/frobnicate", nil)
			},
			wantStatus: http.StatusNotFound,
			wantReport: []string{"GET /repos/octo-org/community-image/frobnicate matches no path in GitHub's REST description"},
		},
		{
			name: "method the path does not have",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				return rawRequest(ctx, w, "DELETE", "repos/octo-org/community-image/check-runs", nil)
			},
			wantStatus: http.StatusNotFound,
			wantReport: []string{"DELETE /repos/octo-org/community-image/check-runs: GitHub's REST description has this path but no DELETE operation on it"},
		},
		{
			name: "operation the fake does not implement",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Repositories.ListBranches(ctx, worldOwner, worldName, nil)
				return resp, err
			},
			wantStatus: http.StatusNotImplemented,
			wantReport: []string{"fake does not implement repos/list-branches (GET /repos/octo-org/community-image/branches)"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			w := newWorld(rec)
			resp, err := tc.send(context.Background(), w)
			if err == nil {
				t.Errorf("request succeeded")
			}
			equal(t, "status", statusOf(resp), tc.wantStatus)
			reports := rec.reported()
			if len(reports) != 1 || !contains(reports, tc.wantReport...) {
				t.Errorf("reports = %q, want one containing %q", reports, tc.wantReport)
			}
		})
	}
}

// rawRequest sends a request go-github has no method for.
func rawRequest(ctx context.Context, w *world, method, path string, body any) (*github.Response, error) {
	req, err := w.c.NewRequest(method, path, body)
	if err != nil {
		return nil, err
	}
	return w.c.Do(ctx, req, nil)
}

// rawBody sends body as it is, with the given Content-Type.
func rawBody(ctx context.Context, w *world, method, path, contentType, body string) (*github.Response, error) {
	req, err := w.c.NewRequest(method, path, nil)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", contentType)
	return w.c.Do(ctx, req, nil)
}

// TestGitHubRejections covers requests the description allows but GitHub refuses: they are
// answered 422 or 409 like GitHub and are not reported, since a correct client must handle
// them.
func TestGitHubRejections(t *testing.T) {
	for _, tc := range []struct {
		name       string
		send       func(ctx context.Context, w *world) (*github.Response, error)
		wantStatus int
		wantError  string
	}{
		{
			name: "comment body over 65536 characters",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Issues.CreateComment(ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String(strings.Repeat("é", 65537))})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "Body is too long (maximum is 65536 characters)",
		},
		{
			name: "edited comment body over 65536 characters",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				id := w.repo.AddComment(w.pr, "maintainer", "hi")
				_, resp, err := w.c.Issues.EditComment(ctx, worldOwner, worldName, id, &github.IssueComment{Body: github.String(strings.Repeat("x", 65537))})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "Body is too long (maximum is 65536 characters)",
		},
		{
			name: "completed check run without a conclusion",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Checks.CreateCheckRun(ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "x", HeadSHA: w.head, Status: github.String("completed")})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "Conclusion is required when status is completed",
		},
		{
			name: "check run on an unknown commit",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Checks.CreateCheckRun(ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "x", HeadSHA: strings.Repeat("0", 40)})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "No commit found for SHA: 0000000000000000000000000000000000000000",
		},
		{
			name: "deployment status description over 140 characters",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				d, _, err := w.c.Repositories.CreateDeployment(ctx, worldOwner, worldName, &github.DeploymentRequest{Ref: github.String("main")})
				if err != nil {
					return nil, err
				}
				_, resp, err := w.c.Repositories.CreateDeploymentStatus(ctx, worldOwner, worldName, d.GetID(), &github.DeploymentStatusRequest{
					State: github.String("success"), Description: github.String(strings.Repeat("x", 141))})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "description is too long (maximum is 140 characters)",
		},
		{
			name: "deployment of an unknown ref",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.Repositories.CreateDeployment(ctx, worldOwner, worldName, &github.DeploymentRequest{Ref: github.String("nope")})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "No ref found for: nope",
		},
		{
			name: "pull request between unrelated histories",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				r := w.s.AddRepo(worldOwner, "split")
				r.Commit("orphan", map[string]string{"a": "1"})
				r.Commit("main", map[string]string{"b": "2"})
				w.inst.AddRepos(r)
				_, resp, err := w.c.PullRequests.Create(ctx, worldOwner, "split", &github.NewPullRequest{Title: github.String("t"), Head: github.String("orphan"), Base: github.String("main")})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "The main branch has no history in common with orphan",
		},
		{
			name: "pull request without commits",
			send: func(ctx context.Context, w *world) (*github.Response, error) {
				_, resp, err := w.c.PullRequests.Create(ctx, worldOwner, worldName, &github.NewPullRequest{Title: github.String("t"), Head: github.String("main"), Base: github.String("feature")})
				return resp, err
			},
			wantStatus: http.StatusUnprocessableEntity,
			wantError:  "No commits between feature and main",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			w := newWorld(rec)
			resp, err := tc.send(context.Background(), w)
			equal(t, "status", statusOf(resp), tc.wantStatus)
			if err == nil || !strings.Contains(err.Error(), tc.wantError) {
				t.Errorf("error = %v, want one containing %q", err, tc.wantError)
			}
			equal(t, "reports", rec.reported(), []string(nil))
		})
	}
}

// TestResponsesAreCheckedAgainstTheDescription feeds the response check shapes that drift
// from GitHub's.
func TestResponsesAreCheckedAgainstTheDescription(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opID   string
		status int
		body   string
		want   []string // parts of the report, none when nil
	}{
		{name: "repository without required fields", opID: "repos/get", status: 200, body: `{"id": 1}`,
			want: []string{"the fake's repos/get response 200 violates", `/: lacks required property "archive_url"`}},
		{name: "check run with a wrongly typed id", opID: "checks/create", status: 201, body: `{"id": "7"}`,
			want: []string{"checks/create response 201", `/id: is string, want integer`}},
		{name: "undocumented success status", opID: "repos/get", status: 201, body: `{}`,
			want: []string{"repos/get answered 201, which GitHub's REST description does not document"}},
		{name: "undocumented error status checked as basic-error", opID: "checks/create", status: 404, body: `{"message": 404}`,
			want: []string{"checks/create response 404", "/message: is integer, want string"}},
		{name: "documented error body", opID: "issues/create-comment", status: 422, body: `{"message": "Validation Failed", "documentation_url": "https://docs.github.com/rest"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			s := New(rec)
			s.checkResponse(tc.opID, tc.status, []byte(tc.body))
			reports := rec.reported()
			if tc.want == nil {
				equal(t, "reports", reports, []string(nil))
				return
			}
			if len(reports) != 1 || !contains(reports, tc.want...) {
				t.Errorf("reports = %q, want one containing %q", reports, tc.want)
			}
		})
	}
}
