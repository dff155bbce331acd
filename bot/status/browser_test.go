package status

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagebot/imagebot/internal/browser"
)

// TestPageInChromium drives the page in headless Chromium at a desktop and
// a phone width: it reads as a document (headings, tables with header
// cells), needs no script, fits the phone's width, and is screenshot for
// docs/screenshots (written with IMAGEBOT_UPDATE_SCREENSHOTS=1).
func TestPageInChromium(t *testing.T) {
	b := browser.New(t)
	srv := httptest.NewServer(Handler(deployment(t, 3), []string{"staging", "prod", "sandbox"},
		func() time.Time { return t0.Add(3 * time.Hour) }, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	for width, shot := range browser.Shots("status") {
		text := b.Open(srv.URL+"/status", width)
		for _, want := range []string{"imagebot status", "Hubs", "staging", "12 servers", "Active rollouts", "example-hub/notebook#44", "Latest rollouts"} {
			if !strings.Contains(text, want) {
				t.Errorf("at %d px the page does not show %q", width, want)
			}
		}
		for _, probe := range []struct {
			expr, why string
		}{
			{`document.querySelectorAll("h1").length === 1 && document.querySelectorAll("h2").length === 3`, "one h1 and a h2 per section"},
			{`document.querySelectorAll("th[scope=col]").length >= 11 && document.querySelectorAll("th[scope=row]").length >= 4`, "tables with column and row headers"},
			{`document.scripts.length === 0`, "no script"},
			{`document.documentElement.scrollWidth <= window.innerWidth`, "no sideways scrolling"},
		} {
			if !browser.Evaluate[bool](b, probe.expr) {
				t.Errorf("at %d px: want %s", width, probe.why)
			}
		}
		b.Screenshot(shot, width)
	}
}
