package pep440

import (
	"errors"
	"testing"
)

// containsTests are (specifier set, version, contains) triples. Rows without
// a reason follow pypa/packaging's tests/test_specifiers.py.
var containsTests = []struct {
	spec, version string
	want          bool
	reason        string
}{
	// ==
	{"==2", "2.0", true, "zero padding"},
	{"==2.0.0", "2.0", true, ""},
	{"==2.0", "2.0+deadbeef", true, "a specifier without a local label ignores the candidate's"},
	{"==2.0+deadbeef", "2.0+deadbeef", true, ""},
	{"==2+deadbeef", "2.0+deadbeef", true, ""},
	{"==2.0.0+deadbeef.00", "2.0+deadbeef.0", true, "numeric local labels compare as numbers"},
	{"==2.0+deadbeef", "2.0", false, "a specifier's local label must match"},
	{"==2.0+deadbeef", "2.0+cafe", false, ""},
	{"==2.0", "2.1", false, ""},
	{"==1.0", "1.0.post1", false, "a post release is another version"},
	{"==1.0", "1.0a1", false, ""},
	// == with a wildcard
	{"==2.*", "2.dev1", true, ""},
	{"==2.*", "2a1", true, ""},
	{"==2.*", "2c1.post1.dev1", true, ""},
	{"==2.0.*", "2", true, "2 is 2.0"},
	{"==2.0.0.*", "2", true, ""},
	{"==1.0.*", "1", true, "the candidate pads with zeros"},
	{"==2.*", "2.0.0", true, ""},
	{"==2.0.*", "2.0.0.0", true, ""},
	{"==2.1.*", "2.1+local.version", true, "local labels are ignored"},
	{"==2.0.*", "2.1", false, ""},
	{"==2.0.*", "2.1.0.0", false, ""},
	{"==3.12.2.*", "3.12.20", false, "components, not characters: 3.12.20 is not in 3.12.2"},
	{"==1.1.*", "1.10", false, ""},
	{"==2.0.*", "2.0.dev1", true, "a dev release of 2.0 starts with 2.0"},
	{"==0!2.*", "2", true, ""},
	// !=
	{"!=2", "2.1", true, ""},
	{"!=2.0", "2.0.1", true, ""},
	{"!=2.0+deadbeef", "2.0", true, ""},
	{"!=2.0", "2.0", false, ""},
	{"!=2", "2.0+deadbeef", false, ""},
	{"!=2.0.0+deadbeef.00", "2.0+deadbeef.0", false, ""},
	{"!=1.2.*", "1.2.3", false, ""},
	{"!=1.2.*", "1.2.post1", false, ""},
	{"!=1.2.*", "1.3", true, ""},
	{"!=2.0.*", "2.1.0.0", true, ""},
	{"!=3.*", "2.0", true, ""},
	{"!=2.*", "2rc1", false, ""},
	// >=
	{">=2", "2.0", true, ""},
	{">=2", "2.0.post1", true, ""},
	{">=2", "2.0.post1.dev1", true, ""},
	{">=3.0.0a7", "3.0.0a8", true, ""},
	{">=2", "2.0rc1", false, "a pre-release of 2.0 is below 2.0"},
	{">=2", "2.0.dev1", false, ""},
	{">=2", "1", false, ""},
	{">=1.0", "1.0+local", true, ""},
	{">=1.0", "2.0a1", true, "pre-releases are accepted"},
	// <=
	{"<=2", "2.0", true, ""},
	{"<=2", "2.0a1.dev1", true, ""},
	{"<=2", "2.0c1.post1.dev1", true, ""},
	{"<=2", "2.0+local", true, "<= ignores the candidate's local label"},
	{"<=3.0.0a8", "3.0.0a7", true, ""},
	{"<=2", "2.0.post1", false, ""},
	{"<=2", "3", false, ""},
	// >
	{">2", "3", true, ""},
	{">2.0", "2.1", true, ""},
	{">2", "2.1.post1", true, "a post release of a later version"},
	{">2", "2.1+local.version", true, ""},
	{">3.0.0a7", "3.0.0a8", true, ""},
	{">2", "2.0", false, ""},
	{">2", "2.0a1", false, ""},
	{">1.7", "1.7.post1", false, ">V rejects V's post releases"},
	{">1.7", "1.7.post1.dev1", false, ""},
	{">1.7", "1.7+abc", false, ">V rejects V's local versions"},
	{">1.7", "1.7.0.post2", false, "1.7.0 is 1.7"},
	{">1.7", "1.7.1", true, ""},
	{">1.7.post2", "1.7.post3", true, "V is a post release"},
	{">1.7.post2", "1.7.post2+local", false, "a local version of V is not above V"},
	{">1.7.post2", "1.7.post3.dev0", true, ""},
	{">1.0a1", "1.0a1.post0", false, "post releases of the pre-release itself"},
	{">1.0a1", "1.0.post0", true, "a post release of 1.0 is not one of 1.0a1"},
	{">1.0a1", "1.0a2.post0", true, "a post release of another pre-release"},
	{">1.0.dev1", "1.0+local", true, "1.0 is above 1.0.dev1"},
	{">1.0.dev1", "1.0.dev1+local", false, "a local version of V is not above V"},
	{">1.0.dev1", "1.0.dev2", true, ""},
	{">1.0.dev1", "1.0.post0", true, "a dev release has no post releases to exclude"},
	{">4.1.0a2.dev1234", "4.1.0a2.dev1235+local", true, "a local version of a later dev release"},
	{">2!0.1", "2!1.0", true, ""},
	// <
	{"<2", "1", true, ""},
	{"<2.1", "2.0.dev0", true, "a pre-release of an earlier version"},
	{"<3.0.0a8", "3.0.0a7", true, ""},
	{"<1.7", "1.7a1", false, "<V rejects V's pre-releases"},
	{"<1.7", "1.7.dev0", false, ""},
	{"<2", "2.post1", false, ""},
	{"<2", "2.0+local", false, ""},
	{"<1.7a2", "1.7a1", true, "V is a pre-release"},
	{"<1.7a2", "1.7a2.dev1", true, ""},
	{"<1.0.post1", "1.0a1", true, "1.0a1 is a pre-release of 1.0, not of 1.0.post1"},
	{"<1.0.post1", "1.0", true, ""},
	{"<1.0.post1", "1.0.post0.dev0", true, "a pre-release of 1.0.post0, not of 1.0.post1"},
	{"<1.0.post1", "1.0.post1.dev0", false, "a pre-release of 1.0.post1"},
	{"<1.0.post1", "1.0+local", true, ""},
	{"<0", "0.dev0", false, "nothing is below 0.dev0"},
	// ~=
	{"~=1.0", "1", true, ""},
	{"~=1.0", "1.0.1", true, ""},
	{"~=1.0", "1.9999999", true, ""},
	{"~=1.0a1", "1.1", true, ""},
	{"~=2022.01.01", "2022.01.01", true, "leading zeros"},
	{"~=2.2", "2.3", true, ""},
	{"~=2.2", "3.0", false, ""},
	{"~=2.2", "3.0.dev0", false, ""},
	{"~=1.0.0", "1.1.0", false, ""},
	{"~=1.0.0", "1.1.post1", false, ""},
	{"~=1.4.2", "1.4.3+local", true, ""},
	{"~=1.4.2", "1.5.0a1", false, ""},
	{"~=1.4.5a4", "1.4.6", true, "the pre-release is not a release number"},
	{"~=1.4.5a4", "1.4.5a3", false, ""},
	{"~=2.2.post3", "2.9", true, "the post release is not a release number"},
	{"~=2.2.post3", "2.2.post2", false, ""},
	{"~=2!1.0", "2!1.0", true, ""},
	{"~=2!1.0", "1.0", false, ""},
	{"~=1.0", "2!1.0", false, ""},
	// ===
	{"===1.0", "1.0", true, ""},
	{"===1.0", "1.0.0", false, "string equality: no zero padding"},
	{"===1.0", "1.0+downstream1", false, "no local versions"},
	{"===1.0.dev0", "1.0.DEV0", true, "case does not matter"},
	{"===1.01", "1.01", true, "the version as written"},
	{"===1.1", "1.01", false, "not the normalised form"},
	{"===v1.0", "  v1.0\n", true, "surrounding white space is not part of the version"},
	// epochs
	{"==2!1.0", "2!1.0", true, ""},
	{"!=1.0", "2!1.0", true, ""},
	{"<=2!0.1", "1.0", true, ""},
	{">=2.0", "2!1.0", true, ""},
	{"==1.0", "2!1.0", false, ""},
	{"==2!1.*", "1.0", false, ""},
	// sets
	{"", "1.0", true, "the empty set matches everything"},
	{"", "1.0a1+local", true, ""},
	{">=1.0,<2.0", "1.5", true, ""},
	{">=1.0,<2.0", "2.0", false, ""},
	{">=1.0, !=1.3.*, <2", "1.3.4", false, ""},
	{">=1.0, !=1.3.*, <2", "1.4", true, ""},
	{">=2.7,!=3.0.*,!=3.1.*,!=3.2.*", "3.12", true, "a real requires_python"},
	{">=2.7,!=3.0.*,!=3.1.*,!=3.2.*", "3.1.4", false, ""},
	{">=1.0,,<2", "1.5", true, "empty items are ignored"},
}

