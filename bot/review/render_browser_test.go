package review

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/browser"
)

// relock is a CryoInTheCloud-sized re-lock: 915 packages move on
// linux-64, two of them downgraded, one leaving its split sibling behind.
func relock() []checks.LockDiff {
	pkg := func(name, version string) *lock.Package {
		return &lock.Package{Name: name, Version: version, Manager: lock.Conda, Build: "h0_0",
			URL: fmt.Sprintf("https://conda.anaconda.org/conda-forge/linux-64/%s-%s-h0_0.conda", name, version)}
	}
	d := checks.LockDiff{Path: "conda-lock.yml"}
	for i := range 915 {
		name := fmt.Sprintf("package-%03d", i)
		c := diff.Change{Manager: lock.Conda, Environment: lock.DefaultEnvironment, Platform: "linux-64", Name: name,
			Before: pkg(name, "1.0."+fmt.Sprint(i)), After: pkg(name, "1.1.0"), Kind: diff.Upgraded, Level: 1}
		switch i {
		case 10:
			c.Name, c.Before, c.After = "sqlite", pkg("sqlite", "3.53.0"), pkg("sqlite", "3.45.1")
			c.Kind, c.Flags, c.Direct = diff.Downgraded, []diff.Flag{diff.Downgrade, diff.Split}, true
			c.Siblings = []diff.Sibling{{Name: "libsqlite", Version: "3.53.0"}}
		case 20:
			c.Name, c.Before, c.After = "numpy", pkg("numpy", "2.3.1"), pkg("numpy", "2.2.6")
			c.Kind, c.Flags = diff.Downgraded, []diff.Flag{diff.Downgrade}
		}
		d.Changes = append(d.Changes, c)
	}
	return []checks.LockDiff{d}
}

// TestCommentLayoutForAHugeChange: the summary first, then what needs a
// look, then tables, all collapsed.
func TestCommentLayoutForAHugeChange(t *testing.T) {
	body, changes, ok := commentBody(relock(), head{SHA: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
		CompareURL: "https://github.com/example-hub/notebook/compare/0123456...a1b2c3d"}, false, false)
	if !ok || !changes {
		t.Fatal("no comment for 915 changes")
	}
	order := []string{"**Dependency changes:** ⚠️ 2 downgrades · ⚠️ 1 split sibling left behind · 913 upgraded", "**Needs a look** (2):", "sqlite", "numpy", "<details>",
		"For [`a1b2c3d`](https://github.com/example-hub/notebook/compare/0123456...a1b2c3d)."}
	at := 0
	for _, want := range order {
		i := strings.Index(body[at:], want)
		if i < 0 {
			t.Fatalf("%q missing, or out of order, in:\n%.3000s", want, body[at:])
		}
		at += i
	}
	if strings.Contains(body, "<details open>") {
		t.Error("a table of a huge change is open")
	}
	if len(body) > 65536 {
		t.Errorf("the comment has %d characters, more than GitHub takes", len(body))
	}
}

// TestRenderedInChromium renders the pull request comment (with the
// command list) and a Check Run summary as GitHub renders Markdown, and
// screenshots them at both widths.
func TestRenderedInChromium(t *testing.T) {
	b := browser.New(t)
	comment, _, _ := commentBody(relock(), head{SHA: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
		CompareURL: "https://github.com/example-hub/notebook/compare/0123456...a1b2c3d"}, false, true)
	report := checks.Check(checks.FS(os.DirFS(filepath.Join("..", "..", "testdata", "repos", "outage"))))
	var consistent checks.Result
	for _, r := range report.Checks {
		if r.ID == "lockfile-consistent" {
			consistent = r
		}
	}
	summary := newCheckRun(consistent.ID, consistent, nil, nil).summary
	pages := map[string]struct{ title, md, want string }{
		"pr-comment":    {"imagebot commented", comment, "Needs a look"},
		"check-summary": {"lockfile-consistent", summary, "libsqlite"},
	}
	for name, p := range pages {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(browser.MarkdownPage(t, p.title, p.md)))
		}))
		for width, shot := range browser.Shots(name) {
			if text := b.Open(srv.URL, width); !strings.Contains(text, p.want) {
				t.Errorf("%s at %d px does not show %q", name, width, p.want)
			}
			b.Screenshot(shot, width)
		}
		srv.Close()
	}
}
