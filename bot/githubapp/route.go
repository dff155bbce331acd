package githubapp

import (
	"regexp"
	"strings"
)

// routes are the REST path templates of the calls the App makes. A {name}
// segment stands for one path segment; a trailing {name...} for the rest of
// the path (file paths, refs and compare ranges contain slashes).
var routes = parseRoutes(
	"/app",
	"/app/installations",
	"/app/installations/{installation_id}",
	"/app/installations/{installation_id}/access_tokens",
	"/app/hook/deliveries",
	"/app/hook/deliveries/{delivery_id}/attempts",
	"/app-manifests/{code}/conversions",
	"/installation/repositories",
	"/rate_limit",
	"/repos/{owner}/{repo}",
	"/repos/{owner}/{repo}/installation",
	"/repos/{owner}/{repo}/contents/{path...}",
	"/repos/{owner}/{repo}/compare/{basehead...}",
	"/repos/{owner}/{repo}/git/trees/{tree_sha}",
	"/repos/{owner}/{repo}/git/blobs/{file_sha}",
	"/repos/{owner}/{repo}/git/commits/{commit_sha}",
	"/repos/{owner}/{repo}/git/ref/{ref...}",
	"/repos/{owner}/{repo}/git/refs",
	"/repos/{owner}/{repo}/git/refs/{ref...}",
	"/repos/{owner}/{repo}/branches/{branch...}",
	"/repos/{owner}/{repo}/pulls",
	"/repos/{owner}/{repo}/pulls/{pull_number}",
	"/repos/{owner}/{repo}/pulls/{pull_number}/files",
	"/repos/{owner}/{repo}/check-runs",
	"/repos/{owner}/{repo}/check-runs/{check_run_id}",
	"/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
	"/repos/{owner}/{repo}/check-suites/{check_suite_id}",
	"/repos/{owner}/{repo}/commits/{ref}",
	"/repos/{owner}/{repo}/commits/{ref}/check-runs",
	"/repos/{owner}/{repo}/commits/{ref}/check-suites",
	"/repos/{owner}/{repo}/commits/{ref}/status",
	"/repos/{owner}/{repo}/issues/{issue_number}/comments",
	"/repos/{owner}/{repo}/issues/comments/{comment_id}",
	"/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
	"/repos/{owner}/{repo}/collaborators/{username}/permission",
	"/repos/{owner}/{repo}/deployments",
	"/repos/{owner}/{repo}/deployments/{deployment_id}",
	"/repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
	"/repos/{owner}/{repo}/actions/runs",
	"/repos/{owner}/{repo}/actions/runs/{run_id}",
	"/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
)

// route maps a request path to its template, so that metric labels and logs
// name the endpoint without owner, repository, numbers, refs or file paths:
// /repos/o/r/check-runs/7 is /repos/{owner}/{repo}/check-runs/{check_run_id}.
// The /api/v3 prefix of GitHub Enterprise Server is dropped. Where segments
// could match several templates, the one with the most literal segments
// wins. A path no template matches keeps only what cannot carry user data:
// /repos/{owner}/{repo}, then its next segment when that is a lowercase word
// (GitHub's resource names always are), then /* for whatever follows; other
// paths keep their first segment under the same rule.
func route(path string) string {
	path = strings.TrimPrefix(path, "/api/v3/")
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best, bestLiterals := "", -1
	for _, r := range routes {
		if n, ok := r.match(segs); ok && n > bestLiterals {
			best, bestLiterals = r.template, n
		}
	}
	if best != "" {
		return best
	}
	prefix := ""
	if segs[0] == "repos" && len(segs) >= 3 {
		prefix, segs = "/repos/{owner}/{repo}", segs[3:]
	}
	if len(segs) == 0 {
		return prefix
	}
	out := prefix + "/{}"
	if resourceName.MatchString(segs[0]) {
		out = prefix + "/" + segs[0]
	}
	if len(segs) > 1 {
		out += "/*"
	}
	return out
}

// resourceName is the form of GitHub's literal path segments.
var resourceName = regexp.MustCompile(`^[a-z][a-z_-]{0,39}$`)

// routeTemplate is one parsed template.
type routeTemplate struct {
	template string
	segs     []string // a literal, or "" for a parameter
	rest     bool     // the last parameter takes the rest of the path
}

func parseRoutes(templates ...string) []routeTemplate {
	out := make([]routeTemplate, 0, len(templates))
	for _, t := range templates {
		r := routeTemplate{template: t}
		for _, s := range strings.Split(strings.TrimPrefix(t, "/"), "/") {
			switch {
			case strings.HasSuffix(s, "...}"):
				r.rest = true
				r.segs = append(r.segs, "")
			case strings.HasPrefix(s, "{"):
				r.segs = append(r.segs, "")
			default:
				r.segs = append(r.segs, s)
			}
		}
		out = append(out, r)
	}
	return out
}

// match reports whether segs fit the template, and how many of its segments
// are literals.
func (r routeTemplate) match(segs []string) (int, bool) {
	if len(segs) < len(r.segs) || (!r.rest && len(segs) != len(r.segs)) {
		return 0, false
	}
	literals := 0
	for i, want := range r.segs {
		switch {
		case want == "":
			if segs[i] == "" {
				return 0, false
			}
		case want == segs[i]:
			literals++
		default:
			return 0, false
		}
	}
	return literals, true
}