func TestContains(t *testing.T) {
	for _, tt := range containsTests {
		s, err := ParseSpecifiers(tt.spec)
		if err != nil {
			t.Errorf("ParseSpecifiers(%q): %v", tt.spec, err)
			continue
		}
		v, err := ParseVersion(tt.version)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.version, err)
			continue
		}
		if got := s.Contains(v); got != tt.want {
			t.Errorf("ParseSpecifiers(%q).Contains(%q) = %v, want %v (%s)", tt.spec, tt.version, got, tt.want, tt.reason)
		}
	}
}

func TestParseSpecifiersRejects(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		reason string
	}{
		{"2.0", 0, "no operator"},
		{"=>2.0", 0, "not an operator"},
		{"=2.0", 0, "conda's operator, not PEP 440's"},
		{"==", 2, "no version"},
		{">=1.0 <2.0", 5, "specifiers need commas"},
		{">=1.0||<2", 5, "no alternatives in PEP 440"},
		{"~=1.0+5", 2, "local label with ~="},
		{">=1.0+deadbeef", 2, ""},
		{"<=1.0+abc123", 2, ""},
		{">1.0+watwat", 1, ""},
		{"<1.0+1.0", 1, ""},
		{"~=1.0.*", 5, "wildcard with ~="},
		{">=1.0.*", 5, ""},
		{"<1.0.*", 4, ""},
		{"==1.0.*+5", 5, "wildcard before a local label"},
		{"!=1.0.*+deadbeef", 5, ""},
		{"==2.0a1.*", 2, "wildcard after a pre-release"},
		{"!=2.0.post1.*", 2, ""},
		{"==2.0.dev1.*", 2, ""},
		{"==1.0+5.*", 2, ""},
		{"==1.0.*.5", 5, "wildcard in the middle"},
		{"==1.*.*", 3, ""},
		{"~=1", 2, "~= needs two release numbers"},
		{"== 1. 0", 5, "white space inside the version"},
		{"==1.2+\u0130", 6, "non-ASCII letter in a local label"},
		{"===", 3, "=== needs text"},
		{"===a;b", 4, "=== stops at ;"},
		{"===a)", 4, ""},
		{">=1.0,foo", 6, "second item has no operator"},
		{"(>=1.0)", 0, "parentheses belong to requirements"},
		{">=1.0\xff", 5, "not UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseSpecifiers(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseSpecifiers(%q) error = %v, want a *SyntaxError (%s)", tt.in, err, tt.reason)
			continue
		}
		if se.Kind != "specifier" || se.Offset != tt.offset {
			t.Errorf("ParseSpecifiers(%q) error %v: kind %q offset %d, want specifier at %d (%s)",
				tt.in, err, se.Kind, se.Offset, tt.offset, tt.reason)
		}
	}
}

