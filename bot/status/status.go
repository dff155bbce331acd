// Package status serves GET /status: one server-rendered HTML page,
// read-only and without login, that shows operators and maintainers what
// imagebot's pull request comments already show: for each hub, the image
// its configuration names and how many servers run the new and the old
// digest as last seen, and the rollouts being followed and the latest
// ones, with their stages, times and pull requests. It works without
// JavaScript.
//
// It reads the store and decodes rollouts; it writes nothing and calls
// nothing.
package status

import (
	"bytes"
	"context"
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/imagebot/imagebot/bot/store"
)

// Recent is how many of the latest rollouts the page lists.
const Recent = 20

// Rollouts is the store's side of the page.
type Rollouts interface {
	EveryActiveRollout(ctx context.Context) ([]store.RolloutRecord, error)
	LatestRollouts(ctx context.Context, limit int) ([]store.RolloutRecord, error)
}

//go:embed templates/status.html.tmpl
var templateFS embed.FS

var page = template.Must(template.New("status.html.tmpl").Funcs(template.FuncMap{
	"when":  when,
	"dict":  dict,
	"short": short,
}).ParseFS(templateFS, "templates/status.html.tmpl"))

// Handler serves the page. hubs are the operator's hub names, in the
// order of the configuration; now gives the time the page says it was
// made at.
func Handler(st Rollouts, hubs []string, now func() time.Time, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := build(r.Context(), st, hubs, now())
		if err != nil {
			logger.Error("status page", "err", err)
			http.Error(w, "the status page cannot be shown now", http.StatusServiceUnavailable)
			return
		}
		var b bytes.Buffer
		if err := page.Execute(&b, v); err != nil {
			logger.Error("status page", "err", err)
			http.Error(w, "the status page cannot be shown now", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b.Bytes())
	})
}

// when writes a time the way the comments do, in UTC.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// dict makes a map of its key and value pairs, to hand a template more
// than one value.
func dict(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// short writes a digest as the comments do: its algorithm and first 12
// hex digits.
func short(digest string) string {
	if i := strings.IndexByte(digest, ':'); i >= 0 && len(digest) > i+13 {
		return digest[:i+13]
	}
	return digest
}
