package pep440

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestParseVersionNormalizes(t *testing.T) {
	tests := []struct {
		in, want string
		reason   string
	}{
		{"1.0", "1.0", ""},
		{"1.0dev", "1.0.dev0", "implicit dev number"},
		{"1.0.dev", "1.0.dev0", ""},
		{"1.0-DEV1", "1.0.dev1", ""},
		{"1.0a", "1.0a0", "implicit pre-release number"},
		{"1.0.a1", "1.0a1", ""},
		{"1.0-alpha1", "1.0a1", ""},
		{"1.0ALPHA", "1.0a0", ""},
		{"1.0b", "1.0b0", ""},
		{"1.0.beta1", "1.0b1", ""},
		{"1.0-B1", "1.0b1", ""},
		{"1.0c", "1.0rc0", "c is rc"},
		{"1.0.c1", "1.0rc1", ""},
		{"1.0pre", "1.0rc0", "pre is rc"},
		{"1.0preview2", "1.0rc2", "preview is rc"},
		{"1.0-RC1", "1.0rc1", ""},
		{"1.0post", "1.0.post0", ""},
		{"1.0.POST1", "1.0.post1", ""},
		{"1.0r", "1.0.post0", "r is post"},
		{"1.0rev", "1.0.post0", "rev is post"},
		{"1.0.r1", "1.0.post1", ""},
		{"1.0-5", "1.0.post5", "implicit post release"},
		{"1.0-r5", "1.0.post5", ""},
		{"2.0b1-1", "2.0b1.post1", "implicit post release after a pre-release"},
		{"1.0-1.dev1", "1.0.post1.dev1", ""},
		{"1.0_post1", "1.0.post1", ""},
		{"1.0-post-1", "1.0.post1", ""},
		{"1.0+AbC", "1.0+abc", "local labels are lower-cased"},
		{"1.01", "1.1", "leading zeros go"},
		{"1.0a05", "1.0a5", ""},
		{"1.0c056", "1.0rc56", ""},
		{"1.0.post000", "1.0.post0", ""},
		{"1.1.dev09000", "1.1.dev9000", ""},
		{"00!1.2", "1.2", "a zero epoch is not written"},
		{"0100!0.0", "100!0.0", ""},
		{"v1.0", "1.0", "leading v"},
		{"V1!2", "1!2", "leading V before an epoch"},
		{"   v1.0\t\n", "1.0", "surrounding white space"},
		{"\u202f1.0\t\u2029\n ", "1.0", "Unicode white space around the version"},
		{"1!2.0.post1.dev3+abc.5", "1!2.0.post1.dev3+abc.5", ""},
		{"1.0+abc-5", "1.0+abc.5", "local separators become dots"},
		{"1.0+a_b-c.D", "1.0+a.b.c.d", ""},
		{"1.0+00", "1.0+0", "numeric local labels lose leading zeros"},
		{"1.0+1.01", "1.0+1.1", ""},
		{"1.0+007abc", "1.0+007abc", "an alphanumeric label keeps its zeros"},
		{"1.0a.", "1.0a0", "a separator may end a pre-release label"},
		{"1.0a..post1", "1.0a0.post1", "the label's trailing separator and the post separator"},
		{"1.0a_-1", "1.0a0.post1", "trailing separator, then an implicit post release"},
		{"1.0a1r2", "1.0a1.post2", ""},
		{"1.0rcdev", "1.0rc0.dev0", ""},
		{"1.0a.+abc", "1.0a0+abc", ""},
		{"1.0post-dev", "1.0.post0.dev0", ""},
		{"1.0-r", "1.0.post0", ""},
		{"1.0.0.0.0", "1.0.0.0.0", "trailing zeros are kept"},
		{"99999999999999999999999.1", "99999999999999999999999.1", "wider than 64 bits"},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v (%s)", tt.in, err, tt.reason)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("ParseVersion(%q).String() = %q, want %q (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}

func TestParseVersionRejects(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		reason string
	}{
		{"french toast", 0, "not a version"},
		{"", 0, "empty"},
		{"   ", 3, "blank"},
		{"v", 1, "v alone"},
		{"1.0+a+", 5, "two local separators"},
		{"1.0++", 4, ""},
		{"1.0+_foobar", 4, "a local label starts with an alphanumeric"},
		{"1.0+foo&asd", 7, ""},
		{"1.0+1+1", 5, ""},
		{"1.0+", 4, "empty local label"},
		{"1.0+abc.", 7, "local label ends with a separator"},
		{"1.0+\u0130", 4, "non-ASCII letter in a local label"},
		{"1. 0", 1, "space inside"},
		{"1 .0", 1, ""},
		{"1.0 a1", 3, ""},
		{"1.0a 1", 4, ""},
		{"1.0 +abc", 3, ""},
		{"v 1.0", 1, ""},
		{"٠١٢.٣٤٥.٦٧٨٩", 0, "only ASCII digits are numbers"},
		{".", 0, ""},
		{"..", 0, ""},
		{"1..0", 1, ""},
		{"1.0.", 3, "trailing dot"},
		{".1.0", 0, ""},
		{"1!", 2, "epoch without release"},
		{"!1", 0, ""},
		{"1.0-", 3, "a hyphen must lead to a number or a label"},
		{"1.0--1", 3, ""},
		{"1.0_1", 3, "implicit post releases take a hyphen only"},
		{"1_0", 1, ""},
		{"1.0-1-1", 5, ""},
		{"1.0a1a2", 5, "two pre-releases"},
		{"1.0.dev1.post1", 8, "post after dev"},
		{"1.0a1.dev1-1", 10, ""},
		{"1.0.*", 3, "wildcards belong to specifiers"},
		{"1.0\x00", 3, "NUL"},
		{"1.0\xff", 3, "not UTF-8"},
		{strings.Repeat("1.", 40000) + "1", maxInput, "longer than the input limit"},
	}
	for _, tt := range tests {
		_, err := ParseVersion(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseVersion(%.40q) error = %v, want a *SyntaxError (%s)", tt.in, err, tt.reason)
			continue
		}
		if se.Kind != "version" || se.Offset != tt.offset {
			t.Errorf("ParseVersion(%.40q) error %v: kind %q offset %d, want version at %d (%s)",
				tt.in, err, se.Kind, se.Offset, tt.offset, tt.reason)
		}
		if len(se.Text) > quoteLimit+len("...") {
			t.Errorf("ParseVersion(%.40q) error repeats %d bytes of input", tt.in, len(se.Text))
		}
	}
}

func TestSyntaxErrorMessage(t *testing.T) {
	_, err := ParseVersion("1.0 a1")
	want := `invalid version "1.0 a1": unexpected ' ' (at byte 3)`
	if err == nil || err.Error() != want {
		t.Errorf("ParseVersion(\"1.0 a1\") error = %v, want %s", err, want)
	}
}

// orderedVersions reads testdata/ordered-versions.txt.
func orderedVersions(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open("testdata/ordered-versions.txt")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestVersionOrder(t *testing.T) {
	texts := orderedVersions(t)
	if len(texts) < 100 {
		t.Fatalf("testdata/ordered-versions.txt has %d versions, want at least 100", len(texts))
	}
	vs := make([]Version, len(texts))
	for i, s := range texts {
		v, err := ParseVersion(s)
		if err != nil {
			t.Fatalf("ParseVersion(%q): %v", s, err)
		}
		vs[i] = v
	}
	for i := range vs {
		for j := range vs {
			want := cmpInt(i, j)
			if got := vs[i].Compare(vs[j]); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", texts[i], texts[j], got, want)
			}
		}
	}
}

func TestVersionEqualSpellings(t *testing.T) {
	tests := []struct {
		a, b   string
		reason string
	}{
		{"1.0", "1.0.0", "missing release numbers are zero"},
		{"1", "1.0.0.0", ""},
		{"0!1.0", "1.0", "epoch zero is the default"},
		{"1.0rc1", "1.0c1", ""},
		{"1.0a1", "1.0.alpha.1", ""},
		{"1.0.post0", "1.0-0", ""},
		{"1.0+deadbeef.0", "1.0.0+deadbeef.00", "numeric local labels compare as numbers"},
		{"1.0+ABC", "1.0+abc", ""},
		{"1.0+a-b", "1.0+a.b", ""},
		{"v1.0", "1.0", ""},
	}
	for _, tt := range tests {
		a, errA := ParseVersion(tt.a)
		b, errB := ParseVersion(tt.b)
		if errA != nil || errB != nil {
			t.Fatalf("parse %q, %q: %v, %v", tt.a, tt.b, errA, errB)
		}
		if a.Compare(b) != 0 || b.Compare(a) != 0 {
			t.Errorf("%q and %q compare unequal (%s)", tt.a, tt.b, tt.reason)
		}
		if d := Divergence(a, b); d != -1 {
			t.Errorf("Divergence(%q, %q) = %d, want -1", tt.a, tt.b, d)
		}
	}
}

func TestIsPrerelease(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"1.0", false},
		{"1.0a1", true},
		{"1.0b2", true},
		{"1.0rc1", true},
		{"1.0.dev1", true},
		{"1.0.post1", false},
		{"1.0.post1.dev1", true},
		{"1.0a1.post1", true},
		{"1.0+dev", false},
		{"1!2.0", false},
	}
	for _, tt := range tests {
		v, err := ParseVersion(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := v.IsPrerelease(); got != tt.want {
			t.Errorf("ParseVersion(%q).IsPrerelease() = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDivergence(t *testing.T) {
	tests := []struct {
		a, b   string
		want   int
		reason string
	}{
		{"1.0", "2.0", 0, "major"},
		{"2.0", "1.9.9", 0, ""},
		{"1!1.0", "1.0", 0, "epochs differ"},
		{"1.2", "1.3", 1, "minor"},
		{"1.2.3", "1.2.4", 2, "patch"},
		{"1.2", "1.2.1", 2, "1.2 is 1.2.0"},
		{"1.2.3.4", "1.2.3.5", 3, "fourth release number"},
		{"1.2.3.4.5", "1.2.3.4.6", 3, "fifth release number"},
		{"1.2.3a1", "1.2.3", 3, "pre-release"},
		{"1.2.3", "1.2.3.post1", 3, "post release"},
		{"1.2.3.dev1", "1.2.3.dev2", 3, "dev release"},
		{"1.2.3+a", "1.2.3+b", 3, "local label"},
		{"1.2.3", "1.2.3", -1, "equal"},
		{"3.53.0", "3.53", -1, "equal after zero padding"},
		{"18446744073709551616", "18446744073709551617", 0, "wide numbers"},
	}
	for _, tt := range tests {
		a, errA := ParseVersion(tt.a)
		b, errB := ParseVersion(tt.b)
		if errA != nil || errB != nil {
			t.Fatalf("parse %q, %q: %v, %v", tt.a, tt.b, errA, errB)
		}
		if got := Divergence(a, b); got != tt.want {
			t.Errorf("Divergence(%q, %q) = %d, want %d (%s)", tt.a, tt.b, got, tt.want, tt.reason)
		}
		if got := Divergence(b, a); got != tt.want {
			t.Errorf("Divergence(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}
