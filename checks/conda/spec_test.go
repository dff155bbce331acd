package conda

import (
	"strings"
	"testing"
)

func mustSpec(t testing.TB, s string) Spec {
	t.Helper()
	spec, err := ParseSpec(s)
	if err != nil {
		t.Fatalf("ParseSpec(%q): %v", s, err)
	}
	return spec
}

func TestSpecMatch(t *testing.T) {
	for _, tc := range []struct {
		spec, version string
		want          bool
		reason        string
	}{
		// Match-all forms.
		{"", "1.2.3", true, "the empty spec matches everything"},
		{"*", "0", true, ""},
		{"  ", "1!2.0", true, "whitespace is empty"},
		{">=*", "0.0.1", true, "rattler reads >=* as any"},
		{"==*", "7", true, "rattler reads ==* as any"},
		{"=*", "7", true, ""},

		// A bare version is equality with zero padding.
		{"3.53", "3.53.0", true, "zero padding"},
		{"3.53.0", "3.53", true, "zero padding"},
		{"3.53", "3.53.1", false, ""},
		{"3.51.2", "3.51.2", true, "pixi writes bare exact versions"},
		{"3.45.1", "3.53.0", false, "outage: sqlite pins libsqlite 3.45.1, the lock had 3.53.0"},
		{"==3.45.1", "3.45.1", true, ""},
		{"==3.45.1", "3.45.1.0", true, "zero padding"},
		{"==1.2.3", "1.2.3+cuda118", false, "the local part takes part in equality"},

		// Comparisons.
		{">=3.9", "3.10", true, "numeric, not lexical"},
		{">=3.9", "3.9", true, ""},
		{">=3.9", "3.8.18", false, ""},
		{">= 1.2", "1.2", true, "whitespace between operator and version"},
		{"> 1.2", "1.2.0", false, "1.2.0 == 1.2"},
		{"<2", "1.99", true, ""},
		{"<2", "2.0a1", true, "a pre-release of 2 sorts below 2"},
		{"<=2", "2.0.0", true, ""},
		{"!=1.2", "1.2.0", false, "zero padding"},
		{"!=1.2", "1.2.1", true, ""},
		{">=2", "1!2.0", true, "the epoch dominates"},
		{"<3", "1!2.0", false, "the epoch dominates"},

		// Ranges as conda-lock and pixi write them.
		{">=1.5.7,<1.6.0a0", "1.5.7", true, ""},
		{">=1.5.7,<1.6.0a0", "1.5.99", true, ""},
		{">=1.5.7,<1.6.0a0", "1.6.0", false, ""},
		{">=1.5.7,<1.6.0a0", "1.6.0rc1", false, "rc sorts above a0"},
		{">=1.5.7,<1.6.0a0", "1.6.0a0", false, ""},
		{">=1.5.7,<1.6.0a0", "1.6.0dev0", true, "dev sorts below a0, so it slips under the fence"},
		{">=1.5.7,<1.6.0a0", "1.5.6", false, ""},
		{">=3.9.0,<4.0a0", "3.11.0", true, "numpy's libblas constraint against the locked libblas"},
		{">=2.17,<3.0.a0", "2.39", true, "__glibc in pixi.lock"},
		{">=2.17,<3.0.a0", "3.0", false, ""},
		{"<0.0a0", "0.0.1", false, "<0.0a0 forbids every release"},
		{"<0.0a0", "0", false, ""},
		{"<0.0a0", "0.0dev0", true, "only a dev of 0.0 sorts below 0.0a0"},
		{">=2.7,<3|>=3.5", "2.7.18", true, "from conda-lock"},
		{">=2.7,<3|>=3.5", "3.4", false, "from conda-lock"},
		{">=2.7,<3|>=3.5", "3.12", true, "from conda-lock"},

		// Component-wise prefixes.
		{"3.12.2.*", "3.12.20", false, "\"3.12.20\" does not start with \"3.12.2\" component-wise"},
		{"3.12.2.*", "3.12.2", true, ""},
		{"3.12.2.*", "3.12.2.1", true, ""},
		{"3.12.*", "3.12.11", true, ""},
		{"3.12.*", "3.13.0", false, ""},
		{"3.12.*", "3.12a1", true, "a pre-release of 3.12 shares the component"},
		{"3.12.*", "3.1", false, ""},
		{"1.0.*", "1", true, "a missing component counts as 0"},
		{"=3.11", "3.11.4", true, "python=3.11 means 3.11.x"},
		{"=3.11", "3.11", true, "and 3.11 itself"},
		{"=3.11", "3.110", false, "component-wise"},
		{"=3.11", "3.1", false, ""},
		{"=3.11", "1!3.11", false, "the epoch is the first component"},
		{"3.1*", "3.10", false, "X* is X.*: component-wise, not a string prefix"},
		{"3.1*", "3.1.5", true, "X* is X.*"},
		{"1.1a*", "1.1alpha", true, "the last letters compare as a string prefix"},
		{"1.1a*", "1.1b", false, ""},
		{"1.0dev*", "1.0dev5", true, ""},
		{"1.0d*", "1.0dev5", false, "conda upper-cases dev internally, so 'd' is no prefix of it"},
		{"1.2.3.*", "1.2.3+cuda118", true, "a prefix without a local part ignores the local part"},
		{"1.2.3+cuda.*", "1.2.3+cuda118", true, "a prefix with a local part matches in the local part"},
		{"1.2.3+cuda.*", "1.2.4+cuda118", false, "and requires the release to be equal"},
		{"2.0.*", "2.0.1", true, ""},
		{"22.1.2|22.1.2.*", "22.1.2.1", true, "openmp in pixi.lock"},
		{"22.1.2|22.1.2.*", "22.1.20", false, ""},
		{"=1.2*", "1.2.9", true, "rattler reads =X* as =X; conda would compare against the text \"1.2*\""},

		// Negated prefixes.
		{"!=1.2.*", "1.2.5", false, ""},
		{"!=1.2.*", "1.3", true, ""},
		{"!=1.2.*", "1.20", true, "component-wise"},
		{"!=1.2*", "1.2.1", false, "!=X* is !=X.*"},

		// A '.*' after a range operator, as conda reads it.
		{">=1.2.*", "1.2", true, "conda drops the .* after >="},
		{">=1.2.*", "1.1.9", false, ""},
		{">1.2.*", "1.2.0", false, "conda drops the .* after >: >1.2 (rattler would read >=1.2)"},
		{">1.2.*", "1.2.1", true, ""},
		{"<2.*", "2.0", false, "conda drops the .* after <"},
		{"<=2.*", "2.0.0", true, ""},
		{"<=2.*", "2.0.1", false, "conda drops the .* after <=: <=2, not <3"},
		{"==1.2.*", "1.2.0", true, "conda drops the .* after ==: ==1.2"},
		{"==1.2.*", "1.2.1", false, "==1.2.* is ==1.2, not a prefix"},

		// Compatible release.
		{"~=1.2.3", "1.2.3", true, ""},
		{"~=1.2.3", "1.2.9", true, ""},
		{"~=1.2.3", "1.3.0", false, ""},
		{"~=1.2.3", "1.2.2", false, ""},
		{"~=5.0", "5.9", true, "~=5.0 is >=5.0,5.*"},
		{"~=5.0", "6.0", false, ""},
		{"~=5.0", "4.9", false, ""},
		{"~=1.22", "1.30", true, "~=1.22 is >=1.22,1.*"},
		{"~= 1.2.3", "1.2.4", true, "whitespace after ~="},

		// Globs inside the version, matched against the text as conda's regex does.
		{"1.*.3", "1.2.3", true, ""},
		{"1.*.3", "1.2.4", false, ""},
		{"1.*.3", "1.2.2.3", true, "'*' crosses dots"},
		{"2023.*.*", "2023.1.0", true, "mkl in anaconda's repodata"},
		{"2023.*.*", "2023.1", false, "conda's regex needs two more dots; rattler would read 2023.*"},
		{"*.*", "1.0", true, "conda's regex needs a dot"},
		{"*.*", "1", false, "conda's regex needs a dot"},
		{"*1", "2.1", true, ""},

		// Precedence: ',' binds tighter than '|'.
		{">=1,<2|>=3", "1.5", true, ""},
		{">=1,<2|>=3", "2.5", false, ""},
		{">=1,<2|>=3", "3.1", true, ""},
		{">=1|<0.5,<2", "2.5", true, "(>=1)|(<0.5,<2)"},
		{"(>=1|<0.5),<2", "2.5", false, "parentheses group the OR first"},
		{"(>=1|<0.5),<2", "0.4", true, ""},
		{"(>=1|<0.5),<2", "0.7", false, ""},
		{"1.5|(1.6|1.7),1.8,1.9|2.0|2.1", "1.7", false, "conda's treeify example: the AND needs 1.8 and 1.9 too"},
		{"1.5|(1.6|1.7),1.8,1.9|2.0|2.1", "2.1", true, ""},
		{"((1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1", "1.5", true, "conda's treeify example"},
		{" ( >=1 , <2 ) | ( >=3 , <4 ) ", "3.5", true, "whitespace everywhere"},
		{" ( >=1 , <2 ) | ( >=3 , <4 ) ", "2.5", false, ""},
		{">=1.2,<2,!=1.5", "1.5.0", false, ""},
		{">=1.2,<2,!=1.5", "1.5.1", true, ""},
	} {
		spec := mustSpec(t, tc.spec)
		v := mustVersion(t, tc.version)
		if got := spec.Match(v); got != tc.want {
			t.Errorf("ParseSpec(%q).Match(%q) = %v, want %v (%s)", tc.spec, tc.version, got, tc.want, tc.reason)
		}
	}
}

func TestParseSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{">=", "missing version after \">=\""},
		{">= ", "missing version after \">=\""},
		{"=>1.2", "unknown operator \"=>\""},
		{"<>1.2", "unknown operator \"<>\""},
		{"===1.2", "unknown operator \"===\""},
		{"~1.2", "unknown operator \"~\""},
		{"!1.2", "unknown operator \"!\""},
		{">=1..2", "empty version component"},
		{"1.2,", "missing constraint"},
		{",1.2", "missing constraint"},
		{"1.2||1.3", "missing constraint"},
		{"()", "missing constraint"},
		{"(1.2", "missing ')'"},
		{"1.2)", "unexpected \")\""},
		{"1.2(", "unexpected \"(\""},
		{"1.2 3", "invalid character \" \""},
		{">=1.2 <2", "invalid character \" \""},
		{"^1\\.2.*$", "regular expressions are not supported"},
		{"1.2$", "regular expressions are not supported"},
		{"~=1", "at least two components"},
		{"~=1.2.*", "'~=' cannot take a '.*' suffix"},
		{"!=*", "cannot take '*'"},
		{"<*", "cannot take '*'"},
		{">1.*.3", "'*' is a pattern"},
		{"1.2**", "more than one trailing '*'"},
		{"**", "more than one trailing '*'"},
		{".*", "empty version"},
		{"1.*.3 x", "invalid character \" \" in pattern"},
		{"1.2@foo", "invalid character \"@\""},
		{strings.Repeat("(", MaxDepth+1) + "1" + strings.Repeat(")", MaxDepth+1), "nested deeper than 32"},
		{strings.Repeat("1|", MaxLength), "longer than 4096 bytes"},
	} {
		_, err := ParseSpec(tc.in)
		if err == nil {
			t.Errorf("ParseSpec(%q) succeeded, want error containing %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseSpec(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestParseSpecDepthLimit(t *testing.T) {
	in := strings.Repeat("(", MaxDepth) + "1" + strings.Repeat(")", MaxDepth)
	spec := mustSpec(t, in)
	if got := spec.String(); got != "1" {
		t.Errorf("String() = %q, want %q", got, "1")
	}
}

func TestSpecString(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"", "*"},
		{"*", "*"},
		{"3.51.2", "3.51.2"},
		{">= 1.2", ">=1.2"},
		{" >=1.5.7 , <1.6.0a0 ", ">=1.5.7,<1.6.0a0"},
		{"1.2 | 1.3", "1.2|1.3"},
		{"(1.2|1.3),>=1.3", "(1.2|1.3),>=1.3"},
		{"1.2,1.3|>=1.3", "1.2,1.3|>=1.3"},
		{"(1.2,1.3)|>=1.3", "1.2,1.3|>=1.3"},
		{"((1.2))", "1.2"},
		{"(>=1,<2),!=1.5", ">=1,<2,!=1.5"},
		{"1.5|(1.6|1.7),1.8,1.9|2.0|2.1", "1.5|(1.6|1.7),1.8,1.9|2.0|2.1"},
		{"3.1*", "3.1*"},
		{"~= 1.2.3", "~=1.2.3"},
		{">= *", ">=*"},
		{"1.*.3", "1.*.3"},
	} {
		spec := mustSpec(t, tc.in)
		got := spec.String()
		if got != tc.want {
			t.Errorf("ParseSpec(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
		if again := mustSpec(t, got).String(); again != got {
			t.Errorf("ParseSpec(%q).String() = %q, not stable", got, again)
		}
	}
}

func TestSpecExact(t *testing.T) {
	for _, tc := range []struct {
		in     string
		want   string
		ok     bool
		reason string
	}{
		{"3.45.1", "3.45.1", true, ""},
		{"==3.45.1", "3.45.1", true, ""},
		{"== 3.45.1", "3.45.1", true, ""},
		{"1!2.0+cuda", "1!2.0+cuda", true, ""},
		{"3.45.*", "", false, "a prefix"},
		{"=3.45", "", false, "a prefix"},
		{"==3.45.*", "", false, "conda reads ==3.45, but the author wrote a pattern"},
		{">=3.45.1", "", false, ""},
		{">=3.45.1,<3.46", "", false, ""},
		{"3.45.1|3.45.2", "", false, ""},
		{"3.45.1,3.45.1", "", false, "only a single constraint is exact"},
		{"!=3.45.1", "", false, ""},
		{"", "", false, ""},
		{"*", "", false, ""},
	} {
		got, ok := mustSpec(t, tc.in).Exact()
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseSpec(%q).Exact() = %q, %v, want %q, %v (%s)", tc.in, got, ok, tc.want, tc.ok, tc.reason)
		}
	}
}

func TestZeroSpecMatchesAll(t *testing.T) {
	var zero Spec
	for _, s := range []string{"0", "1!2.0", "3.53.0", "1.0dev0"} {
		if !zero.Match(mustVersion(t, s)) {
			t.Errorf("zero Spec does not match %q", s)
		}
	}
	if !zero.Match(Version{}) {
		t.Error("zero Spec does not match the zero Version")
	}
	if got := zero.String(); got != "*" {
		t.Errorf("zero.String() = %q, want \"*\"", got)
	}
}

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{
		">=3.9", ">=1.5.7,<1.6.0a0", "3.12.*", ">=2.17,<3.0.a0", "<0.0a0", "3.51.2",
		"", "*", ">=2.7,<3|>=3.5", "22.1.2|22.1.2.*", "~=1.2.3", "!=1.2.*", ">= 1.2",
		"(>=1|<0.5),<2", "1.*.3", "2023.*.*", "1!164.3095", "1.2.3+cuda118", "3.1*",
		">=1.2.*", "==*", "((1.5|((1.6|1.7), 1.8), 1.9 |2.0))|2.1", "^1.2$", "~=1",
	} {
		f.Add(s, "1.2.3")
	}
	f.Fuzz(func(t *testing.T, s, version string) {
		spec, err := ParseSpec(s)
		if err != nil {
			return
		}
		text := spec.String()
		again, err := ParseSpec(text)
		if err != nil {
			t.Fatalf("ParseSpec(%q) parsed, but its String %q does not: %v", s, text, err)
		}
		if again.String() != text {
			t.Fatalf("ParseSpec(%q).String() = %q, then %q", s, text, again.String())
		}
		if exact, ok := spec.Exact(); ok {
			v, err := ParseVersion(exact)
			if err != nil || !spec.Match(v) {
				t.Fatalf("ParseSpec(%q).Exact() = %q, which it does not match", s, exact)
			}
		}
		v, err := ParseVersion(version)
		if err != nil {
			return
		}
		if spec.Match(v) != again.Match(v) {
			t.Fatalf("ParseSpec(%q) and ParseSpec(%q) disagree on %q", s, text, version)
		}
	})
}
