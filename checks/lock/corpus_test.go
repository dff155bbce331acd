package lock

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// scanCondaLock counts the distinct (manager, name) entries per platform
// of a conda-lock.yml by reading lines, without the parser.
func scanCondaLock(data []byte) map[string]int {
	seen := map[string]bool{}
	counts := map[string]int{}
	var name, manager string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "- name: "):
			name, manager = strings.TrimPrefix(line, "- name: "), ""
		case strings.HasPrefix(line, "  manager: "):
			manager = strings.TrimPrefix(line, "  manager: ")
		case strings.HasPrefix(line, "  platform: "):
			platform := strings.TrimPrefix(line, "  platform: ")
			if key := platform + " " + manager + " " + name; !seen[key] {
				seen[key] = true
				counts[platform]++
			}
		}
	}
	return counts
}

func TestCorpusCondaLock(t *testing.T) {
	for _, rel := range []string{
		"cryo-hub-image/conda-lock.yml",
		"cryo-lock-history/conda-lock.6a2dccd.yml",
		"cryo-lock-history/conda-lock.fa9d846.yml",
	} {
		t.Run(rel, func(t *testing.T) {
			data := fixtures.ReadCorpus(t, rel)
			l, err := Parse(rel, data)
			if err != nil {
				t.Fatal(err)
			}
			want := scanCondaLock(data)
			if l.Format != FormatCondaLock || l.Version != 1 || !slices.Equal(l.Sources, []string{"environment.yml"}) || len(l.Environments) != 1 {
				t.Fatalf("format %s version %d sources %v, %d environments", l.Format, l.Version, l.Sources, len(l.Environments))
			}
			env := l.Environments[0]
			if env.Name != DefaultEnvironment || !slices.Equal(env.Channels, []string{"conda-forge"}) || len(env.Platforms) != len(want) {
				t.Fatalf("environment %s channels %v, %d platforms; the scan found %v", env.Name, env.Channels, len(env.Platforms), want)
			}
			for _, p := range env.Platforms {
				if len(p.Packages) != want[p.Name] || want[p.Name] == 0 {
					t.Errorf("%s: %d packages, the line scan counts %d", p.Name, len(p.Packages), want[p.Name])
				}
			}
			checkModel(t, l, data)
		})
	}
}

func TestCorpusExplicitAgreesWithCondaLock(t *testing.T) {
	yml := fixtures.ReadCorpus(t, "cryo-hub-image/conda-lock.yml")
	explicit := fixtures.ReadCorpus(t, "cryo-hub-image/conda-linux-64.lock")
	a, err := Parse("conda-lock.yml", yml)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("conda-linux-64.lock", explicit)
	if err != nil {
		t.Fatal(err)
	}
	if b.Format != FormatExplicit {
		t.Fatalf("format %s", b.Format)
	}
	key := func(p *Platform) []string {
		var out []string
		for _, q := range p.Packages {
			out = append(out, q.Name+" "+q.Version+" "+q.Build)
		}
		return out
	}
	pa, pb := a.Environments[0].Platform("linux-64"), b.Environments[0].Platform("linux-64")
	if pa == nil || pb == nil {
		t.Fatal("no linux-64 platform")
	}
	ka, kb := key(pa), key(pb)
	if !slices.Equal(ka, kb) {
		t.Errorf("explicit lock (%d packages) and conda-lock.yml (%d packages) disagree", len(kb), len(ka))
	}
	for i, q := range pb.Packages {
		if q.Hashes.MD5 != pa.Packages[i].Hashes.MD5 || q.URL != pa.Packages[i].URL {
			t.Errorf("%s: md5 %s url %s, conda-lock.yml has %s %s", q.Name, q.Hashes.MD5, q.URL, pa.Packages[i].Hashes.MD5, pa.Packages[i].URL)
		}
	}
}

