package review

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/imagebot/imagebot/checks"
)

// TestAnnotationsAreClipped: a finding that did not come through the
// engine (the configuration check's) still makes an annotation and a
// summary of bounded size.
func TestAnnotationsAreClipped(t *testing.T) {
	huge := strings.Repeat("x", 1<<20)
	res := checks.Result{ID: ConfigCheckName, Conclusion: checks.Failure, Summary: "1 problem.",
		Findings: []checks.Finding{{Severity: checks.Error, Path: ".github/imagebot.yml", Line: 3, Message: huge, Fix: huge}}}
	c := newCheckRun(ConfigCheckName, res, nil, map[string]bool{".github/imagebot.yml": true})
	if len(c.annotations) != 1 {
		t.Fatalf("annotations = %d, want 1", len(c.annotations))
	}
	want := strings.Repeat("x", checks.MaxMessage-1) + "…\n\nFix: " + strings.Repeat("x", checks.MaxMessage-1) + "…"
	if got := c.annotations[0].GetMessage(); got != want {
		t.Errorf("annotation of %d characters, want %d", utf8.RuneCountInString(got), utf8.RuneCountInString(want))
	}
	if len(c.summary) > 4*checks.MaxMessage*2 {
		t.Errorf("summary of %d bytes for one clipped finding", len(c.summary))
	}
}
