package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"text/template"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/render"
)

// Marker is the hidden line that identifies imagebot's sticky comment.
const Marker = "<!-- imagebot:dependency-diff -->"

// commentKind names the sticky comment in the store.
const commentKind = "dependency-diff"

//go:embed templates/*.tmpl
var templateFS embed.FS

var (
	commentTemplate  = template.Must(template.ParseFS(templateFS, "templates/comment.md.tmpl"))
	revertedTemplate = template.Must(template.ParseFS(templateFS, "templates/reverted.md.tmpl"))
)

// CommentState remembers the sticky comment of each pull request.
type CommentState interface {
	Comment(ctx context.Context, repo string, number int, kind string) (store.CommentRecord, bool, error)
	PutComment(ctx context.Context, r store.CommentRecord) error
}

// commenter keeps the sticky dependency-diff comment of one pull request.
type commenter struct {
	gh          *github.Client
	state       CommentState
	owner, repo string
	number      int
	writes      int
}

// commentBody renders the comment for a head: the diff, or, when a later
// push removed every change an earlier one made, a note that says so.
// ok is false when there is nothing to say and nothing said before.
func commentBody(diffs []checks.LockDiff, sha string, hadChanges bool) (body string, changes, ok bool) {
	for _, d := range diffs {
		changes = changes || len(d.Changes) > 0
	}
	data := struct{ Diff, SHA string }{SHA: "`" + shortSHA(sha) + "`"}
	t := commentTemplate
	switch {
	case changes:
		data.Diff = render.DiffMarkdown(diffs, render.MaxComment)
	case hadChanges:
		t = revertedTemplate
	default:
		return "", false, false
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return "", false, false
	}
	return strings.TrimSpace(b.String()) + "\n\n" + Marker, changes, true
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

func hashBody(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

// update makes the sticky comment say what the diffs say: created once,
// edited only when its body changes, found again after a restart.
func (c *commenter) update(ctx context.Context, diffs []checks.LockDiff, sha string) error {
	repo := c.owner + "/" + c.repo
	rec, ok, err := c.state.Comment(ctx, repo, c.number, commentKind)
	if err != nil {
		return err
	}
	if ok && rec.ID == 0 {
		// An earlier attempt may have created the comment before it
		// stopped: the one time the comments are paged through.
		if rec.ID, err = c.find(ctx); err != nil {
			return err
		}
		ok = rec.ID != 0
	}
	body, changes, say := commentBody(diffs, sha, ok && rec.HadChanges)
	if !say {
		return nil
	}
	next := store.CommentRecord{Repo: repo, Number: c.number, Kind: commentKind, BodyHash: hashBody(body), HadChanges: changes || rec.HadChanges}
	if ok && rec.ID != 0 {
		if rec.BodyHash == next.BodyHash {
			return nil
		}
		_, resp, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, rec.ID, &github.IssueComment{Body: github.String(body)})
		switch {
		case err == nil:
			c.writes++
			next.ID = rec.ID
			return c.state.PutComment(ctx, next)
		case resp != nil && resp.StatusCode == http.StatusNotFound:
			// Someone deleted the comment: post a new one.
		default:
			return fmt.Errorf("edit comment: %w", err)
		}
	}
	if err := c.state.PutComment(ctx, next); err != nil { // intent: ID 0
		return err
	}
	created, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, c.number, &github.IssueComment{Body: github.String(body)})
	if err != nil {
		return fmt.Errorf("create comment: %w", err)
	}
	c.writes++
	next.ID = created.GetID()
	return c.state.PutComment(ctx, next)
}

// find pages through the pull request's comments for imagebot's marker.
func (c *commenter) find(ctx context.Context) (int64, error) {
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		comments, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, c.number, opts)
		if err != nil {
			return 0, fmt.Errorf("list comments: %w", err)
		}
		for _, cm := range comments {
			if cm.GetUser().GetType() == "Bot" && strings.HasSuffix(cm.GetBody(), Marker) {
				return cm.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}
