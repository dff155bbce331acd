package fakegithub

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Repo is a public repository of the fake. Create it with Server.AddRepo; its methods seed
// state as pushes and users would, and are safe for concurrent use.
type Repo struct {
	s             *Server
	id            int64
	owner, name   string
	defaultBranch string
	created       time.Time
	pushed        time.Time

	refs    map[string]string // "refs/heads/main" → commit id
	commits map[string]*gitCommit
	trees   map[string][]treeEntry
	blobs   map[string][]byte

	roles        map[string]string // login → admin, maintain, write, triage, read
	pulls        map[int]*PullRequest
	nextNumber   int
	comments     []*Comment
	checkRuns    []*CheckRun
	checkSuites  []*CheckSuite
	deployments  []*Deployment
	workflowRuns []*WorkflowRun
}

// Test identity of the commits that Repo.Commit writes.
const (
	testAuthorName  = "Test Author"
	testAuthorEmail = "author@example.com"
)

// repoKey is the case-insensitive key of a repository, as GitHub matches owner and name.
func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

// AddRepo creates an empty public repository owner/name whose default branch is "main".
// An existing name fails t.
func (s *Server) AddRepo(owner, name string) *Repo {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	key := repoKey(owner, name)
	if s.repos[key] != nil {
		s.t.Fatalf("fakegithub: repository %s/%s already exists", owner, name)
	}
	now := s.now()
	r := &Repo{
		s: s, id: s.newID(), owner: owner, name: name, defaultBranch: "main",
		created: now, pushed: now,
		refs: map[string]string{}, commits: map[string]*gitCommit{},
		trees: map[string][]treeEntry{}, blobs: map[string][]byte{},
		roles: map[string]string{owner: "admin"}, pulls: map[int]*PullRequest{}, nextNumber: 1,
	}
	s.repos[key] = r
	return r
}

// repo finds a repository by "owner/name" for the read-back accessors, failing t when
// there is none. Callers hold s.mu.
func (s *Server) repo(fullName string) *Repo {
	s.t.Helper()
	owner, name, _ := strings.Cut(fullName, "/")
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		s.t.Fatalf("fakegithub: no repository %q", fullName)
	}
	return r
}

func (r *Repo) fullName() string { return r.owner + "/" + r.name }

// FullName is "owner/name".
func (r *Repo) FullName() string { return r.fullName() }

// ID is the repository id.
func (r *Repo) ID() int64 { return r.id }

// Commit pushes a commit to branch that writes files (path → content) and deletes the
// deleted paths, and returns its id. A branch that does not exist yet starts from the
// default branch's head, or as a root commit when the repository is empty. Deleting a path
// the branch does not have fails t.
func (r *Repo) Commit(branch string, files map[string]string, deleted ...string) string {
	r.s.t.Helper()
	return r.commit(branch, files, nil, deleted)
}

// CommitLinks pushes a commit to branch that writes symbolic links (path → target, as
// `ln -s target path` would), and returns its id. A link's blob holds its target, and
// trees list it with mode 120000, as GitHub's do. The contents API follows a link to a file
// of the repository, and answers any other with its target, as GitHub's does.
func (r *Repo) CommitLinks(branch string, links map[string]string) string {
	r.s.t.Helper()
	return r.commit(branch, nil, links, nil)
}

// commit pushes a commit of files and links to branch (see Commit).
func (r *Repo) commit(branch string, files, links map[string]string, deleted []string) string {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	parent, ok := r.refs["refs/heads/"+branch]
	if !ok {
		parent = r.refs["refs/heads/"+r.defaultBranch]
	}
	snapshot, isLink := map[string]string{}, map[string]bool{}
	var parents []string
	if parent != "" {
		snapshot, isLink = maps.Clone(r.commits[parent].files), maps.Clone(r.commits[parent].links)
		parents = []string{parent}
	}
	for _, path := range deleted {
		if _, ok := snapshot[path]; !ok {
			r.s.t.Fatalf("fakegithub: Commit to %s deletes %q, which %s does not have", branch, path, r.fullName())
		}
		delete(snapshot, path)
		delete(isLink, path)
	}
	for path, content := range files {
		snapshot[path] = r.writeBlob(content)
		delete(isLink, path)
	}
	for path, target := range links {
		snapshot[path] = r.writeBlob(target)
		isLink[path] = true
	}
	changed := slices.Sorted(maps.Keys(files))
	changed = append(changed, slices.Sorted(maps.Keys(links))...)
	changed = append(changed, deleted...)
	message := "Empty commit"
	if len(changed) > 0 {
		message = "Update " + strings.Join(changed, ", ")
	}
	sha := r.writeCommit(snapshot, isLink, parents, message, testAuthorName, testAuthorEmail, r.s.now())
	r.setBranch(branch, sha)
	return sha
}

// writeBlob stores content and returns its blob id.
func (r *Repo) writeBlob(content string) string {
	sha := BlobSHA(content)
	r.blobs[sha] = []byte(content)
	return sha
}

// setBranch points branch at sha, as a push does.
func (r *Repo) setBranch(branch, sha string) {
	r.refs["refs/heads/"+branch] = sha
	r.pushed = r.s.now()
}

// Branch returns the commit id at the head of branch, or "" when there is no such branch.
func (r *Repo) Branch(branch string) string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.refs["refs/heads/"+branch]
}

// File returns the content of path at ref (a branch, tag or commit id), and whether it
// exists there.
func (r *Repo) File(ref, path string) (string, bool) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	sha, ok := r.resolve(ref)
	if !ok {
		return "", false
	}
	blob, ok := r.commits[sha].files[path]
	if !ok {
		return "", false
	}
	return string(r.blobs[blob]), true
}

// openPulls counts open pull requests (GitHub's open_issues counts them too).
func (r *Repo) openPulls() int {
	n := 0
	for _, p := range r.pulls {
		if p.State == "open" {
			n++
		}
	}
	return n
}

// commitURLs returns the API and HTML URLs of a commit.
func (r *Repo) commitURLs(sha string) (api, html string) {
	return r.s.api(fmt.Sprintf("/repos/%s/commits/%s", r.fullName(), sha)),
		fmt.Sprintf("%s/%s/commit/%s", githubHTML, r.fullName(), sha)
}

// getRepo answers repos/get.
func getRepo(s *Server, req *request) reply { return ok(s.repoJSON(req.repo)) }
