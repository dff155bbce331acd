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
)

// Marker identifies the rollout comment.
const Marker = "<!-- imagebot:rollout -->"

const commentKind = "rollout"

//go:embed templates/*.tmpl
var templateFS embed.FS

// templates hold the comment's wording (rollout.md.tmpl) and the guidance
// lines (guidance.md.tmpl). They get escaped data only: every field that
// holds text from a repository, a registry or a cluster was escaped by the
// view that fills it.
var templates = template.Must(template.New("rollout").Funcs(template.FuncMap{
	"servers": servers,
}).ParseFS(templateFS, "templates/*.tmpl"))

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

// commentView is the data of the "comment" template.
type commentView struct {
	Ref       string
	Headline  headlineView
	Rollback  []string
	Merged    struct{ When, SHA, URL string }
	Build     buildView
	Published publishedView
	Hubs      []hubView
	Guidance  []string
}

type headlineView struct {
	State                 State
	Failing, FailureWords string // the first hub where the new image fails, and how
	Hubs                  string // the hubs' names, listed
	Healthy               bool   // every hub the healthy stage watched passed it
	Ended, Until          string
	Timeout               time.Duration
	Newer                 int
	Waiting, Hub          string // what an unfinished rollout waits for, and for which hub
}

type buildView struct {
	Mark, When                      string
	Status, Workflow, Run, Progress string
}

type publishedView struct{ Mark, When, Digest, Platform, Ref string }

type hubView struct {
	Name       string
	Configured configuredView
	Live       liveView
	Healthy    *healthyView // nil for a hub the healthy stage does not watch
}

type configuredView struct {
	Mark, When                string
	Done                      bool
	Value, ConfigURL, BumpURL string
}

type liveView struct {
	Mark, When                                   string
	Observed, Published, Done                    bool
	New, Old, Starting, NodesWithNew, NodesTotal int
}

type healthyView struct {
	Mark, When                string
	Verdict                   Verdict
	Watching                  bool
	Since, Until              string
	Started, Failed           int
	FailureWords, RollbackURL string
}

// renderComment lays out the rollout's stages as a table.
func renderComment(r *Rollout) string {
	v := commentView{Ref: code(r.ref()), Headline: headline(r), Rollback: rollbackLines(r), Guidance: r.Guidance}
	short := r.MergeSHA
	if len(short) > 12 {
		short = short[:12]
	}
	v.Merged.When, v.Merged.SHA, v.Merged.URL = stamp(r.MergedAt), code(short), fmt.Sprintf("https://github.com/%s/commit/%s", r.Repo, r.MergeSHA)
	v.Build = buildView{Mark: waiting, When: stamp(r.Build.At), Status: r.Build.Status,
		Workflow: text("“" + r.Workflow + "”"), Run: link(r.Build.Name, r.Build.URL), Progress: text(strings.ReplaceAll(r.Build.Status, "_", " "))}
	switch r.Build.Status {
	case "success":
		v.Build.Mark = done
	case "failure":
		v.Build.Mark = failed
	}
	v.Published = publishedView{Mark: waiting, Ref: code(r.ref())}
	if r.published() {
		v.Published = publishedView{Mark: done, When: stamp(r.Pushed.At), Digest: code(shortDigest(r.Pushed.Digest))}
		if r.Pushed.Platform != "" && r.Pushed.Platform != r.Pushed.Digest {
			v.Published.Platform = code(shortDigest(r.Pushed.Platform))
		}
	}
	for i := range r.Hubs {
		v.Hubs = append(v.Hubs, newHubView(r, &r.Hubs[i]))
	}
	return execute("comment", v)
}

func newHubView(r *Rollout, h *HubRollout) hubView {
	name := link(h.Name, h.URL)
	v := hubView{Name: name}
	v.Configured = configuredView{Mark: waiting, When: stamp(h.ConfiguredAt), Done: !h.ConfiguredAt.IsZero(),
		ConfigURL: h.ConfigURL, BumpURL: h.BumpURL}
	if v.Configured.Done {
		v.Configured.Mark = done
	} else if h.ConfigValue != "" {
		v.Configured.Value = code(h.ConfigValue)
	}
	v.Live = liveView{Mark: waiting, When: stamp(h.LiveAt), Observed: h.Observed, Published: r.published(), Done: !h.LiveAt.IsZero(),
		New: h.New, Old: h.Old, Starting: h.Starting, NodesWithNew: h.NodesWithNew, NodesTotal: h.NodesTotal}
	switch {
	case !h.Observed:
		v.Live.Mark = unseen
	case v.Live.Done:
		v.Live.Mark = done
	}
	if h.Watched {
		v.Healthy = newHealthyView(r, h)
	}
	return v
}

func newHealthyView(r *Rollout, h *HubRollout) *healthyView {
	v := &healthyView{Mark: waiting}
	hl := h.Health
	if hl == nil {
		if r.State != Tracking {
			v.Mark = unseen
		}
		return v
	}
	v.Verdict, v.When = hl.Verdict, stamp(hl.At)
	v.Since, v.Until = clock(hl.Since), clock(hl.Until)
	v.Started, v.Failed = hl.failures()+hl.successes(), hl.failures()
	v.Watching = r.State == Tracking
	switch hl.Verdict {
	case Healthy:
		v.Mark = done
	case Unhealthy:
		v.Mark, v.FailureWords = failed, hl.failureWords(text)
		if h.Rollback != nil {
			v.RollbackURL = h.Rollback.URL
		}
	default:
		if !v.Watching {
			v.Mark = unseen
		}
	}
	return v
}

// headline says in one line where the rollout stands; a hub where the new
// image fails comes first, whatever else happens.
func headline(r *Rollout) headlineView {
	v := headlineView{State: r.State, Ended: stamp(r.EndedAt), Timeout: r.Timeout, Newer: r.Newer}
	var names []string
	watched, healthy := false, true
	for i := range r.Hubs {
		h := &r.Hubs[i]
		names = append(names, text(h.Name))
		if h.failing() && v.Failing == "" && r.State != Superseded {
			v.Failing, v.FailureWords = "hub "+code(h.Name), h.Health.failureWords(text)
		}
		if h.Watched {
			watched = true
			healthy = healthy && h.Health != nil && h.Health.Verdict == Healthy
		}
		if h.Health != nil && h.Health.Verdict == "" && (v.Until == "" || clock(h.Health.Until) > v.Until) {
			v.Until = clock(h.Health.Until)
		}
	}
	v.Hubs, v.Healthy = strings.Join(names, ", "), watched && healthy
	switch {
	case r.Build.Status != "success":
		v.Waiting = "build"
	case !r.published():
		v.Waiting = "registry"
	case !every(r.Hubs, (*HubRollout).reached):
		v.Waiting = "server"
		for i := range r.Hubs {
			if r.Hubs[i].ConfiguredAt.IsZero() {
				v.Waiting, v.Hub = "hub", text(r.Hubs[i].Name)
				break
			}
		}
	}
	return v
}

// link renders text linked to url, or the text alone without a url.
func link(s, url string) string {
	if url == "" {
		return text(s)
	}
	return "[" + text(s) + "](" + url + ")"
}

func shortDigest(d string) string {
	if len(d) > len("sha256:")+12 {
		return d[:len("sha256:")+12]
	}
	return d
}

// execute renders one of the templates.
func execute(name string, data any) string {
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
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
