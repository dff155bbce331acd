// Package browser drives Debian's headless Chromium for tests that look at
// what imagebot shows people: the status page, and comments and Check Run
// summaries rendered the way GitHub renders Markdown. It takes screenshots
// into docs/screenshots when IMAGEBOT_UPDATE_SCREENSHOTS=1, and otherwise
// only checks that pages render.
//
// Tests that use it skip when Chromium is not installed, unless
// IMAGEBOT_REQUIRE_CHROMIUM=1, which turns the skip into a failure. It is
// for tests only.
package browser

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian installs the browser.
const Chromium = "/usr/bin/chromium"

// The two widths every page is looked at: a desktop and a phone.
const (
	Desktop = 1280
	Phone   = 390
)

// Browser is one headless Chromium with a fresh profile.
type Browser struct {
	t   testing.TB
	ctx context.Context
}

// New starts Chromium for t and stops it when t ends. It skips t when the
// browser is missing, or fails it when IMAGEBOT_REQUIRE_CHROMIUM=1.
func New(t testing.TB) *Browser {
	t.Helper()
	path := Chromium
	if _, err := os.Stat(path); err != nil {
		if p, err := exec.LookPath("chromium"); err == nil {
			path = p
		} else {
			if os.Getenv("IMAGEBOT_REQUIRE_CHROMIUM") == "1" {
				t.Fatalf("IMAGEBOT_REQUIRE_CHROMIUM=1 but %s is missing: apt-get install chromium fonts-dejavu-core", Chromium)
			}
			t.Skipf("no Chromium (%s); apt-get install chromium fonts-dejavu-core, and set IMAGEBOT_REQUIRE_CHROMIUM=1 to fail instead", Chromium)
		}
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("font-render-hinting", "none"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &Browser{t: t, ctx: ctx}
}

// Open loads url at width px and returns the text the page shows.
func (b *Browser) Open(url string, width int) string {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, chromedp.EmulateViewport(int64(width), 800), chromedp.Navigate(url)); err != nil {
		b.t.Fatalf("open %s at %d px: %v", url, width, err)
	}
	return Evaluate[string](b, "document.body.innerText")
}

// Evaluate runs a JavaScript expression in the page open in b (the test's
// own probes; imagebot's pages have no script) and returns its value.
func Evaluate[T any](b *Browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// Screenshot takes a PNG of the whole page as it is open now, checks that
// it is a picture of width px, and, when IMAGEBOT_UPDATE_SCREENSHOTS=1,
// writes it to docs/screenshots/name.
func (b *Browser) Screenshot(name string, width int) {
	b.t.Helper()
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		b.t.Fatalf("screenshot %s is no PNG: %v", name, err)
	}
	if got := img.Bounds().Dx(); got != width {
		b.t.Errorf("screenshot %s is %d px wide, want %d", name, got, width)
	}
	if os.Getenv("IMAGEBOT_UPDATE_SCREENSHOTS") != "1" {
		return
	}
	path := filepath.Join(repoRoot(), "docs", "screenshots", name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s (%d KB)", path, len(shot)/1024)
}

// repoRoot is the repository's top directory, found from this file.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Shots names a page's screenshots at both widths: name-1280.png and
// name-390.png.
func Shots(name string) map[int]string {
	return map[int]string{Desktop: fmt.Sprintf("%s-%d.png", name, Desktop), Phone: fmt.Sprintf("%s-%d.png", name, Phone)}
}
