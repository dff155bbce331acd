package fakegithub

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// commitJSON is a commit as the compare API lists it. The fake does not link commit
// authors to GitHub accounts, so author and committer are null.
func (s *Server) commitJSON(r *Repo, c *gitCommit) object {
	api, html := r.commitURLs(c.sha)
	person := object{"name": c.name, "email": c.email, "date": ts(c.when)}
	return object{
		"sha":          c.sha,
		"node_id":      gitNodeID("Commit", c.sha),
		"url":          api,
		"html_url":     html,
		"comments_url": api + "/comments",
		"commit": object{
			"url":           s.api(fmt.Sprintf("/repos/%s/git/commits/%s", r.fullName(), c.sha)),
			"author":        person,
			"committer":     person,
			"message":       c.message,
			"comment_count": 0,
			"tree":          object{"sha": c.tree, "url": s.api(fmt.Sprintf("/repos/%s/git/trees/%s", r.fullName(), c.tree))},
			"verification":  object{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil, "verified_at": nil},
		},
		"author":    nil,
		"committer": nil,
		"parents":   s.parentsJSON(r, c),
	}
}

// diffEntryJSON is a diff-entry of a change as of commit at.
func (s *Server) diffEntryJSON(r *Repo, at string, fc fileChange) object {
	escaped := (&url.URL{Path: fc.filename}).EscapedPath()
	o := object{
		"sha":          fc.sha,
		"filename":     fc.filename,
		"status":       fc.status,
		"additions":    fc.additions,
		"deletions":    fc.deletions,
		"changes":      fc.additions + fc.deletions,
		"blob_url":     fmt.Sprintf("%s/%s/blob/%s/%s", githubHTML, r.fullName(), at, escaped),
		"raw_url":      fmt.Sprintf("%s/%s/raw/%s/%s", githubHTML, r.fullName(), at, escaped),
		"contents_url": s.api(fmt.Sprintf("/repos/%s/contents/%s?ref=%s", r.fullName(), escaped, at)),
	}
	if fc.previous != "" {
		o["previous_filename"] = fc.previous
	}
	return o
}

// compareRef resolves a side of a comparison: a ref or commit id, optionally as
// owner:ref for the repository's own owner.
func (r *Repo) compareRef(ref string) (string, bool) {
	if owner, rest, cross := strings.Cut(ref, ":"); cross {
		if !strings.EqualFold(owner, r.owner) {
			return "", false
		}
		ref = rest
	}
	return r.resolve(ref)
}

// compareCommits compares base...head as git's three-dot diff: files changed on head since
// the merge base, commits on head that base lacks.
func compareCommits(s *Server, req *request) reply {
	r := req.repo
	baseName, headName := req.params["base"], req.params["head"]
	base, okBase := r.compareRef(baseName)
	head, okHead := r.compareRef(headName)
	if !okBase || !okHead {
		return notFound()
	}
	mb := r.mergeBase(base, head)
	if mb == "" {
		return errorReply(http.StatusNotFound, fmt.Sprintf("No common ancestor between %s and %s.", baseName, headName))
	}
	ahead := r.commitsBetween(base, head)
	behind := r.commitsBetween(head, base)
	status := "diverged"
	switch {
	case len(ahead) == 0 && len(behind) == 0:
		status = "identical"
	case len(behind) == 0:
		status = "ahead"
	case len(ahead) == 0:
		status = "behind"
	}
	commits := []object{}
	for _, c := range ahead {
		commits = append(commits, s.commitJSON(r, c))
	}
	files := []object{}
	for _, fc := range r.diff(r.commits[mb].files, r.commits[head].files) {
		files = append(files, s.diffEntryJSON(r, head, fc))
	}
	spec := baseName + "..." + headName
	return ok(object{
		"url":               s.api(fmt.Sprintf("/repos/%s/compare/%s", r.fullName(), spec)),
		"html_url":          fmt.Sprintf("%s/%s/compare/%s", githubHTML, r.fullName(), spec),
		"permalink_url":     fmt.Sprintf("%s/%s/compare/%s...%s", githubHTML, r.fullName(), base, head),
		"diff_url":          fmt.Sprintf("%s/%s/compare/%s.diff", githubHTML, r.fullName(), spec),
		"patch_url":         fmt.Sprintf("%s/%s/compare/%s.patch", githubHTML, r.fullName(), spec),
		"base_commit":       s.commitJSON(r, r.commits[base]),
		"merge_base_commit": s.commitJSON(r, r.commits[mb]),
		"status":            status,
		"ahead_by":          len(ahead),
		"behind_by":         len(behind),
		"total_commits":     len(ahead),
		"commits":           commits,
		"files":             files,
	})
}
