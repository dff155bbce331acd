package checks

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"short text is kept", "sqlite 3.45.1", "sqlite 3.45.1"},
		{"exactly the limit is kept", strings.Repeat("a", MaxMessage), strings.Repeat("a", MaxMessage)},
		{"one over is cut with an ellipsis", strings.Repeat("a", MaxMessage+1), strings.Repeat("a", MaxMessage-1) + "…"},
		// 500 three-byte runes are 1,500 bytes but only 500 characters.
		{"multibyte at the limit is kept", strings.Repeat("é", MaxMessage), strings.Repeat("é", MaxMessage)},
		{"multibyte is cut on a rune boundary", strings.Repeat("日", MaxMessage+7), strings.Repeat("日", MaxMessage-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clip(tt.in)
			if got != tt.want {
				t.Errorf("Clip = %q (%d runes), want %q", got, utf8.RuneCountInString(got), tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Clip produced invalid UTF-8")
			}
		})
	}
}

// TestHostileTextIsClipped: a 10 MB URL in an explicit lock and a 60 KiB
// FROM (the longest line BuildKit reads) make findings of at most MaxMessage characters, not of megabytes.
func TestHostileTextIsClipped(t *testing.T) {
	url := "https://conda.anaconda.org/conda-forge/linux-64/" + strings.Repeat("x", 10<<20) + ".conda#adf6408c028e2d47c60128fa2537e8d5"
	tree := Files{
		"conda-linux-64.lock": []byte("# platform: linux-64\n@EXPLICIT\n" + url + "\n"),
		"Dockerfile":          []byte("FROM python:" + strings.Repeat("a", 60<<10) + "\n"),
	}
	report := Check(tree)
	found := map[string]bool{}
	for _, c := range report.Checks {
		for _, f := range c.Findings {
			if n := utf8.RuneCountInString(f.Message); n > MaxMessage {
				t.Errorf("%s %s: message of %d characters", c.ID, f.Path, n)
			}
			if n := utf8.RuneCountInString(f.Fix); n > MaxMessage {
				t.Errorf("%s %s: fix of %d characters", c.ID, f.Path, n)
			}
			found[f.Path] = found[f.Path] || strings.Contains(f.Message, "…")
		}
	}
	for _, p := range []string{"conda-linux-64.lock", "Dockerfile"} {
		if !found[p] {
			t.Errorf("no finding quoting %s clipped", p)
		}
	}
}
