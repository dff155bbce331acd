package pkgver

import (
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

func TestSatisfies(t *testing.T) {
	tests := []struct {
		manager              lock.Manager
		version, build, spec string
		satisfied, known     bool
		reason               string
	}{
		{lock.Conda, "3.53.0", "h0", "3.53.0", true, true, "exact pin"},
		{lock.Conda, "3.53.0", "h0", "3.45.1", false, true, "the outage"},
		{lock.Conda, "3.11.0", "", ">=3.9.0,<4.0a0", true, true, "numpy's libblas range"},
		{lock.Conda, "3.12.4", "h0_cpython", "3.12.* *_cpython", true, true, "pixi's version and build"},
		{lock.Conda, "3.12.4", "h0_pypy", "3.12.* *_cpython", false, true, "build glob does not match"},
		{lock.Conda, "3.51.2", "h0c1763c_0", "3.51.2 h0c1763c_0", true, true, "exact build"},
		{lock.Conda, "1.0", "", "", true, true, "empty spec matches anything"},
		{lock.Conda, "3.11.2", "", "=3.11", true, true, "= is a prefix"},
		{lock.Conda, "3.12.20", "", "3.12.2.*", false, true, "component-wise prefix"},
		{lock.Conda, "1.0", "", ">=1.0,,", false, false, "unparsable spec is not judged"},
		{lock.Conda, "1..0", "", ">=1.0", false, false, "unparsable version is not judged"},
		{lock.PyPI, "2.32.3", "", ">=2.0,<3", true, true, "PEP 440 range"},
		{lock.PyPI, "1.0rc1", "", ">=1.0", false, true, "a pre-release is below its release"},
		{lock.PyPI, "1.0+local", "", "==1.0", true, true, "local versions match their public version"},
		{lock.PyPI, "1.0", "", ">=>1", false, false, "unparsable specifier"},
		{lock.Conda, "3.53.0", "", strings.Repeat("(", 40) + "3.45.1" + strings.Repeat(")", 40), false, false, "nested deeper than conda.MaxDepth: not judged, an error"},
		{lock.Conda, "3.53.0", "", "3.45.1|" + strings.Repeat("3.45.1|", 700) + "3.45.1", false, false, "longer than conda.MaxLength"},
	}
	c := NewCache()
	for _, tt := range tests {
		for round := 0; round < 2; round++ { // the second round is served from the cache
			ok, err := c.Satisfies(tt.manager, tt.version, tt.build, tt.spec)
			if ok != tt.satisfied || (err == nil) != tt.known {
				t.Errorf("%s: Satisfies(%s %s %q) = %v, %v; want %v, known %v", tt.reason, tt.version, tt.build, tt.spec, ok, err, tt.satisfied, tt.known)
			}
		}
	}
}

func TestCompareAndExact(t *testing.T) {
	c := NewCache()
	cmp := []struct {
		m     lock.Manager
		a, b  string
		want  int
		level int
	}{
		{lock.Conda, "1.1", "1.1.0", 0, -1},
		{lock.Conda, "1.9", "2.0", -1, 0},
		{lock.Conda, "3.11.13", "3.12.12", -1, 1},
		{lock.Conda, "1.0.1", "1.0.0", 1, 2},
		{lock.PyPI, "1.0rc1", "1.0", -1, 3},
		{lock.PyPI, "1!1.0", "2.0", 1, 0},
	}
	for _, tt := range cmp {
		got, ok := c.Compare(tt.m, tt.a, tt.b)
		level, _ := c.Divergence(tt.m, tt.a, tt.b)
		if !ok || got != tt.want || level != tt.level {
			t.Errorf("%s %s vs %s: compare %d (ok %v), level %d; want %d, %d", tt.m, tt.a, tt.b, got, ok, level, tt.want, tt.level)
		}
	}
	if _, ok := c.Compare(lock.Conda, "1..0", "1.0"); ok {
		t.Error("unparsable versions must not compare")
	}
	exact := []struct {
		m          lock.Manager
		spec, want string
		ok         bool
	}{
		{lock.Conda, "3.45.1", "3.45.1", true},
		{lock.Conda, "3.51.2 h0c1763c_0", "3.51.2", true},
		{lock.Conda, "3.45.*", "", false},
		{lock.Conda, ">=3.45", "", false},
		{lock.PyPI, "==2.31.0", "2.31.0", true},
		{lock.PyPI, ">=2", "", false},
	}
	for _, tt := range exact {
		got, ok := c.Exact(tt.m, tt.spec)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Exact(%s %q) = %q, %v; want %q, %v", tt.m, tt.spec, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMarkerHolds(t *testing.T) {
	c := NewCache()
	linux := map[string]string{"sys_platform": "linux", "python_version": "3.12"}
	tests := []struct {
		marker      string
		want, known bool
	}{
		{"sys_platform == 'linux'", true, true},
		{"sys_platform == 'win32'", false, true},
		{"python_version < '3.9'", false, true},
		{"extra == 'dev'", false, true},
		{"platform_machine == 'x86_64'", false, true},
		{"not a marker (", false, false},
		{strings.Repeat("(", 40) + "sys_platform == 'linux'" + strings.Repeat(")", 40), false, false},
	}
	for _, tt := range tests {
		if got, err := c.MarkerHolds(tt.marker, linux); got != tt.want || (err == nil) != tt.known {
			t.Errorf("MarkerHolds(%q) = %v, %v; want %v, known %v", tt.marker, got, err, tt.want, tt.known)
		}
	}
}
