package review

import (
	"bytes"
	"context"
	"embed"
	"text/template"

	"github.com/imagebot/imagebot/bot/sticky"
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
type CommentState = sticky.State

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
	return b.String(), changes, true
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// updateComment makes the sticky dependency-diff comment say what the
// diffs say. A pull request that never changed a locked package gets no
// comment; one whose changes were reverted is told so.
func updateComment(ctx context.Context, c *sticky.Comment, diffs []checks.LockDiff, sha string) error {
	rec, ok, err := c.Record(ctx)
	if err != nil {
		return err
	}
	body, changes, say := commentBody(diffs, sha, ok && rec.HadChanges)
	if !say {
		return nil
	}
	return c.Put(ctx, rec, ok, body, changes || (ok && rec.HadChanges))
}
