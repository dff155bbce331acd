package fakegithub

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// operationCases round-trip every implemented operation through go-github. ops is the
// exact sequence of operations each case calls.
var operationCases = []struct {
	name string
	ops  []string
	run  func(t *testing.T, w *world)
}{
	{
		name: "installation token",
		ops:  []string{"apps/create-installation-access-token", "repos/get"},
		run: func(t *testing.T, w *world) {
			tok, resp, err := w.appClient(t).Apps.CreateInstallationToken(w.ctx, installation, &github.InstallationTokenOptions{Repositories: []string{worldName}})
			must(t, err)
			equal(t, "status", statusOf(resp), http.StatusCreated)
			if !strings.HasPrefix(tok.GetToken(), "ghs_") {
				t.Errorf("token %q lacks the ghs_ prefix", tok.GetToken())
			}
			equal(t, "expires_at", tok.GetExpiresAt().Time, testStart.Add(time.Hour))
			equal(t, "repositories", []string{tok.Repositories[0].GetFullName()}, []string{worldRepo})
			repo, _, err := client(t, w.s, "token "+tok.GetToken()).Repositories.Get(w.ctx, worldOwner, worldName)
			must(t, err)
			equal(t, "repo", repo.GetFullName(), worldRepo)
			equal(t, "token requests", w.s.InstallationTokens(), 1)
		},
	},
	{
		name: "get installation",
		ops:  []string{"apps/get-installation"},
		run: func(t *testing.T, w *world) {
			in, _, err := w.appClient(t).Apps.GetInstallation(w.ctx, installation)
			must(t, err)
			equal(t, "installation", []any{in.GetID(), in.GetAccount().GetLogin(), in.GetAppID(), in.GetAppSlug()},
				[]any{installation, worldOwner, 1, "imagebot"})
		},
	},
	{
		name: "hook deliveries: list, redeliver",
		ops:  []string{"apps/list-webhook-deliveries", "apps/redeliver-webhook-delivery"},
		run: func(t *testing.T, w *world) {
			d := w.s.AddHookDelivery(HookDelivery{GUID: "0b989ba4-242f-11e5-81e1-c7b6966d2516", Event: "pull_request", Action: "opened",
				StatusCode: http.StatusServiceUnavailable, InstallationID: installation, RepositoryID: 1})
			app := w.appClient(t)
			list, _, err := app.Apps.ListHookDeliveries(w.ctx, &github.ListCursorOptions{PerPage: 100})
			must(t, err)
			equal(t, "deliveries", []any{len(list), list[0].GetID(), list[0].GetGUID(), list[0].GetStatusCode(), list[0].GetRedelivery()},
				[]any{1, d.ID, d.GUID, 503, false})
			_, resp, _ := app.Apps.RedeliverHookDelivery(w.ctx, d.ID)
			equal(t, "redelivery status", statusOf(resp), http.StatusAccepted)
		},
	},
	{
		name: "app from manifest, once",
		ops:  []string{"apps/create-from-manifest", "apps/create-from-manifest"},
		run: func(t *testing.T, w *world) {
			w.s.AddManifestCode("abc123", AppCredentials{ClientID: "Iv1.abc", ClientSecret: "shh", WebhookSecret: "hook", PEM: "-----BEGIN RSA PRIVATE KEY-----"})
			c := client(t, w.s, "")
			cfg, resp, err := c.Apps.CompleteAppManifest(w.ctx, "abc123")
			must(t, err)
			equal(t, "status", statusOf(resp), http.StatusCreated)
			equal(t, "app", []any{cfg.GetID(), cfg.GetSlug(), cfg.GetClientID(), cfg.GetClientSecret(), cfg.GetWebhookSecret(), cfg.GetPEM()},
				[]any{1, "imagebot", "Iv1.abc", "shh", "hook", "-----BEGIN RSA PRIVATE KEY-----"})
			_, resp, err = c.Apps.CompleteAppManifest(w.ctx, "abc123")
			equal(t, "second conversion", statusOf(resp), http.StatusNotFound)
			if err == nil {
				t.Error("second conversion succeeded")
			}
		},
	},
	{
		name: "get repository",
		ops:  []string{"repos/get"},
		run: func(t *testing.T, w *world) {
			repo, _, err := w.c.Repositories.Get(w.ctx, worldOwner, worldName)
			must(t, err)
			equal(t, "repo", []any{repo.GetID(), repo.GetFullName(), repo.GetDefaultBranch(), repo.GetOwner().GetLogin(), repo.GetHTMLURL()},
				[]any{w.repo.ID(), worldRepo, "main", worldOwner, "https://github.com/" + worldRepo})
		},
	},
	{
		name: "get file, directory and missing file",
		ops:  []string{"repos/get-content", "repos/get-content", "repos/get-content"},
		run: func(t *testing.T, w *world) {
			file, _, _, err := w.c.Repositories.GetContents(w.ctx, worldOwner, worldName, ".github/imagebot.yml", &github.RepositoryContentGetOptions{Ref: "main"})
			must(t, err)
			content, err := file.GetContent()
			must(t, err)
			equal(t, "file", []any{file.GetType(), file.GetPath(), file.GetSHA(), content, file.GetSize()},
				[]any{"file", ".github/imagebot.yml", BlobSHA(config), config, len(config)})
			_, dir, _, err := w.c.Repositories.GetContents(w.ctx, worldOwner, worldName, "docs", &github.RepositoryContentGetOptions{Ref: "feature"})
			must(t, err)
			equal(t, "directory", []any{len(dir), dir[0].GetName(), dir[0].GetType(), dir[0].GetSHA()},
				[]any{1, "guide.md", "file", BlobSHA(guide)})
			_, _, resp, err := w.c.Repositories.GetContents(w.ctx, worldOwner, worldName, "README.md", &github.RepositoryContentGetOptions{Ref: "feature"})
			equal(t, "deleted file status", statusOf(resp), http.StatusNotFound)
			if err == nil {
				t.Error("a file deleted on feature was found")
			}
		},
	},
	{
		name: "tree, recursive and not",
		ops:  []string{"git/get-tree", "git/get-tree"},
		run: func(t *testing.T, w *world) {
			entries := func(recursive bool) []string {
				tree, _, err := w.c.Git.GetTree(w.ctx, worldOwner, worldName, w.head, recursive)
				must(t, err)
				equal(t, "tree sha", tree.GetSHA(), w.repo.commits[w.head].tree)
				var out []string
				for _, e := range tree.Entries {
					out = append(out, e.GetType()+" "+e.GetMode()+" "+e.GetPath())
				}
				return out
			}
			equal(t, "recursive", entries(true), []string{
				"tree 040000 .github", "blob 100644 .github/imagebot.yml", "tree 040000 docs", "blob 100644 docs/guide.md",
				"blob 100644 environment.yml", "tree 040000 locks", "blob 100644 locks/conda-lock.yml",
			})
			equal(t, "top level", entries(false), []string{"tree 040000 .github", "tree 040000 docs", "blob 100644 environment.yml", "tree 040000 locks"})
		},
	},
	{
		name: "blob",
		ops:  []string{"git/get-blob"},
		run: func(t *testing.T, w *world) {
			blob, _, err := w.c.Git.GetBlob(w.ctx, worldOwner, worldName, BlobSHA(envV2))
			must(t, err)
			equal(t, "blob", []any{blob.GetSHA(), blob.GetSize(), blob.GetEncoding(), decodeBase64(t, blob.GetContent())},
				[]any{BlobSHA(envV2), len(envV2), "base64", envV2})
		},
	},
	{
		name: "get ref",
		ops:  []string{"git/get-ref"},
		run: func(t *testing.T, w *world) {
			ref, _, err := w.c.Git.GetRef(w.ctx, worldOwner, worldName, "heads/feature")
			must(t, err)
			equal(t, "ref", []any{ref.GetRef(), ref.GetObject().GetSHA(), ref.GetObject().GetType()}, []any{"refs/heads/feature", w.head, "commit"})
		},
	},
	{
		name: "create ref, then again",
		ops:  []string{"git/create-ref", "git/create-ref"},
		run: func(t *testing.T, w *world) {
			ref := &github.Reference{Ref: github.String("refs/heads/bump"), Object: &github.GitObject{SHA: github.String(w.base)}}
			got, resp, err := w.c.Git.CreateRef(w.ctx, worldOwner, worldName, ref)
			must(t, err)
			equal(t, "created", []any{statusOf(resp), got.GetRef(), w.repo.Branch("bump")}, []any{http.StatusCreated, "refs/heads/bump", w.base})
			_, resp, _ = w.c.Git.CreateRef(w.ctx, worldOwner, worldName, ref)
			equal(t, "duplicate status", statusOf(resp), http.StatusUnprocessableEntity)
		},
	},
	{
		name: "compare",
		ops:  []string{"repos/compare-commits"},
		run: func(t *testing.T, w *world) {
			cmp, _, err := w.c.Repositories.CompareCommits(w.ctx, worldOwner, worldName, "main", "feature", nil)
			must(t, err)
			equal(t, "comparison", []any{cmp.GetStatus(), cmp.GetAheadBy(), cmp.GetBehindBy(), cmp.GetTotalCommits(), cmp.Commits[0].GetSHA(),
				cmp.GetMergeBaseCommit().GetSHA(), cmp.GetMergeBaseCommit().GetCommit().GetTree().GetSHA(), cmp.GetBaseCommit().GetSHA()},
				[]any{"ahead", 1, 0, 1, w.head, w.base, w.repo.commits[w.base].tree, w.base})
			var files []string
			for _, f := range cmp.Files {
				files = append(files, strings.Join([]string{f.GetStatus(), f.GetFilename(), f.GetPreviousFilename(), f.GetSHA()}, " "))
			}
			equal(t, "files", files, []string{
				"removed README.md  " + BlobSHA(readme),
				"added docs/guide.md  " + BlobSHA(guide),
				"modified environment.yml  " + BlobSHA(envV2),
				"renamed locks/conda-lock.yml conda-lock.yml " + BlobSHA(lockFile),
			})
		},
	},
	{
		name: "get pull request",
		ops:  []string{"pulls/get"},
		run: func(t *testing.T, w *world) {
			pr, _, err := w.c.PullRequests.Get(w.ctx, worldOwner, worldName, w.pr)
			must(t, err)
			equal(t, "pull", []any{pr.GetNumber(), pr.GetTitle(), pr.GetUser().GetLogin(), pr.GetState(), pr.GetHead().GetRef(), pr.GetHead().GetSHA(),
				pr.GetBase().GetRef(), pr.GetBase().GetSHA(), pr.GetMergeable(), pr.GetChangedFiles(), pr.GetAdditions(), pr.GetDeletions(), pr.GetCommits(),
				pr.GetHTMLURL()},
				[]any{1, "Add numpy", "maintainer", "open", "feature", w.head, "main", w.base, true, 4, 2, 1, 1,
					"https://github.com/" + worldRepo + "/pull/1"})
		},
	},
	{
		name: "pull request files",
		ops:  []string{"pulls/list-files"},
		run: func(t *testing.T, w *world) {
			files, _, err := w.c.PullRequests.ListFiles(w.ctx, worldOwner, worldName, w.pr, nil)
			must(t, err)
			var got []string
			for _, f := range files {
				got = append(got, f.GetStatus()+" "+f.GetFilename())
			}
			equal(t, "files", got, []string{"removed README.md", "added docs/guide.md", "modified environment.yml", "renamed locks/conda-lock.yml"})
		},
	},
	{
		name: "create pull request, then a duplicate",
		ops:  []string{"pulls/create", "pulls/create"},
		run: func(t *testing.T, w *world) {
			w.repo.Commit("bump", map[string]string{"hubs/values.yaml": "tag: abc\n"})
			opts := &github.NewPullRequest{Title: github.String("Bump image"), Head: github.String("bump"), Base: github.String("main")}
			pr, resp, err := w.c.PullRequests.Create(w.ctx, worldOwner, worldName, opts)
			must(t, err)
			equal(t, "pull", []any{statusOf(resp), pr.GetNumber(), pr.GetUser().GetLogin(), pr.GetHead().GetRef(), pr.GetHead().GetSHA()},
				[]any{http.StatusCreated, 2, "imagebot[bot]", "bump", w.repo.Branch("bump")})
			_, resp, err = w.c.PullRequests.Create(w.ctx, worldOwner, worldName, opts)
			equal(t, "duplicate status", statusOf(resp), http.StatusUnprocessableEntity)
			if err == nil || !strings.Contains(err.Error(), "A pull request already exists for octo-org:bump.") {
				t.Errorf("duplicate error = %v", err)
			}
		},
	},
	{
		name: "list pull requests",
		ops:  []string{"pulls/list", "pulls/list", "pulls/list"},
		run: func(t *testing.T, w *world) {
			numbers := func(opts *github.PullRequestListOptions) []int {
				prs, _, err := w.c.PullRequests.List(w.ctx, worldOwner, worldName, opts)
				must(t, err)
				out := []int{}
				for _, p := range prs {
					out = append(out, p.GetNumber())
				}
				return out
			}
			equal(t, "open", numbers(nil), []int{1})
			equal(t, "by head", numbers(&github.PullRequestListOptions{Head: "octo-org:feature"}), []int{1})
			equal(t, "closed", numbers(&github.PullRequestListOptions{State: "closed"}), []int{})
		},
	},
	{
		name: "create check run",
		ops:  []string{"checks/create"},
		run: func(t *testing.T, w *world) {
			run, resp, err := w.c.Checks.CreateCheckRun(w.ctx, worldOwner, worldName, github.CreateCheckRunOptions{
				Name: "lockfile-present", HeadSHA: w.head, Status: github.String("completed"), Conclusion: github.String("failure"),
				Output: &github.CheckRunOutput{Title: github.String("No lockfile"), Summary: github.String("environment.yml has no lock"),
					Annotations: []*github.CheckRunAnnotation{annotation("environment.yml", 1), annotation("environment.yml", 5)}},
			})
			must(t, err)
			equal(t, "run", []any{statusOf(resp), run.GetName(), run.GetStatus(), run.GetConclusion(), run.GetOutput().GetAnnotationsCount(), run.GetApp().GetSlug(),
				run.GetCompletedAt().Time, len(run.PullRequests), run.PullRequests[0].GetNumber()},
				[]any{http.StatusCreated, "lockfile-present", "completed", "failure", 2, "imagebot", testStart, 1, 1})
			stored := w.s.CheckRuns(worldRepo, w.head)
			equal(t, "stored", []any{len(stored), stored[0].ID, stored[0].Summary, stored[0].Annotations[1].StartLine}, []any{1, run.GetID(), "environment.yml has no lock", 5})
		},
	},
	{
		name: "update check run",
		ops:  []string{"checks/create", "checks/update"},
		run: func(t *testing.T, w *world) {
			run, _, err := w.c.Checks.CreateCheckRun(w.ctx, worldOwner, worldName, github.CreateCheckRunOptions{
				Name: "lockfile-fresh", HeadSHA: w.head, Status: github.String("in_progress"),
				Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: []*github.CheckRunAnnotation{annotation("a", 1)}},
			})
			must(t, err)
			updated, _, err := w.c.Checks.UpdateCheckRun(w.ctx, worldOwner, worldName, run.GetID(), github.UpdateCheckRunOptions{
				Name: "lockfile-fresh", Conclusion: github.String("success"),
				Output: &github.CheckRunOutput{Title: github.String("Fresh"), Summary: github.String("ok"), Annotations: []*github.CheckRunAnnotation{annotation("b", 2)}},
			})
			must(t, err)
			equal(t, "updated", []any{updated.GetStatus(), updated.GetConclusion(), updated.GetOutput().GetTitle(), updated.GetOutput().GetAnnotationsCount()},
				[]any{"completed", "success", "Fresh", 2})
			suites := w.s.CheckSuites(worldRepo, w.head)
			equal(t, "app suite", []any{len(suites), suites[0].AppID, suites[0].Status, suites[0].Conclusion}, []any{1, 1, "completed", "success"})
		},
	},
	{
		name: "list check runs for a ref",
		ops:  []string{"checks/create", "checks/create", "checks/create", "checks/list-for-ref", "checks/list-for-ref"},
		run: func(t *testing.T, w *world) {
			var ids []int64
			for _, name := range []string{"image-pinned", "image-pinned", "dependency-diff"} {
				run, _, err := w.c.Checks.CreateCheckRun(w.ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: name, HeadSHA: w.head})
				must(t, err)
				ids = append(ids, run.GetID())
			}
			list := func(filter string) []any {
				res, _, err := w.c.Checks.ListCheckRunsForRef(w.ctx, worldOwner, worldName, "feature", &github.ListCheckRunsOptions{Filter: github.String(filter)})
				must(t, err)
				out := []any{res.GetTotal()}
				for _, r := range res.CheckRuns {
					out = append(out, r.GetID())
				}
				return out
			}
			equal(t, "latest", list("latest"), []any{2, ids[2], ids[1]})
			equal(t, "all", list("all"), []any{3, ids[2], ids[1], ids[0]})
		},
	},
	{
		name: "list check suites for a ref",
		ops:  []string{"checks/create", "checks/list-suites-for-ref", "checks/list-suites-for-ref"},
		run: func(t *testing.T, w *world) {
			run := w.repo.PutWorkflowRun(WorkflowRun{HeadSHA: w.head, HeadBranch: "feature", Status: "completed", Conclusion: "success"})
			_, _, err := w.c.Checks.CreateCheckRun(w.ctx, worldOwner, worldName, github.CreateCheckRunOptions{Name: "image-pinned", HeadSHA: w.head})
			must(t, err)
			list := func(opts *github.ListCheckSuiteOptions) []any {
				res, _, err := w.c.Checks.ListCheckSuitesForRef(w.ctx, worldOwner, worldName, w.head, opts)
				must(t, err)
				out := []any{res.GetTotal()}
				for _, cs := range res.CheckSuites {
					out = append(out, cs.GetApp().GetSlug(), cs.GetStatus(), cs.GetConclusion())
				}
				return out
			}
			equal(t, "all", list(nil), []any{2, "github-actions", "completed", "success", "imagebot", "in_progress", ""})
			equal(t, "actions", list(&github.ListCheckSuiteOptions{AppID: github.Int(actionsAppID)}), []any{1, "github-actions", "completed", "success"})
			equal(t, "run's suite", w.s.CheckSuites(worldRepo, w.head)[0].ID, run.CheckSuiteID)
		},
	},
	{
		name: "create comment",
		ops:  []string{"issues/create-comment"},
		run: func(t *testing.T, w *world) {
			c, resp, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("<!-- imagebot -->\nhello")})
			must(t, err)
			equal(t, "comment", []any{statusOf(resp), c.GetUser().GetLogin(), c.GetBody(), c.GetHTMLURL()},
				[]any{http.StatusCreated, "imagebot[bot]", "<!-- imagebot -->\nhello", "https://github.com/" + worldRepo + "/pull/1#issuecomment-" + itoa(c.GetID())})
			stored := w.s.Comments(worldRepo, w.pr)
			equal(t, "stored", []any{len(stored), stored[0].ID, stored[0].User}, []any{1, c.GetID(), "imagebot[bot]"})
		},
	},
	{
		name: "update and get comment",
		ops:  []string{"issues/create-comment", "issues/update-comment", "issues/get-comment"},
		run: func(t *testing.T, w *world) {
			c, _, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("v1")})
			must(t, err)
			_, _, err = w.c.Issues.EditComment(w.ctx, worldOwner, worldName, c.GetID(), &github.IssueComment{Body: github.String("v2")})
			must(t, err)
			got, _, err := w.c.Issues.GetComment(w.ctx, worldOwner, worldName, c.GetID())
			must(t, err)
			equal(t, "body", got.GetBody(), "v2")
		},
	},
	{
		name: "list comments",
		ops:  []string{"issues/create-comment", "issues/list-comments"},
		run: func(t *testing.T, w *world) {
			w.repo.AddComment(w.pr, "maintainer", "/imagebot recheck")
			_, _, err := w.c.Issues.CreateComment(w.ctx, worldOwner, worldName, w.pr, &github.IssueComment{Body: github.String("ok")})
			must(t, err)
			list, _, err := w.c.Issues.ListComments(w.ctx, worldOwner, worldName, w.pr, nil)
			must(t, err)
			var got []string
			for _, c := range list {
				got = append(got, c.GetUser().GetLogin()+": "+c.GetBody()+" ("+c.GetAuthorAssociation()+")")
			}
			equal(t, "comments", got, []string{"maintainer: /imagebot recheck (CONTRIBUTOR)", "imagebot[bot]: ok (NONE)"})
		},
	},
	{
		name: "react to a comment twice",
		ops:  []string{"reactions/create-for-issue-comment", "reactions/create-for-issue-comment"},
		run: func(t *testing.T, w *world) {
			id := w.repo.AddComment(w.pr, "maintainer", "/imagebot recheck")
			first, resp1, err := w.c.Reactions.CreateIssueCommentReaction(w.ctx, worldOwner, worldName, id, "eyes")
			must(t, err)
			second, resp2, err := w.c.Reactions.CreateIssueCommentReaction(w.ctx, worldOwner, worldName, id, "eyes")
			must(t, err)
			equal(t, "reactions", []any{statusOf(resp1), statusOf(resp2), first.GetID() == second.GetID(), first.GetContent(), first.GetUser().GetLogin()},
				[]any{http.StatusCreated, http.StatusOK, true, "eyes", "imagebot[bot]"})
			equal(t, "stored", len(w.s.Comments(worldRepo, w.pr)[0].Reactions), 1)
		},
	},
	{
		name: "collaborator permission",
		ops:  []string{"repos/get-collaborator-permission-level", "repos/get-collaborator-permission-level", "repos/get-collaborator-permission-level"},
		run: func(t *testing.T, w *world) {
			w.repo.SetPermission("maintainer", "maintain")
			var got []string
			for _, login := range []string{"maintainer", "stranger", worldOwner} {
				level, _, err := w.c.Repositories.GetPermissionLevel(w.ctx, worldOwner, worldName, login)
				must(t, err)
				got = append(got, level.GetUser().GetLogin()+"="+level.GetPermission())
			}
			equal(t, "permissions", got, []string{"maintainer=write", "stranger=none", "octo-org=admin"})
		},
	},
	{
		name: "deployments and statuses",
		ops: []string{"repos/create-deployment", "repos/create-deployment-status", "repos/create-deployment", "repos/create-deployment-status",
			"repos/list-deployments", "repos/list-deployment-statuses"},
		run: func(t *testing.T, w *world) {
			deploy := func(ref string) int64 {
				d, resp, err := w.c.Repositories.CreateDeployment(w.ctx, worldOwner, worldName, &github.DeploymentRequest{
					Ref: github.String(ref), Environment: github.String("hub-a"), AutoMerge: github.Bool(false), RequiredContexts: &[]string{},
					Description: github.String("rollout"),
				})
				must(t, err)
				equal(t, "deployment", []any{statusOf(resp), d.GetEnvironment(), d.GetCreator().GetLogin()}, []any{http.StatusCreated, "hub-a", "imagebot[bot]"})
				st, _, err := w.c.Repositories.CreateDeploymentStatus(w.ctx, worldOwner, worldName, d.GetID(), &github.DeploymentStatusRequest{
					State: github.String("success"), LogURL: github.String("https://hub.example/logs"), Description: github.String("live"),
				})
				must(t, err)
				equal(t, "status", []any{st.GetState(), st.GetTargetURL(), st.GetEnvironment()}, []any{"success", "https://hub.example/logs", "hub-a"})
				return d.GetID()
			}
			first, second := deploy(w.base), deploy("feature")
			list, _, err := w.c.Repositories.ListDeployments(w.ctx, worldOwner, worldName, &github.DeploymentsListOptions{Environment: "hub-a"})
			must(t, err)
			equal(t, "deployments", []any{len(list), list[0].GetID(), list[0].GetSHA(), list[1].GetID()}, []any{2, second, w.head, first})
			statuses, _, err := w.c.Repositories.ListDeploymentStatuses(w.ctx, worldOwner, worldName, first, nil)
			must(t, err)
			equal(t, "first's statuses, newest first", []string{statuses[0].GetState(), statuses[1].GetState()}, []string{"inactive", "success"})
			equal(t, "stored", len(w.s.Deployments(worldRepo)[1].Statuses), 1)
		},
	},
	{
		name: "workflow runs",
		ops:  []string{"actions/list-workflow-runs-for-repo", "actions/get-workflow-run"},
		run: func(t *testing.T, w *world) {
			w.repo.PutWorkflowRun(WorkflowRun{HeadSHA: w.base, HeadBranch: "main", Status: "completed", Conclusion: "failure"})
			run := w.repo.PutWorkflowRun(WorkflowRun{HeadSHA: w.head, HeadBranch: "feature", Status: "in_progress"})
			run.Status, run.Conclusion = "completed", "success"
			run = w.repo.PutWorkflowRun(run)
			runs, _, err := w.c.Actions.ListRepositoryWorkflowRuns(w.ctx, worldOwner, worldName, &github.ListWorkflowRunsOptions{HeadSHA: w.head})
			must(t, err)
			equal(t, "runs", []any{runs.GetTotalCount(), runs.WorkflowRuns[0].GetID(), runs.WorkflowRuns[0].GetConclusion(), runs.WorkflowRuns[0].GetCheckSuiteID(), runs.WorkflowRuns[0].GetRunNumber()},
				[]any{1, run.ID, "success", run.CheckSuiteID, 2})
			got, _, err := w.c.Actions.GetWorkflowRunByID(w.ctx, worldOwner, worldName, run.ID)
			must(t, err)
			equal(t, "run", []any{got.GetHeadSHA(), got.GetStatus(), got.GetName(), len(got.PullRequests)}, []any{w.head, "completed", "Build image", 1})
		},
	},
	{
		name: "create, update and conflict on file contents",
		ops: []string{"repos/create-or-update-file-contents", "repos/create-or-update-file-contents",
			"repos/create-or-update-file-contents", "repos/create-or-update-file-contents"},
		run: func(t *testing.T, w *world) {
			const path = "hubs/staging/values.yaml"
			created, resp, err := w.c.Repositories.CreateFile(w.ctx, worldOwner, worldName, path, &github.RepositoryContentFileOptions{
				Message: github.String("Add values"), Content: []byte("tag: aaa\n"), Branch: github.String("main"),
			})
			must(t, err)
			equal(t, "created", []any{statusOf(resp), created.GetSHA(), created.Content.GetSHA(), created.Commit.Parents[0].GetSHA()},
				[]any{http.StatusCreated, w.repo.Branch("main"), BlobSHA("tag: aaa\n"), w.base})
			updated, resp, err := w.c.Repositories.UpdateFile(w.ctx, worldOwner, worldName, path, &github.RepositoryContentFileOptions{
				Message: github.String("Bump"), Content: []byte("tag: bbb\n"), SHA: github.String(BlobSHA("tag: aaa\n")),
				Committer: &github.CommitAuthor{Name: github.String("Operator"), Email: github.String("ops@example.com")},
			})
			must(t, err)
			content, _ := w.repo.File("main", path)
			equal(t, "updated", []any{statusOf(resp), updated.Commit.GetCommitter().GetName(), content}, []any{http.StatusOK, "Operator", "tag: bbb\n"})
			_, resp, _ = w.c.Repositories.UpdateFile(w.ctx, worldOwner, worldName, path, &github.RepositoryContentFileOptions{
				Message: github.String("Stale"), Content: []byte("tag: ccc\n"), SHA: github.String(BlobSHA("tag: aaa\n")),
			})
			equal(t, "stale sha status", statusOf(resp), http.StatusConflict)
			_, resp, _ = w.c.Repositories.CreateFile(w.ctx, worldOwner, worldName, path, &github.RepositoryContentFileOptions{
				Message: github.String("Again"), Content: []byte("tag: ddd\n"),
			})
			equal(t, "missing sha status", statusOf(resp), http.StatusUnprocessableEntity)
		},
	},
}

func TestOperationsRoundTrip(t *testing.T) {
	for _, tc := range operationCases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.run(t, w)
			equal(t, "operations called", w.s.operationIDs(), tc.ops)
		})
	}
}

func TestEveryImplementedOperationHasARoundTrip(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range operationCases {
		for _, op := range tc.ops {
			covered[op] = true
		}
	}
	var missing []string
	for op := range handlers {
		if !covered[op] {
			missing = append(missing, op)
		}
	}
	slices.Sort(missing)
	equal(t, "operations without a round trip", missing, []string(nil))
}

func annotation(path string, line int) *github.CheckRunAnnotation {
	return &github.CheckRunAnnotation{Path: github.String(path), StartLine: github.Int(line), EndLine: github.Int(line),
		AnnotationLevel: github.String("failure"), Message: github.String("m")}
}
