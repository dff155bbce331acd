package fakegithub

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"
)

// PullRequest is a snapshot of a pull request.
type PullRequest struct {
	ID     int64
	Number int
	Title  string
	Body   string
	User   string // the author's login
	Head   string // head branch
	Base   string // base branch
	// HeadSHA and BaseSHA follow their branches while the pull request is open and are
	// frozen when it closes.
	HeadSHA        string
	BaseSHA        string
	State          string // "open" or "closed"
	Draft          bool
	Merged         bool
	MergeCommitSHA string
	MergedBy       string
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ClosedAt       time.Time
	MergedAt       time.Time
}

// PullOption sets an attribute of a pull request that Repo.OpenPull opens.
type PullOption func(*PullRequest)

// PullTitle sets the title (default "Update <head>").
func PullTitle(title string) PullOption { return func(p *PullRequest) { p.Title = title } }

// PullAuthor sets the author's login (default "contributor").
func PullAuthor(login string) PullOption { return func(p *PullRequest) { p.User = login } }

// PullDraft opens the pull request as a draft.
func PullDraft() PullOption { return func(p *PullRequest) { p.Draft = true } }

// OpenPull opens a pull request from branch head into branch base and returns its number.
// Branches that do not exist fail t.
func (r *Repo) OpenPull(head, base string, opts ...PullOption) int {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for _, b := range []string{head, base} {
		if _, ok := r.refs["refs/heads/"+b]; !ok {
			r.s.t.Fatalf("fakegithub: OpenPull: %s has no branch %q", r.fullName(), b)
		}
	}
	p := &PullRequest{Title: "Update " + head, User: "contributor"}
	for _, opt := range opts {
		opt(p)
	}
	return r.openPull(p, head, base).Number
}

// openPull stores p as a new open pull request from head into base.
func (r *Repo) openPull(p *PullRequest, head, base string) *PullRequest {
	now := r.s.now()
	p.ID, p.Number = r.s.newID(), r.nextNumber
	p.Head, p.Base, p.State = head, base, "open"
	p.CreatedAt, p.UpdatedAt = now, now
	r.nextNumber++
	r.pulls[p.Number] = p
	r.refreshPull(p)
	return p
}

// refreshPull moves an open pull request's SHAs to its branches' heads.
func (r *Repo) refreshPull(p *PullRequest) {
	if p.State == "open" {
		p.HeadSHA, p.BaseSHA = r.refs["refs/heads/"+p.Head], r.refs["refs/heads/"+p.Base]
	}
}

// MergePull merges an open pull request as mergedBy with a merge commit on its base branch
// and returns the merge commit's id. A pull request that is not open fails t.
func (r *Repo) MergePull(number int, mergedBy string) string {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	p := r.openPullOrFail(number)
	r.refreshPull(p)
	mb := r.mergeBase(p.BaseSHA, p.HeadSHA)
	if mb == "" {
		r.s.t.Fatalf("fakegithub: MergePull: %s and %s of %s share no history", p.Head, p.Base, r.fullName())
	}
	files, links := maps.Clone(r.commits[p.BaseSHA].files), maps.Clone(r.commits[p.BaseSHA].links)
	headLinks := r.commits[p.HeadSHA].links
	for _, fc := range r.diff(r.commits[mb].files, r.commits[p.HeadSHA].files) {
		switch fc.status {
		case "removed":
			delete(files, fc.filename)
			delete(links, fc.filename)
			continue
		case "renamed":
			delete(files, fc.previous)
			delete(links, fc.previous)
		}
		files[fc.filename] = fc.sha
		delete(links, fc.filename)
		if headLinks[fc.filename] {
			links[fc.filename] = true
		}
	}
	message := fmt.Sprintf("Merge pull request #%d from %s/%s\n\n%s", p.Number, r.owner, p.Head, p.Title)
	email := mergedBy + "@users.noreply.github.com"
	sha := r.writeCommit(files, links, []string{p.BaseSHA, p.HeadSHA}, message, mergedBy, email, r.s.now())
	r.setBranch(p.Base, sha)
	now := r.s.now()
	p.State, p.Merged, p.MergeCommitSHA, p.MergedBy = "closed", true, sha, mergedBy
	p.MergedAt, p.ClosedAt, p.UpdatedAt = now, now, now
	return sha
}

// ClosePull closes an open pull request without merging it. A pull request that is not
// open fails t.
func (r *Repo) ClosePull(number int) {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	p := r.openPullOrFail(number)
	r.refreshPull(p)
	now := r.s.now()
	p.State, p.ClosedAt, p.UpdatedAt = "closed", now, now
}

func (r *Repo) openPullOrFail(number int) *PullRequest {
	r.s.t.Helper()
	p := r.pulls[number]
	if p == nil || p.State != "open" {
		r.s.t.Fatalf("fakegithub: %s has no open pull request #%d", r.fullName(), number)
	}
	return p
}

