package pep440

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// corpusFields returns the geodepot pixi.lock's requires_dist entries,
// requires_python specifiers and versions, or nothing when the corpus is
// absent.
func corpusFields(f *testing.F) (requiresDist, requiresPython, versions []string) {
	path := fixtures.CorpusSeed(f, "geodepot/pixi.lock")
	if path == "" {
		return nil, nil, nil
	}
	return pixiLockFields(f, path)
}

// checkSyntaxError fails unless err is a *SyntaxError of kind pointing
// inside input.
func checkSyntaxError(t *testing.T, err error, kind, input string) {
	t.Helper()
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
	}
	if se.Kind != kind || se.Offset < 0 || se.Offset > len(input) {
		t.Fatalf("error %v: kind %q, offset %d outside [0, %d]", err, se.Kind, se.Offset, len(input))
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range orderedVersions(f) {
		f.Add(s)
	}
	_, _, versions := corpusFields(f)
	for _, s := range versions {
		f.Add(s)
	}
	for _, s := range []string{"v1.0a.", "1.0a_-1", "1.0-1.dev1", " 1!2.0.post1.dev3+abc-5 ", "1.0+\u0130", "1.0\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			checkSyntaxError(t, err, "version", s)
			return
		}
		norm := v.String()
		w, err := ParseVersion(norm)
		if err != nil {
			t.Fatalf("ParseVersion(%q) gives %q, which does not parse: %v", s, norm, err)
		}
		if v.Compare(w) != 0 || w.Compare(v) != 0 || Divergence(v, w) != -1 {
			t.Fatalf("ParseVersion(%q) and its normalised form %q differ", s, norm)
		}
		if w.String() != norm {
			t.Fatalf("normalising %q twice: %q then %q", s, norm, w.String())
		}
		if v.IsPrerelease() != w.IsPrerelease() {
			t.Fatalf("%q and %q disagree on IsPrerelease", s, norm)
		}
	})
}

func FuzzParseSpecifiers(f *testing.F) {
	for _, tt := range containsTests {
		f.Add(tt.spec)
	}
	_, requiresPython, _ := corpusFields(f)
	for _, s := range requiresPython {
		f.Add(s)
	}
	for _, s := range []string{"~=1.4.5a4", ">1.7.post2", "<1.0.post1", "==1.0.*+5", "===a)", " >= 1.0 ,, < 2 "} {
		f.Add(s)
	}
	var probes []Version
	for _, text := range orderedVersions(f) {
		v, err := ParseVersion(text)
		if err != nil {
			f.Fatal(err)
		}
		probes = append(probes, v)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := ParseSpecifiers(s)
		if err != nil {
			checkSyntaxError(t, err, "specifier", s)
			return
		}
		again, err := ParseSpecifiers(set.String())
		if err != nil {
			t.Fatalf("ParseSpecifiers(%q).String() = %q does not parse: %v", s, set.String(), err)
		}
		if again.String() != set.String() {
			t.Fatalf("String of %q is not stable: %q then %q", s, set.String(), again.String())
		}
		for _, v := range probes {
			if set.Contains(v) != again.Contains(v) {
				t.Fatalf("%q and its String %q disagree on %s", s, set.String(), v)
			}
		}
		if pin, ok := set.Exact(); ok && !strings.Contains(set.String(), "===") {
			if _, err := ParseVersion(pin); err != nil {
				t.Fatalf("ParseSpecifiers(%q).Exact() = %q, not a version: %v", s, pin, err)
			}
		}
	})
}

func FuzzParseRequirement(f *testing.F) {
	for _, line := range fixtureLines(f, "testdata/requirements.txt") {
		f.Add(line)
	}
	requiresDist, _, _ := corpusFields(f)
	for _, line := range requiresDist {
		f.Add(line)
	}
	for _, s := range []string{"name @ http://x.org;v=1 ; os_name == 'nt'", "foo[]", "name (>=1", "näme"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		req, err := ParseRequirement(s)
		if err != nil {
			checkSyntaxError(t, err, "requirement", s)
			return
		}
		if req.Name == "" || NormalizeName(req.Name) != req.Name {
			t.Fatalf("ParseRequirement(%q).Name = %q, not a normalised name", s, req.Name)
		}
		if !slices.IsSorted(req.Extras) || len(slices.Compact(slices.Clone(req.Extras))) != len(req.Extras) {
			t.Fatalf("ParseRequirement(%q).Extras = %q, not sorted and unique", s, req.Extras)
		}
		for _, e := range req.Extras {
			if e == "" || NormalizeName(e) != e {
				t.Fatalf("ParseRequirement(%q) has extra %q, not a normalised name", s, e)
			}
		}
		if req.URL != "" && req.Specifiers.String() != "" {
			t.Fatalf("ParseRequirement(%q) has both a URL and specifiers", s)
		}
		if _, err := ParseSpecifiers(req.Specifiers.String()); err != nil {
			t.Fatalf("specifiers of %q: String %q does not parse: %v", s, req.Specifiers, err)
		}
		if !req.Marker.IsZero() {
			if m, err := ParseMarker(req.Marker.String()); err != nil || m.String() != req.Marker.String() {
				t.Fatalf("marker of %q: String %q does not reparse to itself: %v", s, req.Marker, err)
			}
		}
	})
}

func FuzzParseMarker(f *testing.F) {
	lines := fixtureLines(f, "testdata/requirements.txt")
	requiresDist, _, _ := corpusFields(f)
	for _, line := range append(lines, requiresDist...) {
		if _, marker, ok := strings.Cut(line, ";"); ok {
			f.Add(marker)
		}
	}
	for _, s := range []string{
		"'3.8' <= python_version", "platform_machine ~= 'x86'", "os.name == 'posix' or extra == 'Dev_Tools'",
		"python_version > python_full_version", "(((os_name == 'a')))", "sys_platform not in 'linux'",
	} {
		f.Add(s)
	}
	envs := []map[string]string{linuxEnv, envWith("extra", "dev"), envWith("python_version", "3.9", "sys_platform", "win32", "extra", "")}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMarker(s)
		if err != nil {
			checkSyntaxError(t, err, "marker", s)
			return
		}
		if m.IsZero() {
			t.Fatalf("ParseMarker(%q) succeeded with the zero Marker", s)
		}
		again, err := ParseMarker(m.String())
		if err != nil {
			t.Fatalf("ParseMarker(%q).String() = %q does not parse: %v", s, m.String(), err)
		}
		if again.String() != m.String() {
			t.Fatalf("String of %q is not stable: %q then %q", s, m.String(), again.String())
		}
		for _, env := range envs {
			r1, ok1 := m.Evaluate(env)
			r2, ok2 := again.Evaluate(env)
			if r1 != r2 || ok1 != ok2 {
				t.Fatalf("%q and its String %q evaluate differently", s, m.String())
			}
		}
	})
}
