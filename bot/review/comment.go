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
	commentTemplate  = template.Must(template.ParseFS(templateFS, "templates/comment.md.tmpl", "templates/help.md.tmpl"))
	revertedTemplate = template.Must(template.ParseFS(templateFS, "templates/reverted.md.tmpl", "templates/help.md.tmpl"))
)

// CommentState remembers the sticky comment of each pull request, and
// whether someone asked for the list of commands there.
type CommentState interface {
	sticky.State
	HelpRequested(ctx context.Context, repo string, number int) (bool, error)
}

// head is the commit a comment describes.
type head struct {
	SHA        string // the full SHA
	CompareURL string // GitHub's compare view of the base and this head; may be ""
}

// commentData is what the comment templates get: escaped or
// GitHub-made text only.
type commentData struct {
	Diff       string // rendered Markdown
	SHA        string // the short SHA, as code
	CompareURL string
	Help       bool
}

// commentBody renders the comment for a head: the diff, or, when a later
// push removed every change an earlier one made, a note that says so; with
// the list of commands when someone asked for it. ok is false when there
// is nothing to say and nothing said before.
func commentBody(diffs []checks.LockDiff, h head, hadChanges, help bool) (body string, changes, ok bool) {
	for _, d := range diffs {
		changes = changes || len(d.Changes) > 0
	}
	data := commentData{SHA: "`" + shortSHA(h.SHA) + "`", CompareURL: h.CompareURL, Help: help}
	t := commentTemplate
	switch {
	case changes || (help && !hadChanges):
		data.Diff = render.DiffMarkdown(diffs, render.MaxComment-helpRoom)
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

// helpRoom is kept free in the comment for the list of commands.
const helpRoom = 1024

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// updateComment makes the sticky dependency-diff comment say what the
// diffs say. A pull request that never changed a locked package gets no
// comment, unless someone asked for the list of commands; one whose
// changes were reverted is told so.
func updateComment(ctx context.Context, c *sticky.Comment, help bool, diffs []checks.LockDiff, h head) error {
	rec, ok, err := c.Record(ctx)
	if err != nil {
		return err
	}
	body, changes, say := commentBody(diffs, h, ok && rec.HadChanges, help)
	if !say {
		return nil
	}
	return c.Put(ctx, rec, ok, body, changes || (ok && rec.HadChanges))
}
