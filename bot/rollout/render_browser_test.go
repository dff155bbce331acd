package rollout

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagebot/imagebot/internal/browser"
)

// TestCommentInChromium renders a rollout comment, live on one hub and
// configured on the other, as GitHub renders Markdown, and screenshots it
// at both widths.
func TestCommentInChromium(t *testing.T) {
	b := browser.New(t)
	r := base()
	r.Repo, r.Number, r.Image = "example-hub/notebook", 41, "quay.io/example-hub/notebook"
	r.Build = Build{Status: "success", Name: "Build and push container image #41", URL: "https://github.com/example-hub/notebook/actions/runs/41", At: t0.Add(6 * time.Minute)}
	r.Pushed = Published{Digest: "sha256:4e5f60718293a4b5c6d7e8f90123456789abcdef0123456789abcdef01234567", At: t0.Add(7 * time.Minute)}
	r.Hubs = []HubRollout{
		{Name: "staging", URL: "https://staging.hub.example.org", ConfiguredAt: t0.Add(8 * time.Minute), ConfigValue: "quay.io/example-hub/notebook:0123456789ab",
			LiveAt: t0.Add(9 * time.Minute), Observed: true, New: 3, Old: 1, NodesWithNew: 2, NodesTotal: 2},
		{Name: "prod", URL: "https://hub.example.org", ConfiguredAt: t0.Add(20 * time.Minute), ConfigValue: "0123456789ab",
			ConfigURL: "https://github.com/example-hub/infrastructure/blob/main/config/prod.values.yaml#L6", Observed: true, Old: 30, NodesWithNew: 1, NodesTotal: 3},
	}
	md := renderComment(r)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(browser.MarkdownPage(t, "imagebot commented", md)))
	}))
	defer srv.Close()
	for width, shot := range browser.Shots("rollout-comment") {
		if text := b.Open(srv.URL, width); !strings.Contains(text, "staging") || !strings.Contains(text, "prod") {
			t.Errorf("at %d px the comment does not show both hubs:\n%s", width, text)
		}
		b.Screenshot(shot, width)
	}
}
