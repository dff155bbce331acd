package githubapp

import "testing"

func TestRoute(t *testing.T) {
	for _, tc := range []struct{ path, want, why string }{
		{"/app", "/app", ""},
		{"/app/installations/77/access_tokens", "/app/installations/{installation_id}/access_tokens", ""},
		{"/api/v3/app/installations/77/access_tokens", "/app/installations/{installation_id}/access_tokens", "Enterprise Server prefix"},
		{"/app-manifests/abc123/conversions", "/app-manifests/{code}/conversions", ""},
		{"/repos/octo/image", "/repos/{owner}/{repo}", ""},
		{"/repos/octo/image/check-runs", "/repos/{owner}/{repo}/check-runs", ""},
		{"/repos/octo/image/check-runs/12", "/repos/{owner}/{repo}/check-runs/{check_run_id}", ""},
		{"/repos/octo/image/compare/0123abc...feature/x", "/repos/{owner}/{repo}/compare/{basehead...}", "a branch with a slash"},
		{"/repos/octo/image/contents/.github/imagebot.yml", "/repos/{owner}/{repo}/contents/{path...}", ""},
		{"/repos/octo/image/git/trees/4b825dc642cb6eb9a060e54bf8d69288fbee4904", "/repos/{owner}/{repo}/git/trees/{tree_sha}", ""},
		{"/repos/octo/image/git/blobs/e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "/repos/{owner}/{repo}/git/blobs/{file_sha}", ""},
		{"/repos/octo/image/git/ref/heads/main", "/repos/{owner}/{repo}/git/ref/{ref...}", ""},
		{"/repos/octo/image/issues/comments/5", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "literal comments beats {issue_number}"},
		{"/repos/octo/image/issues/5/comments", "/repos/{owner}/{repo}/issues/{issue_number}/comments", ""},
		{"/repos/octo/image/collaborators/alice/permission", "/repos/{owner}/{repo}/collaborators/{username}/permission", ""},
		{"/repos/octo/image/commits/abc/check-suites", "/repos/{owner}/{repo}/commits/{ref}/check-suites", ""},
		{"/repos/pulls/pulls/pulls/3", "/repos/{owner}/{repo}/pulls/{pull_number}", "owner and repo named like resources"},
		{"/repos/octo/image/releases/latest", "/repos/{owner}/{repo}/releases/*", "unknown: the resource name stays"},
		{"/repos/octo/image/Weird/x", "/repos/{owner}/{repo}/{}/*", "unknown and not a resource name"},
		{"/repos/octo/image/commits/feature/x/check-runs", "/repos/{owner}/{repo}/commits/*", "a ref with a slash in a one-segment parameter"},
		{"/users/alice", "/users/*", ""},
		{"/", "/{}", ""},
	} {
		if got := route(tc.path); got != tc.want {
			t.Errorf("route(%q) = %q, want %q %s", tc.path, got, tc.want, tc.why)
		}
	}
}
