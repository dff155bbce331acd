package pep440

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// pixiLockFields scans a pixi.lock line by line and returns the values of
// its package-level "requires_dist" list items, "requires_python" and
// "version" fields, with YAML single quotes removed.
func pixiLockFields(tb testing.TB, path string) (requiresDist, requiresPython, versions []string) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	inList := false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "  requires_dist:":
			inList = true
		case inList && strings.HasPrefix(line, "  - "):
			requiresDist = append(requiresDist, yamlScalar(line[len("  - "):]))
		default:
			inList = false
			if v, ok := strings.CutPrefix(line, "  requires_python: "); ok {
				requiresPython = append(requiresPython, yamlScalar(v))
			}
			if v, ok := strings.CutPrefix(line, "  version: "); ok {
				versions = append(versions, yamlScalar(v))
			}
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return requiresDist, requiresPython, versions
}

// yamlScalar undoes YAML single quoting of a plain one-line scalar.
func yamlScalar(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

func geodepotLock(tb testing.TB) string {
	tb.Helper()
	return fixtures.CorpusPath(tb, "geodepot/pixi.lock")
}

func TestCorpusPixiLockRequiresDist(t *testing.T) {
	requiresDist, requiresPython, versions := pixiLockFields(t, geodepotLock(t))
	if len(requiresDist) != 150 || len(requiresPython) != 44 || len(versions) != 47 {
		t.Fatalf("scanned %d requires_dist, %d requires_python, %d versions; want 150, 44, 47",
			len(requiresDist), len(requiresPython), len(versions))
	}
	for _, line := range requiresDist {
		req, err := ParseRequirement(line)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", line, err)
			continue
		}
		if req.Name == "" || req.Name != NormalizeName(req.Name) {
			t.Errorf("ParseRequirement(%q).Name = %q, not a normalised name", line, req.Name)
		}
	}
	for _, spec := range requiresPython {
		if _, err := ParseSpecifiers(spec); err != nil {
			t.Errorf("ParseSpecifiers(%q): %v", spec, err)
		}
	}
	for _, v := range versions {
		if _, err := ParseVersion(v); err != nil {
			t.Errorf("ParseVersion(%q): %v", v, err)
		}
	}
}

// TestCorpusPixiLockMarkers checks the corpus's markers against a Linux
// CPython 3.12 environment without extras.
func TestCorpusPixiLockMarkers(t *testing.T) {
	requiresDist, _, _ := pixiLockFields(t, geodepotLock(t))
	env := map[string]string{
		"python_version": "3.12", "python_full_version": "3.12.8", "sys_platform": "linux",
		"platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix",
		"implementation_name": "cpython", "platform_python_implementation": "CPython", "extra": "",
	}
	applies := 0
	for _, line := range requiresDist {
		req, err := ParseRequirement(line)
		if err != nil {
			t.Fatalf("ParseRequirement(%q): %v", line, err)
		}
		got, ok := req.Marker.Evaluate(env)
		if !ok {
			t.Errorf("%q: marker %q undecided in a full environment", line, req.Marker)
		}
		if got {
			applies++
		}
	}
	// Every dependency behind an extra, a Windows platform or an old Python
	// drops out; 56 apply, as pypa/packaging also finds.
	if applies != 56 {
		t.Errorf("%d of %d requirements apply on linux CPython 3.12; want 56", applies, len(requiresDist))
	}
}
