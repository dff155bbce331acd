package conda

import (
	"slices"
	"strings"
	"testing"
)

// canonicalOrder is conda's documented VersionOrder example, strictly
// increasing.
var canonicalOrder = []string{
	"0.4", "0.4.1.rc", "0.4.1", "0.5a1", "0.5b3", "0.5", "0.9.6", "0.960923",
	"1.0", "1.1dev1", "1.1_", "1.1a1", "1.1.0dev1", "1.1.a1", "1.1.0rc1",
	"1.1.0", "1.1.0post1", "1.1post1", "1996.07.12", "1!0.4.1", "1!3.1.1.6",
	"2!0.4.1",
}

func mustVersion(t testing.TB, s string) Version {
	t.Helper()
	v, err := ParseVersion(s)
	if err != nil {
		t.Fatalf("ParseVersion(%q): %v", s, err)
	}
	return v
}

func TestCanonicalOrderPairwise(t *testing.T) {
	vs := make([]Version, len(canonicalOrder))
	for i, s := range canonicalOrder {
		vs[i] = mustVersion(t, s)
	}
	for i := range vs {
		for j := range vs {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := vs[i].Compare(vs[j]); got != want {
				t.Errorf("Compare(%q, %q) = %d, want %d", canonicalOrder[i], canonicalOrder[j], got, want)
			}
		}
	}
}

func TestCanonicalOrderSorts(t *testing.T) {
	// Interleave the list so that sorting has real work to do.
	var shuffled []Version
	for i := range canonicalOrder {
		k := (i*7 + 3) % len(canonicalOrder) // 7 is coprime with 22
		shuffled = append(shuffled, mustVersion(t, canonicalOrder[k]))
	}
	slices.SortFunc(shuffled, Version.Compare)
	var got []string
	for _, v := range shuffled {
		got = append(got, v.String())
	}
	if !slices.Equal(got, canonicalOrder) {
		t.Errorf("sorted = %v\nwant     %v", got, canonicalOrder)
	}
}

func TestVersionOrder(t *testing.T) {
	for _, tc := range []struct {
		lo, hi string
		reason string
	}{
		{"0.4", "0.4.1", ""},
		{"1.2.3", "1.2.10", "numbers compare numerically"},
		{"1.9", "1.10", "numbers compare numerically"},
		{"3.45.1", "3.53.0", "the sqlite/libsqlite outage pair"},
		{"3.51.2", "3.52.0", ""},
		{"2025b", "2025c", "tzdata: letters compare alphabetically"},
		{"2025c", "2025", "a letter suffix is a pre-release of the bare number"},
		{"2025c", "2026a", ""},
		{"3.1.20250104", "3.1.20250105", ""},
		{"9.0.2", "9.0.10", ""},
		{"1!2.0", "1!2.1", ""},
		{"2026.2.25", "1!2.0", "any epoch beats no epoch"},
		{"1.0a1", "1.0b1", ""},
		{"1.0b1", "1.0rc1", ""},
		{"1.0rc1", "1.0", ""},
		{"1.0", "1.0post1", ""},
		{"1.0dev", "1.0a", "dev sorts below every other string"},
		{"1.0dev1", "1.0.dev1", "dev in its own component is still above a dev suffix of 0"},
		{"1.0", "1.0.post1", ""},
		{"1.0.1", "1.0post1", "post beats every number in the same position"},
		{"1.1dev1", "1.1_", "a trailing '_' sorts just above dev"},
		{"1.1_", "1.1a1", "a trailing '_' sorts below every letter"},
		{"1.0.1_", "1.0.1", "a trailing '_' is a string, and strings sort below the implied 0"},
		{"1.0.1_", "1.0.1a", "'_' < 'a'"},
		{"1.0.1-", "1.0.1a", "'-' is the same trailing marker as '_'"},
		{"1.2.3+cuda118", "1.2.3", "a local part starting with letters sorts below none"},
		{"1.2.3", "1.2.3+1", "a numeric local part sorts above none"},
		{"1.2.3+1", "1.2.3+2", ""},
		{"1.2.3+cuda117", "1.2.3+cuda118", ""},
		{"1.2.3+zzz", "1.2.4", "the local part only breaks ties"},
		{"1.0alpha", "1.0beta", ""},
		{"1.0a", "1.0alpha", "a prefix string is smaller"},
		{"99999999999999999999999", "100000000000000000000000", "numbers are unbounded"},
		{"1.0", "1.0.0.0.1", ""},
		{"0.5a1", "0.5A2", "letters compare case-insensitively"},
		{"1.6.0dev0", "1.6.0a0", "dev slips below the a0 fence"},
		{"1.6.0a0", "1.6.0.dev0", "a dev component is above a letter suffix"},
	} {
		lo, hi := mustVersion(t, tc.lo), mustVersion(t, tc.hi)
		if got := lo.Compare(hi); got != -1 {
			t.Errorf("Compare(%q, %q) = %d, want -1 (%s)", tc.lo, tc.hi, got, tc.reason)
		}
		if got := hi.Compare(lo); got != 1 {
			t.Errorf("Compare(%q, %q) = %d, want 1 (%s)", tc.hi, tc.lo, got, tc.reason)
		}
	}
}

