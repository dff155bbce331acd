package fakegithub

import (
	"net/url"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestBaseURLForms(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client func(w *world) *github.Client
	}{
		{name: "enterprise <url>/api/v3/", client: func(w *world) *github.Client { return w.c }},
		{name: "bare <url>/", client: func(w *world) *github.Client {
			c := github.NewClient(nil).WithAuthToken(w.token)
			u, err := url.Parse(w.s.URL())
			must(t, err)
			c.BaseURL = u
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			_, err := getWorldRepo(w, tc.client(w))
			must(t, err)
			calls := w.s.Calls()
			equal(t, "call", []any{len(calls), calls[0].Method, calls[0].Path, calls[0].OperationID, calls[0].Status},
				[]any{1, "GET", "/repos/octo-org/community-image", "repos/get", 200})
		})
	}
}

func TestMergePull(t *testing.T) {
	w := newWorld(t)
	merge := w.repo.MergePull(w.pr, "maintainer")
	equal(t, "main", w.repo.Branch("main"), merge)
	for _, tc := range []struct {
		path    string
		content string
		exists  bool
	}{
		{path: "environment.yml", content: envV2, exists: true},
		{path: "locks/conda-lock.yml", content: lockFile, exists: true},
		{path: "docs/guide.md", content: guide, exists: true},
		{path: ".github/imagebot.yml", content: config, exists: true},
		{path: "README.md"},
		{path: "conda-lock.yml"},
	} {
		content, exists := w.repo.File("main", tc.path)
		equal(t, tc.path, []any{content, exists}, []any{tc.content, tc.exists})
	}
	p := w.s.Pull(worldRepo, w.pr)
	equal(t, "snapshot", []any{p.State, p.Merged, p.MergeCommitSHA, p.MergedBy, p.HeadSHA, p.BaseSHA},
		[]any{"closed", true, merge, "maintainer", w.head, w.base})

	pr, _, err := w.c.PullRequests.Get(w.ctx, worldOwner, worldName, w.pr)
	must(t, err)
	equal(t, "pulls/get", []any{pr.GetState(), pr.GetMerged(), pr.GetMergeCommitSHA(), pr.GetMergedBy().GetLogin(), pr.GetMergedAt().Time},
		[]any{"closed", true, merge, "maintainer", testStart})
	cmp, _, err := w.c.Repositories.CompareCommits(w.ctx, worldOwner, worldName, "main", "feature", nil)
	must(t, err)
	equal(t, "main...feature after merge", []any{cmp.GetStatus(), cmp.GetAheadBy(), cmp.GetBehindBy(), len(cmp.Files)}, []any{"behind", 0, 1, 0})
	commit := w.repo.commits[merge]
	equal(t, "merge parents", commit.parents, []string{w.base, w.head})
}

func TestClosePull(t *testing.T) {
	w := newWorld(t)
	w.repo.ClosePull(w.pr)
	w.repo.Commit("feature", map[string]string{"later.txt": "x"})
	p := w.s.Pull(worldRepo, w.pr)
	equal(t, "closed", []any{p.State, p.Merged, p.HeadSHA}, []any{"closed", false, w.head})
	prs, _, err := w.c.PullRequests.List(w.ctx, worldOwner, worldName, &github.PullRequestListOptions{State: "closed"})
	must(t, err)
	equal(t, "closed list", []any{len(prs), prs[0].GetNumber(), prs[0].GetHead().GetSHA()}, []any{1, w.pr, w.head})
}

func TestOpenPullFollowsItsBranch(t *testing.T) {
	w := newWorld(t)
	next := w.repo.Commit("feature", map[string]string{"environment.yml": envV1})
	pr, _, err := w.c.PullRequests.Get(w.ctx, worldOwner, worldName, w.pr)
	must(t, err)
	equal(t, "head", pr.GetHead().GetSHA(), next)
	files, _, err := w.c.PullRequests.ListFiles(w.ctx, worldOwner, worldName, w.pr, nil)
	must(t, err)
	var names []string
	for _, f := range files {
		names = append(names, f.GetStatus()+" "+f.GetFilename())
	}
	equal(t, "files", names, []string{"removed README.md", "added docs/guide.md", "renamed locks/conda-lock.yml"})
}

func TestRepoMisuseFailsTheTest(t *testing.T) {
	for _, tc := range []struct {
		name string
		use  func(r *Repo)
		want string
	}{
		{name: "delete a missing file", use: func(r *Repo) { r.Commit("main", nil, "nope.txt") },
			want: `fakegithub: Commit to main deletes "nope.txt", which octo-org/community-image does not have`},
		{name: "pull from a missing branch", use: func(r *Repo) { r.OpenPull("nope", "main") },
			want: `fakegithub: OpenPull: octo-org/community-image has no branch "nope"`},
		{name: "merge a closed pull", use: func(r *Repo) { r.ClosePull(1); r.MergePull(1, "x") },
			want: "fakegithub: octo-org/community-image has no open pull request #1"},
		{name: "unknown role", use: func(r *Repo) { r.SetPermission("x", "owner") },
			want: `fakegithub: unknown repository role "owner"`},
		{name: "suite on an unknown commit", use: func(r *Repo) { r.PutCheckSuite(CheckSuite{HeadSHA: "abc"}) },
			want: `fakegithub: check suite on unknown commit "abc" of octo-org/community-image`},
		{name: "read back an unknown repository", use: func(r *Repo) { r.s.Comments("nobody/nothing", 1) },
			want: `fakegithub: no repository "nobody/nothing"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recordingTB{TB: t}
			w := newWorld(rec)
			rec.captureFatal = true
			if !catchFatal(func() { tc.use(w.repo) }) {
				t.Fatal("misuse was accepted")
			}
			equal(t, "reports", rec.reported(), []string{tc.want})
		})
	}
}
