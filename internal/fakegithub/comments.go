package fakegithub

import (
	"fmt"
	"net/http"
	"slices"
	"time"
	"unicode/utf8"
)

// Comment is a snapshot of an issue comment on a pull request.
type Comment struct {
	ID        int64
	Issue     int // the pull request number
	User      string
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
	Reactions []Reaction
}

// Reaction is a reaction to a comment.
type Reaction struct {
	ID        int64
	User      string
	Content   string // +1, -1, laugh, confused, heart, hooray, rocket, eyes
	CreatedAt time.Time
}

// maxCommentBody is GitHub's limit on a comment body, in characters.
const maxCommentBody = 65536

// AddComment posts a comment by login on pull request number, as a user would, and returns
// its id. An unknown pull request fails t.
func (r *Repo) AddComment(number int, login, body string) int64 {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	if r.pulls[number] == nil {
		r.s.t.Fatalf("fakegithub: %s has no pull request #%d", r.fullName(), number)
	}
	return r.addComment(number, login, body).ID
}

// DeleteComment removes a comment, as a user deleting it in the web
// interface would. An unknown comment fails t.
func (r *Repo) DeleteComment(id int64) {
	r.s.t.Helper()
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	for i, c := range r.comments {
		if c.ID == id {
			r.comments = slices.Delete(r.comments, i, i+1)
			return
		}
	}
	r.s.t.Fatalf("fakegithub: %s has no comment %d", r.fullName(), id)
}

func (r *Repo) addComment(number int, login, body string) *Comment {
	now := r.s.now()
	c := &Comment{ID: r.s.newID(), Issue: number, User: login, Body: body, CreatedAt: now, UpdatedAt: now}
	r.comments = append(r.comments, c)
	return c
}

// Comments returns snapshots of the comments on pull request number of repository repo
// ("owner/name"), oldest first. An unknown repository fails t.
func (s *Server) Comments(repo string, number int) []Comment {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.repo(repo).comments {
		if c.Issue == number {
			snap := *c
			snap.Reactions = slices.Clone(c.Reactions)
			out = append(out, snap)
		}
	}
	return out
}

// commentJSON is an issue-comment.
func (s *Server) commentJSON(r *Repo, c *Comment) object {
	api := s.api(fmt.Sprintf("/repos/%s/issues/comments/%d", r.fullName(), c.ID))
	rollup := object{"url": api + "/reactions", "total_count": len(c.Reactions)}
	for _, content := range []string{"+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"} {
		n := 0
		for _, re := range c.Reactions {
			if re.Content == content {
				n++
			}
		}
		rollup[content] = n
	}
	var app any
	if c.User == s.actor() {
		app = s.appJSON(s.app.id)
	}
	return object{
		"id":                       c.ID,
		"node_id":                  nodeID("IssueComment", c.ID),
		"url":                      api,
		"html_url":                 fmt.Sprintf("%s/%s/pull/%d#issuecomment-%d", githubHTML, r.fullName(), c.Issue, c.ID),
		"issue_url":                s.api(fmt.Sprintf("/repos/%s/issues/%d", r.fullName(), c.Issue)),
		"body":                     c.Body,
		"user":                     s.userJSON(c.User),
		"created_at":               ts(c.CreatedAt),
		"updated_at":               ts(c.UpdatedAt),
		"author_association":       r.authorAssociation(c.User),
		"performed_via_github_app": app,
		"reactions":                rollup,
	}
}

// commentBody decodes a comment body and applies GitHub's length limit.
func commentBody(req *request) (string, reply) {
	var body struct {
		Body string `json:"body"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return "", rep
	}
	if utf8.RuneCountInString(body.Body) > maxCommentBody {
		return "", validationFailed("Validation Failed", fieldError{
			Resource: "IssueComment", Field: "data", Code: "custom",
			Message: fmt.Sprintf("Body is too long (maximum is %d characters)", maxCommentBody),
		})
	}
	return body.Body, reply{}
}

// findComment returns the repository's comment with the {comment_id} parameter.
func findComment(req *request) *Comment {
	id := intParam(req, "comment_id")
	for _, c := range req.repo.comments {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// listComments lists a pull request's comments oldest first, those updated at or after
// the since parameter when it is given.
func listComments(s *Server, req *request) reply {
	r := req.repo
	number := int(intParam(req, "issue_number"))
	if r.pulls[number] == nil {
		return notFound()
	}
	var since time.Time
	if v := req.query.Get("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return validationFailed("since is not an ISO 8601 timestamp: " + v)
		}
		since = t
	}
	list := []object{}
	for _, c := range r.comments {
		if c.Issue == number && !c.UpdatedAt.Before(since) {
			list = append(list, s.commentJSON(r, c))
		}
	}
	page, link := paginate(s, req, list)
	return paged(page, link)
}

func createComment(s *Server, req *request) reply {
	r := req.repo
	number := int(intParam(req, "issue_number"))
	if r.pulls[number] == nil {
		return notFound()
	}
	body, rep := commentBody(req)
	if rep.failed() {
		return rep
	}
	return created(s.commentJSON(r, r.addComment(number, s.actor(), body)))
}

func updateComment(s *Server, req *request) reply {
	c := findComment(req)
	if c == nil {
		return notFound()
	}
	body, rep := commentBody(req)
	if rep.failed() {
		return rep
	}
	c.Body, c.UpdatedAt = body, s.now()
	return ok(s.commentJSON(req.repo, c))
}

func getComment(s *Server, req *request) reply {
	c := findComment(req)
	if c == nil {
		return notFound()
	}
	return ok(s.commentJSON(req.repo, c))
}

// createCommentReaction adds the App's reaction: 201 when new, 200 with the existing
// reaction when the App already reacted with that content.
func createCommentReaction(s *Server, req *request) reply {
	c := findComment(req)
	if c == nil {
		return notFound()
	}
	var body struct {
		Content string `json:"content"`
	}
	if rep := decodeBody(req, &body); rep.failed() {
		return rep
	}
	for _, re := range c.Reactions {
		if re.User == s.actor() && re.Content == body.Content {
			return reply{status: http.StatusOK, body: s.reactionJSON(re)}
		}
	}
	re := Reaction{ID: s.newID(), User: s.actor(), Content: body.Content, CreatedAt: s.now()}
	c.Reactions = append(c.Reactions, re)
	return created(s.reactionJSON(re))
}

func (s *Server) reactionJSON(re Reaction) object {
	return object{
		"id":         re.ID,
		"node_id":    nodeID("Reaction", re.ID),
		"user":       s.userJSON(re.User),
		"content":    re.Content,
		"created_at": ts(re.CreatedAt),
	}
}