// Pull returns a snapshot of pull request number of repository repo ("owner/name"). An
// unknown repository or pull request fails t.
func (s *Server) Pull(repo string, number int) PullRequest {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(repo)
	p := r.pulls[number]
	if p == nil {
		s.t.Fatalf("fakegithub: %s has no pull request #%d", repo, number)
	}
	r.refreshPull(p)
	return *p
}

// authorAssociation is login's association with the repository.
func (r *Repo) authorAssociation(login string) string {
	switch {
	case login == r.owner:
		return "OWNER"
	case r.roles[login] != "":
		return "COLLABORATOR"
	case strings.HasSuffix(login, "[bot]"):
		return "NONE"
	}
	return "CONTRIBUTOR"
}

// pullFiles is the pull request's diff: head against the merge base with base.
func (r *Repo) pullFiles(p *PullRequest) []fileChange {
	mb := r.mergeBase(p.BaseSHA, p.HeadSHA)
	if mb == "" {
		return nil
	}
	return r.diff(r.commits[mb].files, r.commits[p.HeadSHA].files)
}

// pullMinimalJSON is a pull-request-minimal.
func (s *Server) pullMinimalJSON(r *Repo, p *PullRequest) object {
	repo := object{"id": r.id, "url": s.api("/repos/" + r.fullName()), "name": r.name}
	return object{
		"id":     p.ID,
		"number": p.Number,
		"url":    s.api(fmt.Sprintf("/repos/%s/pulls/%d", r.fullName(), p.Number)),
		"head":   object{"ref": p.Head, "sha": p.HeadSHA, "repo": repo},
		"base":   object{"ref": p.Base, "sha": p.BaseSHA, "repo": repo},
	}
}

// openPullsAt lists the open pull requests whose head is sha, as pull-request-minimal.
func (s *Server) openPullsAt(r *Repo, sha string) []object {
	out := []object{}
	for _, n := range sortedPullNumbers(r) {
		p := r.pulls[n]
		r.refreshPull(p)
		if p.State == "open" && p.HeadSHA == sha {
			out = append(out, s.pullMinimalJSON(r, p))
		}
	}
	return out
}

