package rollout

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/sticky"
	"github.com/imagebot/imagebot/internal/markdown"
)

// Marker identifies the rollout comment.
const Marker = "<!-- imagebot:rollout -->"

const commentKind = "rollout"

//go:embed templates/*.tmpl
var templateFS embed.FS

var commentTemplate = template.Must(template.ParseFS(templateFS, "templates/rollout.md.tmpl"))

type stageRow struct{ Stage, Mark, When, Details string }

type commentView struct {
	Ref, Headline string
	Rows          []stageRow
	Guidance      []string
}

const (
	done    = "✅"
	waiting = "⏳"
	failed  = "❌"
	unseen  = "➖"
)

// stamp renders a time for the comment; the zero time is blank.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// renderComment lays out the rollout's stages as a table.
func renderComment(r *Rollout) string {
	v := commentView{Ref: markdown.Code(r.ref()), Headline: headline(r), Guidance: r.Guidance}
	short := r.MergeSHA
	if len(short) > 12 {
		short = short[:12]
	}
	v.Rows = append(v.Rows, stageRow{"Merged", done, stamp(r.MergedAt),
		fmt.Sprintf("[%s](https://github.com/%s/commit/%s)", markdown.Code(short), r.Repo, r.MergeSHA)})
	build := stageRow{Stage: "Built", Mark: waiting, When: stamp(r.Build.At)}
	switch r.Build.Status {
	case "":
		build.Details = "waiting for the workflow " + markdown.Text("“"+r.Workflow+"”")
	case "success":
		build.Mark, build.Details = done, link(r.Build.Name, r.Build.URL)
	case "failure":
		build.Mark, build.Details = failed, link(r.Build.Name, r.Build.URL)
	default:
		build.Details = link(r.Build.Name, r.Build.URL) + " is " + strings.ReplaceAll(r.Build.Status, "_", " ")
	}
	v.Rows = append(v.Rows, build)
	pushed := stageRow{Stage: "Published", Mark: waiting, Details: "waiting for " + markdown.Code(r.ref()) + " in the registry"}
	if r.published() {
		pushed = stageRow{Stage: "Published", Mark: done, When: stamp(r.Pushed.At), Details: markdown.Code(shortDigest(r.Pushed.Digest))}
		if r.Pushed.Platform != "" && r.Pushed.Platform != r.Pushed.Digest {
			pushed.Details += " (linux/amd64 " + markdown.Code(shortDigest(r.Pushed.Platform)) + ")"
		}
	}
	v.Rows = append(v.Rows, pushed)
	for i := range r.Hubs {
		v.Rows = append(v.Rows, hubRows(r, &r.Hubs[i])...)
	}
	return execute(v)
}

func hubRows(r *Rollout, h *HubRollout) []stageRow {
	name := markdown.Text(h.Name)
	if h.URL != "" {
		name = "[" + name + "](" + h.URL + ")"
	}
	configured := stageRow{Stage: "Configured: " + name, Mark: waiting, When: stamp(h.ConfiguredAt)}
	switch {
	case !h.ConfiguredAt.IsZero():
		configured.Mark, configured.Details = done, "points at the new image"
	case h.ConfigValue != "":
		configured.Details = "points at " + markdown.Code(h.ConfigValue)
	}
	if h.ConfigURL != "" {
		configured.Details = strings.TrimSpace(configured.Details + " ([config](" + h.ConfigURL + "))")
	}
	if h.BumpURL != "" {
		configured.Details += " · [bump pull request](" + h.BumpURL + ")"
	}
	live := stageRow{Stage: "Live: " + name, Mark: waiting, When: stamp(h.LiveAt)}
	switch {
	case !h.Observed:
		live.Mark, live.Details = unseen, "imagebot cannot see this hub's servers"
	case !h.LiveAt.IsZero():
		live.Mark = done
		fallthrough
	default:
		if r.published() {
			live.Details = fmt.Sprintf("%s on the new image, %d on older ones", servers(h.New), h.Old)
			if h.Starting > 0 {
				live.Details += fmt.Sprintf(", %d starting", h.Starting)
			}
			if h.NodesTotal > 0 {
				live.Details += fmt.Sprintf("; %d of %d nodes have pulled it", h.NodesWithNew, h.NodesTotal)
			}
			if h.Old > 0 && !h.LiveAt.IsZero() {
				live.Details += ". Older servers switch when their users restart them (File → Hub Control Panel → Stop My Server, then start it again)"
			}
		}
	}
	return []stageRow{configured, live}
}

// headline says in one line where the rollout stands.
func headline(r *Rollout) string {
	switch r.State {
	case Live:
		var names []string
		for _, h := range r.Hubs {
			names = append(names, markdown.Text(h.Name))
		}
		return fmt.Sprintf("**Live** on %s since %s.", strings.Join(names, ", "), stamp(r.EndedAt))
	case Failed:
		return "**Failed:** the build failed, so nothing was pushed."
	case TimedOut:
		return fmt.Sprintf("**Stopped following** after %s: the new image did not reach every hub.", r.Timeout)
	case Superseded:
		return fmt.Sprintf("**Superseded** by #%d, merged later; its rollout carries on there.", r.Newer)
	}
	switch {
	case r.Build.Status != "success":
		return "**In progress:** waiting for the build."
	case !r.published():
		return "**In progress:** waiting for the registry to have the new tag."
	}
	for _, h := range r.Hubs {
		if h.ConfiguredAt.IsZero() {
			return fmt.Sprintf("**In progress:** waiting for hub %s to point at the new image.", markdown.Text(h.Name))
		}
	}
	return "**In progress:** waiting for a user server to start on the new image."
}

func link(text, url string) string {
	if url == "" {
		return markdown.Text(text)
	}
	return "[" + markdown.Text(text) + "](" + url + ")"
}

func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12]
	}
	return d
}

func execute(v commentView) string {
	var b bytes.Buffer
	if err := commentTemplate.Execute(&b, v); err != nil {
		return "imagebot could not render the rollout comment: " + err.Error()
	}
	return b.String()
}

// comment makes the rollout comment on the merged pull request say where
// the rollout stands; it is edited only when that changes.
func (t *Tracker) comment(ctx context.Context, gh *github.Client, owner, name string, r *Rollout, _ time.Time) error {
	c := &sticky.Comment{GH: gh, State: t.Comments, Owner: owner, Repo: name, Number: r.Number, Kind: commentKind, Marker: Marker}
	rec, ok, err := c.Record(ctx)
	if err != nil {
		return err
	}
	return c.Put(ctx, rec, ok, renderComment(r), true)
}

// servers counts user servers in words: "1 server", "3 servers".
func servers(n int) string {
	if n == 1 {
		return "1 server"
	}
	return fmt.Sprintf("%d servers", n)
}