func TestSpecifiersString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"  ", ""},
		{">=1.0", ">=1.0"},
		{" >= 1.0 , < 2 ", ">=1.0,<2"},
		{"~=2.2,!=2.3.*", "~=2.2,!=2.3.*"},
		{"===foobar", "===foobar"},
		{"==v1.0A1", "==v1.0A1"},
		{">=1.0,,<2,", ">=1.0,<2"},
	}
	for _, tt := range tests {
		s, err := ParseSpecifiers(tt.in)
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q): %v", tt.in, err)
		}
		if got := s.String(); got != tt.want {
			t.Errorf("ParseSpecifiers(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSpecifiersExact(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		ok     bool
		reason string
	}{
		{"==1.2.3", "1.2.3", true, ""},
		{" == v01.0 ", "1.0", true, "== pins the normalised version"},
		{"==2.0+cpu", "2.0+cpu", true, ""},
		{"===1.01", "1.01", true, "=== pins the text as written"},
		{"===foobar", "foobar", true, ""},
		{">=1,==1.2", "1.2", true, "one pin among ranges"},
		{"==1.2.*", "", false, "a wildcard pins nothing"},
		{">=1.2", "", false, ""},
		{"", "", false, ""},
		{"==1.2,==1.3", "", false, "two pins"},
		{"!=1.2", "", false, ""},
	}
	for _, tt := range tests {
		s, err := ParseSpecifiers(tt.in)
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q): %v", tt.in, err)
		}
		got, ok := s.Exact()
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseSpecifiers(%q).Exact() = %q, %v; want %q, %v (%s)", tt.in, got, ok, tt.want, tt.ok, tt.reason)
		}
	}
}

// TestSpecifiersStringReparses checks that String gives a set that matches
// the same versions.
func TestSpecifiersStringReparses(t *testing.T) {
	versions := orderedVersions(t)
	for _, tt := range containsTests {
		s, err := ParseSpecifiers(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseSpecifiers(s.String())
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q) from String of %q: %v", s.String(), tt.spec, err)
		}
		for _, text := range versions {
			v, _ := ParseVersion(text)
			if s.Contains(v) != again.Contains(v) {
				t.Errorf("%q and its String %q disagree on %s", tt.spec, s.String(), text)
			}
		}
	}
	if n := len(containsTests); n < 80 {
		t.Fatalf("containsTests has %d rows, want at least 80", n)
	}
}
