package status

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestPage(t *testing.T) {
	h := Handler(deployment(t, 25), []string{"staging", "prod", "sandbox"}, func() time.Time { return t0.Add(3 * time.Hour) }, slog.New(slog.DiscardHandler))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	page := string(body)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d, content type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`<th scope="row">staging</th>`,
		`<code>quay.io/example-hub/notebook:a1b2c3d4e5f6</code>`, // staging's configured value
		`<code>a1b2c3d4e5f6</code>`,                              // prod's: a tag
		`<code title="` + newDigest + `">sha256:4e5f60000000</code> (new): 12 servers`,
		`<code title="` + oldDigest + `">sha256:0ld000000000</code> (previous): 30 servers`,
		`<td data-label="Last seen">2026-11-30 09:46 UTC, by <a href="https://github.com/example-hub/notebook/pull/41">example-hub/notebook#41</a>`,
		`<th scope="row">sandbox</th>` + "\n<td colspan=\"3\">No rollout has looked at this hub yet.</td>",
		`<h2 id="active">Active rollouts</h2>`,
		`Add geopandas &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`, // the title a pull request chose, escaped
		`<li>built: 2026-11-30 11:19 UTC</li>`,
		`As of 2026-11-30 12:14 UTC.`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>") {
		t.Error("a pull request's title reached the page unescaped")
	}
	latest := page[strings.Index(page, `<h2 id="recent">`):]
	if n := strings.Count(latest, `<tr>`) - 1; n != Recent {
		t.Errorf("the latest rollouts list %d, want %d", n, Recent)
	}
}