// scanPixiSelectors counts the package references of each environment and
// platform of a pixi.lock by reading lines.
func scanPixiSelectors(data []byte) map[string]int {
	counts := map[string]int{}
	var env, platform string
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case line == "packages:":
			return counts
		case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			env = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case strings.HasPrefix(line, "      ") && !strings.HasPrefix(line, "       ") && strings.HasSuffix(line, ":"):
			platform = strings.TrimSuffix(strings.TrimSpace(line), ":")
		case strings.HasPrefix(line, "      - "):
			counts[env+" "+platform]++
		}
	}
	return counts
}

func TestCorpusPixi(t *testing.T) {
	data := fixtures.ReadCorpus(t, "geodepot/pixi.lock")
	l, err := Parse("pixi.lock", data)
	if err != nil {
		t.Fatal(err)
	}
	checkModel(t, l, data)
	if l.Format != FormatPixi || l.Version != 6 || len(l.Environments) != 2 {
		t.Fatalf("format %s version %d, %d environments", l.Format, l.Version, len(l.Environments))
	}
	counts := scanPixiSelectors(data)
	platforms := []string{"linux-64", "osx-64", "osx-arm64", "win-64"}
	for _, env := range []string{"default", "dev"} {
		e := l.Environment(env)
		if e == nil {
			t.Fatalf("no environment %s", env)
		}
		for _, name := range platforms {
			p := e.Platform(name)
			if p == nil {
				t.Fatalf("%s has no platform %s", env, name)
			}
			if len(p.Packages) != counts[env+" "+name] {
				t.Errorf("%s %s: %d packages, the lock lists %d", env, name, len(p.Packages), counts[env+" "+name])
			}
			pypi := 0
			for _, q := range p.Packages {
				if q.Manager == PyPI {
					pypi++
				}
				if q.Version == "" || q.Manager == Conda && q.Build == "" {
					t.Errorf("%s %s: %s has version %q build %q", env, name, q.Name, q.Version, q.Build)
				}
			}
			source := p.Package(Conda, "geodepot")
			switch env {
			case "dev":
				if pypi == 0 {
					t.Errorf("dev %s has no pypi packages", name)
				}
				if source == nil || source.Version != "1.0.7" || source.Build != "pyh4616a5c_0" || source.URL != "." || len(source.Depends) != 7 {
					t.Errorf("dev %s: source package %+v", name, source)
				}
			case "default":
				if pypi != 0 || source != nil {
					t.Errorf("default %s: %d pypi packages, source package %v", name, pypi, source)
				}
			}
		}
	}
	libsqlite := l.Environment("default").Platform("linux-64").Package(Conda, "libsqlite")
	want := Package{
		Manager: Conda, Name: "libsqlite", Version: "3.51.2", Build: "h0c1763c_0",
		URL:    "https://conda.anaconda.org/conda-forge/linux-64/libsqlite-3.51.2-h0c1763c_0.conda",
		Hashes: Hashes{MD5: "f7d30045eccb83f2bb8053041f42db3c", SHA256: "c1ff4589b48d32ca0a2628970d869fa9f7b2c2d00269a3761edc7e9e4c1ab7b8"},
		Depends: []Dependency{
			{Manager: Conda, Name: "__glibc", Spec: ">=2.17,<3.0.a0"},
			{Manager: Conda, Name: "libgcc", Spec: ">=14"},
			{Manager: Conda, Name: "libzlib", Spec: ">=1.3.1,<2.0a0"},
		},
		Line: 3548,
	}
	if libsqlite == nil || !reflect.DeepEqual(*libsqlite, want) {
		t.Errorf("libsqlite on linux-64: %+v, want %+v", libsqlite, want)
	}
	babel := l.Environment("dev").Platform("linux-64").Package(PyPI, "babel")
	if babel == nil || babel.Version != "2.18.0" || len(babel.Depends) != 9 || babel.Depends[0] != (Dependency{Manager: PyPI, Name: "pytz", Spec: ">=2015.7", Marker: "python_full_version < '3.9'"}) {
		t.Errorf("babel in dev: %+v", babel)
	}
}