func sortedPullNumbers(r *Repo) []int {
	var ns []int
	for n := range r.pulls {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	return ns
}

// pullJSON is a pull-request, which also satisfies pull-request-simple.
func (s *Server) pullJSON(r *Repo, p *PullRequest) object {
	r.refreshPull(p)
	api := s.api(fmt.Sprintf("/repos/%s/pulls/%d", r.fullName(), p.Number))
	issue := s.api(fmt.Sprintf("/repos/%s/issues/%d", r.fullName(), p.Number))
	html := fmt.Sprintf("%s/%s/pull/%d", githubHTML, r.fullName(), p.Number)
	statuses := s.api(fmt.Sprintf("/repos/%s/statuses/%s", r.fullName(), p.HeadSHA))
	side := func(branch, sha string) object {
		return object{"label": r.owner + ":" + branch, "ref": branch, "sha": sha, "user": s.userJSON(r.owner), "repo": s.repoJSON(r)}
	}
	link := func(href string) object { return object{"href": href} }
	additions, deletions := 0, 0
	files := r.pullFiles(p)
	for _, fc := range files {
		additions += fc.additions
		deletions += fc.deletions
	}
	comments := 0
	for _, c := range r.comments {
		if c.Issue == p.Number {
			comments++
		}
	}
	var mergeable any = true
	mergeableState := "clean"
	if p.State != "open" {
		mergeable, mergeableState = nil, "unknown"
	}
	var mergedBy any
	if p.MergedBy != "" {
		mergedBy = s.userJSON(p.MergedBy)
	}
	return object{
		"id":                  p.ID,
		"node_id":             nodeID("PullRequest", p.ID),
		"number":              p.Number,
		"url":                 api,
		"html_url":            html,
		"diff_url":            html + ".diff",
		"patch_url":           html + ".patch",
		"issue_url":           issue,
		"commits_url":         api + "/commits",
		"review_comments_url": api + "/comments",
		"review_comment_url":  s.api(fmt.Sprintf("/repos/%s/pulls/comments{/number}", r.fullName())),
		"comments_url":        issue + "/comments",
		"statuses_url":        statuses,
		"state":               p.State,
		"locked":              false,
		"title":               p.Title,
		"body":                strOrNull(p.Body),
		"user":                s.userJSON(p.User),
		"labels":              []object{},
		"milestone":           nil,
		"assignee":            nil,
		"assignees":           []object{},
		"requested_reviewers": []object{},
		"requested_teams":     []object{},
		"active_lock_reason":  nil,
		"created_at":          ts(p.CreatedAt),
		"updated_at":          ts(p.UpdatedAt),
		"closed_at":           tsOrNull(p.ClosedAt),
		"merged_at":           tsOrNull(p.MergedAt),
		"merge_commit_sha":    strOrNull(p.MergeCommitSHA),
		"head":                side(p.Head, p.HeadSHA),
		"base":                side(p.Base, p.BaseSHA),
		"_links": object{
			"self": link(api), "html": link(html), "issue": link(issue), "comments": link(issue + "/comments"),
			"review_comments": link(api + "/comments"), "review_comment": link(s.api(fmt.Sprintf("/repos/%s/pulls/comments{/number}", r.fullName()))),
			"commits": link(api + "/commits"), "statuses": link(statuses),
		},
		"author_association":    r.authorAssociation(p.User),
		"auto_merge":            nil,
		"draft":                 p.Draft,
		"merged":                p.Merged,
		"mergeable":             mergeable,
		"mergeable_state":       mergeableState,
		"merged_by":             mergedBy,
		"comments":              comments,
		"review_comments":       0,
		"maintainer_can_modify": false,
		"commits":               len(r.commitsBetween(p.BaseSHA, p.HeadSHA)),
		"additions":             additions,
		"deletions":             deletions,
		"changed_files":         len(files),
	}
}

func getPull(s *Server, req *request) reply {
	p := req.repo.pulls[int(intParam(req, "pull_number"))]
	if p == nil {
		return notFound()
	}
	return ok(s.pullJSON(req.repo, p))
}

func listPullFiles(s *Server, req *request) reply {
	r := req.repo
	p := r.pulls[int(intParam(req, "pull_number"))]
	if p == nil {
		return notFound()
	}
	r.refreshPull(p)
	files := []object{}
	for _, fc := range r.pullFiles(p) {
		files = append(files, s.diffEntryJSON(r, p.HeadSHA, fc))
	}
	page, link := paginate(s, req, files)
	return paged(page, link)
}

// createPull opens a pull request between two branches of the repository, answering 422
// where GitHub does: unknown branches, no commits between them, or an open pull request
// for the same head and base.
func createPull(s *Server, req *request) reply {
	r := req.repo
	var body struct {
		Title string `json:"title"`
		Head  string `json:"head"`
		Base  string `json:"base"`
		Body  string `json:"body"`
		Draft bool   `json:"draft"`
		Issue int64  `json:"issue"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	invalid := func(field string) reply {
		return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Field: field, Code: "invalid"})
	}
	if body.Issue != 0 {
		return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Field: "issue", Code: "invalid", Message: "the fake has no issues to convert"})
	}
	if body.Title == "" {
		return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Field: "title", Code: "missing_field"})
	}
	head := body.Head
	if owner, branch, cross := strings.Cut(head, ":"); cross {
		if !strings.EqualFold(owner, r.owner) {
			return invalid("head")
		}
		head = branch
	}
	headSHA, okHead := r.refs["refs/heads/"+head]
	baseSHA, okBase := r.refs["refs/heads/"+body.Base]
	switch {
	case !okHead:
		return invalid("head")
	case !okBase:
		return invalid("base")
	case r.mergeBase(baseSHA, headSHA) == "":
		return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Code: "custom", Message: fmt.Sprintf("The %s branch has no history in common with %s", body.Base, head)})
	case len(r.commitsBetween(baseSHA, headSHA)) == 0:
		return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Code: "custom", Message: fmt.Sprintf("No commits between %s and %s", body.Base, head)})
	}
	for _, p := range r.pulls {
		if p.State == "open" && p.Head == head && p.Base == body.Base {
			return validationFailed("Validation Failed", fieldError{Resource: "PullRequest", Code: "custom", Message: fmt.Sprintf("A pull request already exists for %s:%s.", r.owner, head)})
		}
	}
	p := r.openPull(&PullRequest{Title: body.Title, Body: body.Body, User: s.actor(), Draft: body.Draft}, head, body.Base)
	return created(s.pullJSON(r, p))
}

// listPulls filters by state (default open), head (owner:branch) and base, and sorts as
// GitHub documents: by created (default) or updated, descending unless direction says
// otherwise, and ascending by default for the other sorts.
func listPulls(s *Server, req *request) reply {
	r := req.repo
	state := req.query.Get("state")
	if state == "" {
		state = "open"
	}
	headFilter := req.query.Get("head")
	sortBy := req.query.Get("sort")
	direction := req.query.Get("direction")
	if direction == "" {
		direction = "asc"
		if sortBy == "" || sortBy == "created" {
			direction = "desc"
		}
	}
	var pulls []*PullRequest
	for _, n := range sortedPullNumbers(r) {
		p := r.pulls[n]
		r.refreshPull(p)
		if state != "all" && p.State != state {
			continue
		}
		if headFilter != "" && !strings.EqualFold(headFilter, r.owner+":"+p.Head) {
			continue
		}
		if base := req.query.Get("base"); base != "" && base != p.Base {
			continue
		}
		pulls = append(pulls, p)
	}
	key := func(p *PullRequest) time.Time {
		if sortBy == "updated" {
			return p.UpdatedAt
		}
		return p.CreatedAt
	}
	sort.SliceStable(pulls, func(i, j int) bool {
		a, b := pulls[i], pulls[j]
		if direction == "desc" {
			a, b = b, a
		}
		if !key(a).Equal(key(b)) {
			return key(a).Before(key(b))
		}
		return a.Number < b.Number
	})
	out := []object{}
	for _, p := range pulls {
		out = append(out, s.pullJSON(r, p))
	}
	page, link := paginate(s, req, out)
	return paged(page, link)
}
