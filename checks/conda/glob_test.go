package conda

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// globRegexp is the regular expression conda compiles a build glob into,
// except that '*' also matches newlines.
func globRegexp(glob string) *regexp.Regexp {
	return regexp.MustCompile("(?s)^(?:" + strings.ReplaceAll(regexp.QuoteMeta(glob), `\*`, ".*") + ")$")
}

func TestMatchGlobHostile(t *testing.T) {
	long := strings.Repeat("a", 1<<20)
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{strings.Repeat("*a", 2000) + "*b", long, false},
		{strings.Repeat("*a", 2000) + "*", long, true},
		{strings.Repeat("a*", 2000) + "a", long, true},
		{"*" + strings.Repeat("a", 3000) + "b*", long, false},
	} {
		if got := matchGlob(tc.pattern, tc.s); got != tc.want {
			t.Errorf("matchGlob(%.20q..., %d bytes) = %v, want %v", tc.pattern, len(tc.s), got, tc.want)
		}
	}
}

func FuzzMatchBuild(f *testing.F) {
	for _, tc := range [][2]string{
		{"*_cp312", "py312h_cp312"}, {"a*b*c", "abxbyc"}, {"a*b*c", "acb"}, {"6*_openblas", "6_h51639a9_openblas"},
		{"h0c1763c_0", "h0c1763c_0"}, {"*a*a", "aa"}, {"**", ""}, {"a*", "b"},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, glob, build string) {
		if len(glob) > 64 || len(build) > 256 || !utf8.ValidString(glob) || !utf8.ValidString(build) {
			return // the reference regexp is slow on long inputs and needs UTF-8
		}
		want := glob == "" || globRegexp(glob).MatchString(build)
		if got := MatchBuild(glob, build); got != want {
			t.Fatalf("MatchBuild(%q, %q) = %v, conda's regexp says %v", glob, build, got, want)
		}
	})
}
