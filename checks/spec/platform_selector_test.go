package spec

import "testing"

func TestSelectorOf(t *testing.T) {
	tests := []struct {
		comment string
		want    string
		why     string
	}{
		{"# [linux]", "linux", ""},
		{"#[osx]", "osx", "no space needed after #"},
		{"# [win]   ", "win", "trailing blanks are trimmed"},
		{"# needed for COM [win64]", "win64", ""},
		{"# [osx] or maybe [linux]", "linux", "the last bracketed text wins"},
		{"# [linux] (see issue 12)", "", "parentheses after the brackets: no selector"},
		{"# (why) [linux]", "linux", "parentheses before the brackets are fine"},
		{"# []", "", "empty brackets"},
		{"# [a]b]", "a", "the inner text may not hold ']'; the next closing bracket is tried"},
		{"# [[linux]]", "linux", ""},
		{"# no selector", "", ""},
		{"[linux]", "", "not a comment"},
		{"", "", ""},
		{"# [linux]\n# [win]", "linux", "only the first line counts"},
		{"# [ linux ]", " linux ", "kept as written"},
	}
	for _, tt := range tests {
		if got := selectorOf(tt.comment); got != tt.want {
			t.Errorf("selectorOf(%q) = %q, want %q %s", tt.comment, got, tt.want, tt.why)
		}
	}
}

func TestAppliesTo(t *testing.T) {
	tests := []struct {
		selector, target, platform string
		applies, known             bool
		why                        string
	}{
		{"", "", "linux-64", true, true, "no restriction"},
		{"", "", "emscripten-wasm32", true, true, "no restriction applies to any platform"},
		{"linux", "", "linux-64", true, true, ""},
		{"linux", "", "linux-aarch64", true, true, ""},
		{"linux", "", "osx-64", false, true, ""},
		{"linux64", "", "linux-64", true, true, ""},
		{"linux64", "", "linux-aarch64", false, true, ""},
		{"aarch64", "", "linux-aarch64", true, true, ""},
		{"aarch64", "", "osx-arm64", false, true, "aarch64 is linux only in conda-lock's table"},
		{"ppc64le", "", "linux-ppc64le", true, true, ""},
		{"osx", "", "osx-arm64", true, true, ""},
		{"osx64", "", "osx-64", true, true, ""},
		{"osx64", "", "osx-arm64", false, true, ""},
		{"arm64", "", "osx-arm64", true, true, ""},
		{"arm64", "", "linux-aarch64", false, true, "arm64 is osx-arm64 only in conda-lock's table"},
		{"unix", "", "osx-64", true, true, ""},
		{"unix", "", "linux-ppc64le", true, true, ""},
		{"unix", "", "win-64", false, true, ""},
		{"win", "", "win-64", true, true, ""},
		{"win64", "", "win-64", true, true, ""},
		{"win", "", "linux-64", false, true, ""},
		{"linux", "", "linux-armv7l", false, false, "conda-lock has no selector table for this platform"},
		{"win", "", "win-arm64", false, false, "conda-lock has no selector table for this platform"},
		{"not win", "", "linux-64", false, false, "an expression, which conda-lock cannot evaluate"},
		{"py>38", "", "linux-64", false, false, "not a platform selector"},
		{" linux ", "", "linux-64", false, false, "conda-lock does not trim"},
		{"", "linux-64", "linux-64", true, true, "pixi target platform"},
		{"", "linux-64", "linux-aarch64", false, true, ""},
		{"", "linux", "linux-aarch64", true, true, "pixi target selector"},
		{"", "osx", "osx-64", true, true, ""},
		{"", "win", "win-arm64", true, true, "pixi selectors cover every platform of the family"},
		{"", "unix", "osx-arm64", true, true, ""},
		{"", "unix", "linux-64", true, true, ""},
		{"", "unix", "win-64", false, true, ""},
		{"", "emscripten-wasm32", "emscripten-wasm32", true, true, "any platform name compares exactly"},
		{"", "windows", "win-64", false, false, "neither a platform nor a pixi selector"},
		{"osx", "osx-arm64", "osx-arm64", true, true, "both restrictions apply"},
		{"linux", "osx-arm64", "osx-arm64", false, true, "the selector excludes it first"},
	}
	for _, tt := range tests {
		r := Requirement{Selector: tt.selector, Platform: tt.target}
		applies, known := r.AppliesTo(tt.platform)
		if applies != tt.applies || known != tt.known {
			t.Errorf("selector %q target %q on %s = (%v, %v), want (%v, %v) %s",
				tt.selector, tt.target, tt.platform, applies, known, tt.applies, tt.known, tt.why)
		}
	}
}
