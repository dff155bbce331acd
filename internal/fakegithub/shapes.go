package fakegithub

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file builds the JSON shapes shared by several operations (users, repositories,
// apps, installations) with the fields GitHub documents as required. Callers hold s.mu.

// githubHTML is the host of html_url fields.
const githubHTML = "https://github.com"

// api is the fake's URL for an API path.
func (s *Server) api(path string) string { return s.http.URL + path }

// ts formats a timestamp as GitHub does.
func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// tsOrNull formats t, or returns nil for the zero time.
func tsOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

// strOrNull returns s, or nil for "".
func strOrNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nodeID is a GraphQL node id in GitHub's legacy form, base64("0<len>:<Type><id>").
func nodeID(kind string, id int64) string {
	return base64.StdEncoding.EncodeToString([]byte("0" + strconv.Itoa(len(kind)) + ":" + kind + strconv.FormatInt(id, 10)))
}

// newID returns the next id of the server-wide counter.
func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

// userID returns login's id, assigning one on first use.
func (s *Server) userID(login string) int64 {
	if id, ok := s.users[login]; ok {
		return id
	}
	id := s.newID()
	s.users[login] = id
	return id
}

// userJSON is a simple-user.
func (s *Server) userJSON(login string) object {
	id := s.userID(login)
	kind, html := "User", githubHTML+"/"+login
	if slug, ok := strings.CutSuffix(login, "[bot]"); ok {
		kind, html = "Bot", githubHTML+"/apps/"+slug
	}
	api := s.api("/users/" + login)
	return object{
		"login":               login,
		"id":                  id,
		"node_id":             nodeID(kind, id),
		"avatar_url":          fmt.Sprintf("https://avatars.githubusercontent.com/u/%d?v=4", id),
		"gravatar_id":         "",
		"url":                 api,
		"html_url":            html,
		"followers_url":       api + "/followers",
		"following_url":       api + "/following{/other_user}",
		"gists_url":           api + "/gists{/gist_id}",
		"starred_url":         api + "/starred{/owner}{/repo}",
		"subscriptions_url":   api + "/subscriptions",
		"organizations_url":   api + "/orgs",
		"repos_url":           api + "/repos",
		"events_url":          api + "/events{/privacy}",
		"received_events_url": api + "/received_events",
		"type":                kind,
		"site_admin":          false,
	}
}

// repoJSON is a full-repository, which also satisfies repository and minimal-repository.
func (s *Server) repoJSON(r *Repo) object {
	api := s.api("/repos/" + r.fullName())
	html := githubHTML + "/" + r.fullName()
	o := object{
		"id":                r.id,
		"node_id":           nodeID("Repository", r.id),
		"name":              r.name,
		"full_name":         r.fullName(),
		"owner":             s.userJSON(r.owner),
		"private":           false,
		"visibility":        "public",
		"html_url":          html,
		"description":       nil,
		"fork":              false,
		"url":               api,
		"homepage":          nil,
		"language":          nil,
		"mirror_url":        nil,
		"license":           nil,
		"clone_url":         html + ".git",
		"git_url":           "git://github.com/" + r.fullName() + ".git",
		"ssh_url":           "git@github.com:" + r.fullName() + ".git",
		"svn_url":           html,
		"default_branch":    r.defaultBranch,
		"created_at":        ts(r.created),
		"updated_at":        ts(r.pushed),
		"pushed_at":         ts(r.pushed),
		"size":              len(r.blobs),
		"archived":          false,
		"disabled":          false,
		"has_issues":        true,
		"has_projects":      true,
		"has_wiki":          true,
		"has_pages":         false,
		"has_downloads":     true,
		"has_discussions":   false,
		"forks":             0,
		"forks_count":       0,
		"open_issues":       r.openPulls(),
		"open_issues_count": r.openPulls(),
		"stargazers_count":  0,
		"watchers":          0,
		"watchers_count":    0,
		"network_count":     0,
		"subscribers_count": 0,
		"topics":            []string{},
	}
	for field, suffix := range map[string]string{
		"archive_url":       "/{archive_format}{/ref}",
		"assignees_url":     "/assignees{/user}",
		"blobs_url":         "/git/blobs{/sha}",
		"branches_url":      "/branches{/branch}",
		"collaborators_url": "/collaborators{/collaborator}",
		"comments_url":      "/comments{/number}",
		"commits_url":       "/commits{/sha}",
		"compare_url":       "/compare/{base}...{head}",
		"contents_url":      "/contents/{+path}",
		"contributors_url":  "/contributors",
		"deployments_url":   "/deployments",
		"downloads_url":     "/downloads",
		"events_url":        "/events",
		"forks_url":         "/forks",
		"git_commits_url":   "/git/commits{/sha}",
		"git_refs_url":      "/git/refs{/sha}",
		"git_tags_url":      "/git/tags{/sha}",
		"hooks_url":         "/hooks",
		"issue_comment_url": "/issues/comments{/number}",
		"issue_events_url":  "/issues/events{/number}",
		"issues_url":        "/issues{/number}",
		"keys_url":          "/keys{/key_id}",
		"labels_url":        "/labels{/name}",
		"languages_url":     "/languages",
		"merges_url":        "/merges",
		"milestones_url":    "/milestones{/number}",
		"notifications_url": "/notifications{?since,all,participating}",
		"pulls_url":         "/pulls{/number}",
		"releases_url":      "/releases{/id}",
		"stargazers_url":    "/stargazers",
		"statuses_url":      "/statuses/{sha}",
		"subscribers_url":   "/subscribers",
		"subscription_url":  "/subscription",
		"tags_url":          "/tags",
		"teams_url":         "/teams",
		"trees_url":         "/git/trees{/sha}",
	} {
		o[field] = api + suffix
	}
	return o
}

// GitHub Actions, the App that owns the check suites of workflow runs.
const (
	actionsAppID   = 15368
	actionsAppSlug = "github-actions"
)

// appJSON is an integration: the App under test, or GitHub Actions.
func (s *Server) appJSON(id int64) object {
	slug, owner, name := s.app.slug, s.app.slug, s.app.slug
	if id == actionsAppID {
		slug, owner, name = actionsAppSlug, "github", "GitHub Actions"
	}
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return object{
		"id":           id,
		"slug":         slug,
		"node_id":      nodeID("Integration", id),
		"client_id":    fmt.Sprintf("Iv1.%016x", id),
		"owner":        s.userJSON(owner),
		"name":         name,
		"description":  nil,
		"external_url": githubHTML + "/apps/" + slug,
		"html_url":     githubHTML + "/apps/" + slug,
		"created_at":   ts(created),
		"updated_at":   ts(created),
		"permissions":  installationPermissions,
		"events":       installationEvents,
	}
}

// installationJSON is an installation.
func (s *Server) installationJSON(in *Installation) object {
	account := s.userJSON(in.account)
	return object{
		"id":                        in.id,
		"account":                   account,
		"app_id":                    s.app.id,
		"app_slug":                  s.app.slug,
		"client_id":                 fmt.Sprintf("Iv1.%016x", s.app.id),
		"target_id":                 account["id"],
		"target_type":               "Organization",
		"repository_selection":      "selected",
		"access_tokens_url":         s.api(fmt.Sprintf("/app/installations/%d/access_tokens", in.id)),
		"repositories_url":          s.api("/installation/repositories"),
		"html_url":                  fmt.Sprintf("%s/organizations/%s/settings/installations/%d", githubHTML, in.account, in.id),
		"permissions":               installationPermissions,
		"events":                    installationEvents,
		"single_file_name":          nil,
		"has_multiple_single_files": false,
		"single_file_paths":         []string{},
		"created_at":                ts(in.created),
		"updated_at":                ts(in.created),
		"suspended_by":              nil,
		"suspended_at":              nil,
	}
}
