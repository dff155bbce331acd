package fakegithub

import (
	"fmt"
	"time"
)

// Installation is an installation of the App on an account, with the repositories it may
// access. Create it with Server.AddInstallation.
type Installation struct {
	s       *Server
	id      int64
	account string
	repos   []*Repo
	created time.Time
}

// installationPermissions are the permissions every installation reports; the fake does
// not enforce them.
var installationPermissions = map[string]string{
	"actions":       "read",
	"checks":        "write",
	"contents":      "write",
	"deployments":   "write",
	"issues":        "write",
	"metadata":      "read",
	"pull_requests": "write",
}

// installationEvents are the webhook events every installation reports.
var installationEvents = []string{"check_run", "check_suite", "issue_comment", "pull_request", "workflow_run"}

// installationToken is an access token minted for an installation.
type installationToken struct {
	inst    *Installation
	repos   map[*Repo]bool // nil: every repository of the installation when used
	expires time.Time
}

// AddInstallation installs the App (see WithApp) with the given id on account, with access
// to repos. An id that is already installed fails t.
func (s *Server) AddInstallation(id int64, account string, repos ...*Repo) *Installation {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.installations[id] != nil {
		s.t.Fatalf("fakegithub: installation %d already exists", id)
	}
	in := &Installation{s: s, id: id, account: account, repos: append([]*Repo(nil), repos...), created: s.now()}
	s.installations[id] = in
	return in
}

// AddRepos grants the installation access to more repositories.
func (in *Installation) AddRepos(repos ...*Repo) {
	in.s.mu.Lock()
	defer in.s.mu.Unlock()
	for _, r := range repos {
		if !in.hasRepo(r) {
			in.repos = append(in.repos, r)
		}
	}
}

// RemoveRepos revokes the installation's access to repositories. Tokens already minted lose
// access to them too.
func (in *Installation) RemoveRepos(repos ...*Repo) {
	in.s.mu.Lock()
	defer in.s.mu.Unlock()
	kept := in.repos[:0]
	for _, r := range in.repos {
		remove := false
		for _, x := range repos {
			remove = remove || x == r
		}
		if !remove {
			kept = append(kept, r)
		}
	}
	in.repos = kept
}

func (in *Installation) hasRepo(r *Repo) bool {
	for _, x := range in.repos {
		if x == r {
			return true
		}
	}
	return false
}

// InstallationToken mints an access token for installation id, covering all of its
// repositories, as apps/create-installation-access-token would but without a call, for tests
// that authenticate with a static token. An unknown installation fails t.
func (s *Server) InstallationToken(id int64) string {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.installations[id]
	if in == nil {
		s.t.Fatalf("fakegithub: no installation %d", id)
	}
	tok, _ := s.mintToken(in, nil)
	return tok
}

// mintToken stores a new token for in, restricted to repos when repos is not nil.
func (s *Server) mintToken(in *Installation, repos map[*Repo]bool) (string, *installationToken) {
	s.nextID++
	tok := fmt.Sprintf("ghs_%036d", s.nextID)
	it := &installationToken{inst: in, repos: repos, expires: s.now().Add(time.Hour)}
	s.tokens[tok] = it
	return tok, it
}