func TestVersionEqual(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		reason string
	}{
		{"1.1", "1.1.0", "missing components count as 0"},
		{"1.1", "1.1.0.0.0", "missing components count as 0"},
		{"1.1.a1", "1.1.0a1", "a component starting with a letter gets a 0 in front"},
		{"1.1.0dev1", "1.1.dev1", "a component starting with a letter gets a 0 in front"},
		{"1.1.0post1", "1.1.post1", "a component starting with a letter gets a 0 in front"},
		{"0.4.1.rc", "0.4.1.RC", "case-insensitive"},
		{"1.0A", "1.0a", "case-insensitive"},
		{"1.0DEV1", "1.0dev1", "dev is case-insensitive"},
		{"1.0a", "1.0a0", "a missing sub-component counts as 0"},
		{"01.002", "1.2", "leading zeros do not count"},
		{"0!1.2", "1.2", "the default epoch is 0"},
		{"1.2-3", "1.2_3", "'-' separates when there is no '_'"},
		{"1.2-3", "1.2.3", "'-' separates when there is no '_'"},
		{"1.0.1-", "1.0.1_", "a trailing '-' is a trailing '_'"},
		{"1.2", "1.2+0", "a local part of 0 equals none"},
		{"1.2+a.1", "1.2+a_1", "the local part splits on '.' and '_'"},
		{" 3.53.0 ", "3.53", "surrounding whitespace is ignored"},
		{"1__", "1._", "an empty component before the trailing '_'"},
	} {
		a, b := mustVersion(t, tc.a), mustVersion(t, tc.b)
		if got := a.Compare(b); got != 0 {
			t.Errorf("Compare(%q, %q) = %d, want 0 (%s)", tc.a, tc.b, got, tc.reason)
		}
		if got := b.Compare(a); got != 0 {
			t.Errorf("Compare(%q, %q) = %d, want 0 (%s)", tc.b, tc.a, got, tc.reason)
		}
		if got := Divergence(a, b); got != -1 {
			t.Errorf("Divergence(%q, %q) = %d, want -1", tc.a, tc.b, got)
		}
	}
}

func TestParseVersionValid(t *testing.T) {
	for _, s := range []string{
		"2026.2.25", "3.1.20250104", "6.5", "9.0.2", "1.0.8", "2025c", "0.4.6",
		"1!2.0", "1.2.3+cuda118", "1.0.1post.za", "1!1.2a.3-rc1", "1-2-3",
		"1_2_3_", "1.0.1-", "1--", "_", "a", "1.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
		"99999999999999999999999999999999", "0.0a0", "2.17", "3.0.a0",
	} {
		v, err := ParseVersion(s)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", s, err)
			continue
		}
		if v.String() != s {
			t.Errorf("ParseVersion(%q).String() = %q", s, v.String())
		}
	}
}

func TestParseVersionErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"", "empty version"},
		{"   ", "empty version"},
		{"1..2", "empty version component"},
		{".1", "empty version component"},
		{"1.", "empty version component"},
		{"1___", "empty version component"},
		{"1+", "empty local version component"},
		{"1+a_", "empty local version component"},
		{"1+a..b", "empty local version component"},
		{"+1", "missing release version"},
		{"1!", "missing release version"},
		{"!1", "epoch must be a number"},
		{"a!1", "epoch must be a number"},
		{"1+2!3", "epoch must be a number"},
		{"1!2!3", "more than one epoch separator"},
		{"1+2+3", "more than one local version separator"},
		{"1.2-3_4", "mixes '-' and '_'"},
		{"1_-", "mixes '-' and '_'"},
		{"1.2 3", "invalid character \" \""},
		{"1@2", "invalid character \"@\""},
		{"1.2$", "invalid character \"$\""},
		{"1.2.*", "'*' is a pattern"},
		{"1.2ü", "invalid character \"\\xc3\""},
		{"\x00", "invalid character \"\\x00\""},
		{strings.Repeat("1", MaxLength+1), "longer than 4096 bytes"},
	} {
		_, err := ParseVersion(tc.in)
		if err == nil {
			t.Errorf("ParseVersion(%q) succeeded, want error containing %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseVersion(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestParseVersionErrorIsClipped(t *testing.T) {
	_, err := ParseVersion(strings.Repeat("1.", 1000))
	if err == nil || len(err.Error()) > 200 {
		t.Fatalf("error = %v, want a short error", err)
	}
}

func TestDivergence(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		want   int
		reason string
	}{
		{"3.45.1", "3.53.0", 1, "minor"},
		{"3.45.1", "3.45.2", 2, "patch"},
		{"1.0", "2.0", 0, "major"},
		{"1!1.0", "1.0", 0, "an epoch change is major"},
		{"1.2.3.4", "1.2.3.5", 3, "fourth component"},
		{"1.2.3+a", "1.2.3+b", 3, "local part"},
		{"1.1", "1.1.0", -1, "equal"},
		{"2025b", "2025c", 0, "the first component holds the letter"},
		{"3.12", "3.12.0rc1", 2, "a missing component counts as 0"},
		{"1.26.4", "2.0.0", 0, ""},
		{"2.2.3", "2.2.3", -1, ""},
		{"3.1.20250104", "3.1.20250105", 2, ""},
	} {
		a, b := mustVersion(t, tc.a), mustVersion(t, tc.b)
		if got := Divergence(a, b); got != tc.want {
			t.Errorf("Divergence(%q, %q) = %d, want %d (%s)", tc.a, tc.b, got, tc.want, tc.reason)
		}
		if got := Divergence(b, a); got != tc.want {
			t.Errorf("Divergence(%q, %q) = %d, want %d (%s)", tc.b, tc.a, got, tc.want, tc.reason)
		}
	}
}

func TestZeroVersion(t *testing.T) {
	var zero Version
	if got := zero.Compare(mustVersion(t, "0")); got != 0 {
		t.Errorf("zero.Compare(0) = %d, want 0", got)
	}
	if got := zero.Compare(mustVersion(t, "0.0.1")); got != -1 {
		t.Errorf("zero.Compare(0.0.1) = %d, want -1", got)
	}
	if zero.String() != "" {
		t.Errorf("zero.String() = %q, want empty", zero.String())
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range canonicalOrder {
		f.Add(s, "1.0")
	}
	for _, s := range []string{
		"2026.2.25", "3.1.20250104", "2025c", "1!2.0", "1.2.3+cuda118", "1.0.1_",
		"1-2-3", "1__", "1.1.0post1", "1.0.1post.za", "0.0a0", "3.0.a0", "1..2",
		"1!2!3", "1+2+3", "_", "1.2-3_4",
	} {
		f.Add(s, "1.1.dev1")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		va, errA := ParseVersion(a)
		vb, errB := ParseVersion(b)
		if errA != nil || errB != nil {
			return
		}
		for _, v := range []Version{va, vb} {
			again, err := ParseVersion(v.String())
			if err != nil {
				t.Fatalf("ParseVersion(%q) failed on its own String: %v", v.String(), err)
			}
			if again.String() != v.String() || again.Compare(v) != 0 {
				t.Fatalf("ParseVersion(%q) does not round-trip", v.String())
			}
			if v.Compare(v) != 0 || Divergence(v, v) != -1 {
				t.Fatalf("%q does not equal itself", v.String())
			}
			if !v.hasPrefix(v) {
				t.Fatalf("%q does not start with itself", v.String())
			}
		}
		ab, ba := va.Compare(vb), vb.Compare(va)
		if ab != -ba || ab < -1 || ab > 1 {
			t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if (ab == 0) != (Divergence(va, vb) == -1) {
			t.Fatalf("Compare(%q, %q) = %d but Divergence = %d", a, b, ab, Divergence(va, vb))
		}
	})
}
