package diff

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

// p builds a package: "name=version/build" with optional deps "dep spec".
func p(m lock.Manager, spec string, deps ...string) *lock.Package {
	nv, build, _ := strings.Cut(spec, "/")
	name, version, _ := strings.Cut(nv, "=")
	pkg := &lock.Package{Manager: m, Name: name, Version: version, Build: build}
	for _, d := range deps {
		n, s, _ := strings.Cut(d, " ")
		pkg.Depends = append(pkg.Depends, lock.Dependency{Manager: m, Name: n, Spec: s})
	}
	return pkg
}

// mk builds a one-environment lock; platforms are given as name → packages.
func mk(plats map[string][]*lock.Package) *lock.Lock {
	env := &lock.Environment{Name: lock.DefaultEnvironment}
	for _, name := range []string{"linux-64", "osx-arm64", "any"} {
		pkgs, ok := plats[name]
		if !ok {
			continue
		}
		sortPackages(pkgs)
		env.Platforms = append(env.Platforms, &lock.Platform{Name: name, Packages: pkgs})
	}
	return &lock.Lock{Environments: []*lock.Environment{env}}
}

func sortPackages(pkgs []*lock.Package) {
	for i := 1; i < len(pkgs); i++ {
		for j := i; j > 0 && less(pkgs[j], pkgs[j-1]); j-- {
			pkgs[j], pkgs[j-1] = pkgs[j-1], pkgs[j]
		}
	}
}

func describe(cs []Change) []string {
	var out []string
	for _, c := range cs {
		before, after := "-", "-"
		if c.Before != nil {
			before = c.Before.Version
		}
		if c.After != nil {
			after = c.After.Version
		}
		s := c.Platform + " " + string(c.Manager) + "/" + c.Name + " " + before + ">" + after + " " + string(c.Kind)
		for _, f := range c.Flags {
			s += " " + string(f)
		}
		for _, sib := range c.Siblings {
			s += " (" + sib.Name + "@" + sib.Version + ")"
		}
		out = append(out, s)
	}
	return out
}

