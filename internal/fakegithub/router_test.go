package fakegithub

import "testing"

func TestRouter(t *testing.T) {
	rt := loadDescription(t).router
	for _, tc := range []struct {
		method, path string
		wantOp       string
		wantParams   map[string]string
		wantKnown    bool
	}{
		{method: "GET", path: "/repos/o/r/contents/.github/imagebot.yml", wantOp: "repos/get-content", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "path": ".github/imagebot.yml"}},
		{method: "PUT", path: "/repos/o/r/contents/hubs/a%20b/values.yaml", wantOp: "repos/create-or-update-file-contents", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "path": "hubs/a b/values.yaml"}},
		{method: "GET", path: "/repos/o/r/compare/main...feature%2Fx", wantOp: "repos/compare-commits", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "base": "main", "head": "feature/x"}},
		{method: "GET", path: "/repos/o/r/compare/main...feature/x", wantOp: "repos/compare-commits", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "base": "main", "head": "feature/x"}},
		{method: "GET", path: "/repos/o/r/git/ref/heads/feature/x", wantOp: "git/get-ref", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "ref": "heads/feature/x"}},
		// "comments" is literal in issues/list-comments-for-repo, a parameter in issues/get.
		{method: "GET", path: "/repos/o/r/issues/comments", wantOp: "issues/list-comments-for-repo", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r"}},
		{method: "GET", path: "/repos/o/r/issues/5/comments", wantOp: "issues/list-comments", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "issue_number": "5"}},
		{method: "GET", path: "/repos/o/r/commits/feature/x/check-runs", wantOp: "checks/list-for-ref", wantKnown: true,
			wantParams: map[string]string{"owner": "o", "repo": "r", "ref": "feature/x"}},
		{method: "POST", path: "/app-manifests/abc/conversions", wantOp: "apps/create-from-manifest", wantKnown: true,
			wantParams: map[string]string{"code": "abc"}},
		{method: "POST", path: "/app/installations/42/access_tokens", wantOp: "apps/create-installation-access-token", wantKnown: true,
			wantParams: map[string]string{"installation_id": "42"}},
		{method: "DELETE", path: "/repos/o/r/check-runs", wantKnown: true},
		{method: "GET", path: "/repos/o/r/frobnicate", wantKnown: false},
		{method: "GET", path: "/nothing", wantKnown: false},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			m, known, err := rt.lookup(tc.method, tc.path)
			must(t, err)
			op := ""
			if m.op != nil {
				op = m.op.OperationID
			}
			equal(t, "lookup", []any{op, m.params, known}, []any{tc.wantOp, tc.wantParams, tc.wantKnown})
		})
	}
}