func TestCompute(t *testing.T) {
	C, P := lock.Conda, lock.PyPI
	tests := []struct {
		name          string
		before, after *lock.Lock
		opts          []Option
		want          []string
	}{
		{
			name:   "every kind of change",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1.0/h0"), p(C, "b=2.0/h0"), p(C, "c=1.2.3/h0"), p(C, "d=1.0/h0"), p(C, "gone=1/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1.1/h0"), p(C, "b=1.9/h0"), p(C, "c=1.2.3/h1"), p(C, "d=1.0/h0"), p(C, "new=1/h0")}}),
			want: []string{
				"linux-64 conda/a 1.0>1.1 upgraded",
				"linux-64 conda/b 2.0>1.9 downgraded major downgrade",
				"linux-64 conda/c 1.2.3>1.2.3 rebuilt",
				"linux-64 conda/gone 1>- removed",
				"linux-64 conda/new ->1 added",
			},
		},
		{
			name:   "major bump, by conda's order (1.1 == 1.1.0 is no change)",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1.9/h0"), p(C, "b=1.1/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "a=2.0/h0"), p(C, "b=1.1.0/h0")}}),
			want: []string{
				"linux-64 conda/a 1.9>2.0 upgraded major",
				"linux-64 conda/b 1.1>1.1.0 rebuilt",
			},
		},
		{
			name: "calendar versions are never major",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "ca-certificates=2025.8.3/h0"), p(C, "dask=2025.7.0/h0"),
				p(C, "libabseil=20240116.2/h0"), p(C, "tzcode=2025b/h0"), p(C, "tzdata=2025b/h0")}, "any": {p(P, "certifi=2025.8.3")}}),
			after: mk(map[string][]*lock.Package{"linux-64": {p(C, "ca-certificates=2026.1.4/h0"), p(C, "dask=2026.1.2/h0"),
				p(C, "libabseil=20250127.1/h0"), p(C, "tzcode=2025c/h0"), p(C, "tzdata=2024a/h0")}, "any": {p(P, "certifi=2026.1.4")}}),
			want: []string{
				"linux-64 conda/ca-certificates 2025.8.3>2026.1.4 upgraded",
				"linux-64 conda/dask 2025.7.0>2026.1.2 upgraded",
				"linux-64 conda/libabseil 20240116.2>20250127.1 upgraded",
				"linux-64 conda/tzcode 2025b>2025c upgraded",
				"linux-64 conda/tzdata 2025b>2024a downgraded downgrade",
				"any pypi/certifi 2025.8.3>2026.1.4 upgraded",
			},
		},
		{
			name:   "a switch to calendar versions is major",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1.9/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "a=2024.1/h0")}}),
			want:   []string{"linux-64 conda/a 1.9>2024.1 upgraded major"},
		},
		{
			name:   "PyPI packages order by PEP 440 (1.0rc1 < 1.0, 1.0.post1 > 1.0)",
			before: mk(map[string][]*lock.Package{"any": {p(P, "a=1.0rc1"), p(P, "b=1.0.post1")}}),
			after:  mk(map[string][]*lock.Package{"any": {p(P, "a=1.0"), p(P, "b=1.0")}}),
			want: []string{
				"any pypi/a 1.0rc1>1.0 upgraded",
				"any pypi/b 1.0.post1>1.0 downgraded downgrade",
			},
		},
		{
			name:   "conda and pypi packages of one name are separate",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "numpy=1.26/h0"), p(P, "numpy=1.26")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "numpy=2.0/h0"), p(P, "numpy=1.26")}}),
			want:   []string{"linux-64 conda/numpy 1.26>2.0 upgraded major"},
		},
		{
			name: "sqlite moves, libsqlite pinned exactly stays: split",
			before: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "sqlite=3.53.0/h0", "libsqlite 3.53.0"), p(C, "libsqlite=3.53.0/h0")}}),
			after: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "sqlite=3.45.1/h0", "libsqlite 3.45.1"), p(C, "libsqlite=3.53.0/h0")}}),
			want: []string{"linux-64 conda/sqlite 3.53.0>3.45.1 downgraded downgrade split (libsqlite@3.53.0)"},
		},
		{
			name: "siblings that move together are no split",
			before: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "sqlite=3.45.1/h0", "libsqlite 3.45.1"), p(C, "libsqlite=3.45.1/h0")}}),
			after: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "sqlite=3.53.0/h0", "libsqlite 3.53.0"), p(C, "libsqlite=3.53.0/h0")}}),
			want: []string{
				"linux-64 conda/libsqlite 3.45.1>3.53.0 upgraded",
				"linux-64 conda/sqlite 3.45.1>3.53.0 upgraded",
			},
		},
		{
			name:   "explicit locks without dependencies still know sqlite/libsqlite",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "sqlite=3.53.0/h0"), p(C, "libsqlite=3.53.0/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "sqlite=3.45.1/h0"), p(C, "libsqlite=3.53.0/h0")}}),
			want:   []string{"linux-64 conda/sqlite 3.53.0>3.45.1 downgraded downgrade split (libsqlite@3.53.0)"},
		},
		{
			name:   "a configured group",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "gdal=3.9.3/h0"), p(C, "libgdal-core=3.9.3/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "gdal=3.10.0/h0"), p(C, "libgdal-core=3.9.3/h0")}}),
			opts:   []Option{WithGroups([][]string{{"gdal", "libgdal-core"}})},
			want:   []string{"linux-64 conda/gdal 3.9.3>3.10.0 upgraded split (libgdal-core@3.9.3)"},
		},
		{
			name: "a range dependency is no sibling",
			before: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "numpy=2.1.0/h0", "libblas >=3.9.0,<4.0a0"), p(C, "libblas=3.9.0/h0")}}),
			after: mk(map[string][]*lock.Package{"linux-64": {
				p(C, "numpy=2.1.0/h0", "libblas >=3.9.0,<4.0a0"), p(C, "libblas=3.11.0/h0")}}),
			want: []string{"linux-64 conda/libblas 3.9.0>3.11.0 upgraded"},
		},
		{
			name:   "platforms are compared separately",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1/h0")}, "osx-arm64": {p(C, "a=1/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "a=2/h0")}}),
			want: []string{
				"linux-64 conda/a 1>2 upgraded major",
				"osx-arm64 conda/a 1>- removed",
			},
		},
		{
			name:   "ignored packages are left out",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "ca-certificates=2025.1/h0"), p(C, "a=1/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "ca-certificates=2026.1/h0"), p(C, "a=1/h0")}}),
			opts:   []Option{WithIgnore(func(n string) bool { return n == "ca-certificates" })},
		},
		{
			name:   "unparsable versions compare as text",
			before: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1..0/h0")}}),
			after:  mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1..1/h0")}}),
			want:   []string{"linux-64 conda/a 1..0>1..1 upgraded"},
		},
		{
			name:  "nil before: everything added",
			after: mk(map[string][]*lock.Package{"linux-64": {p(C, "a=1/h0")}}),
			want:  []string{"linux-64 conda/a ->1 added"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := describe(Compute(tt.before, tt.after, tt.opts...))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCalendar(t *testing.T) {
	tests := []struct {
		version string
		want    bool
		why     string
	}{
		{"2025.8.3", true, ""},
		{"2025b", true, "tzcode: a year and a letter"},
		{"2024.10.1", true, ""},
		{"20240722.0", true, "libabseil: a date"},
		{"1!2025.1", true, "an epoch"},
		{"2025", true, ""},
		{"1.26.4", false, ""},
		{"2000.1", true, ""},
		{"3000.1", false, "not a year of ours"},
		{"1234.5", false, ""},
		{"20241399.0", false, "month 13"},
		{"202407.1", false, "six digits"},
		{"2025.1.post1", true, ""},
		{"2025B", false, "upper case letters are no calendar suffix"},
		{"", false, ""},
	}
	for _, tt := range tests {
		if got := calendar(tt.version); got != tt.want {
			t.Errorf("calendar(%q) = %v, want %v %s", tt.version, got, tt.want, tt.why)
		}
	}
}

func TestDirect(t *testing.T) {
	before := mk(map[string][]*lock.Package{"linux-64": {p(lock.Conda, "a=1/h0"), p(lock.Conda, "b=1/h0")}})
	after := mk(map[string][]*lock.Package{"linux-64": {p(lock.Conda, "a=2/h0"), p(lock.Conda, "b=2/h0")}})
	got := Compute(before, after, WithDirect(func(m lock.Manager, env, name string) bool { return name == "a" }))
	if !got[0].Direct || got[1].Direct {
		t.Errorf("direct = %v, %v; want true, false", got[0].Direct, got[1].Direct)
	}
}
