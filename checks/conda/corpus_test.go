package conda

import (
	"bufio"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// readLines returns a file's lines.
func readLines(t *testing.T, name string) []string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// yamlScalar unquotes a plain, single-quoted or double-quoted YAML scalar.
func yamlScalar(t *testing.T, s string) string {
	t.Helper()
	s = strings.TrimSpace(s)
	switch {
	case len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'':
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	case len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"':
		u, err := strconv.Unquote(s)
		if err != nil {
			t.Fatalf("unquote %s: %v", s, err)
		}
		return u
	}
	return s
}

// condaLockPackage is the part of a conda-lock.yml package entry the tests use.
type condaLockPackage struct {
	name, version, manager, platform string
	deps                             [][2]string // name, version spec
}

// readCondaLock scans the package list of a conda-lock.yml, version 1.
func readCondaLock(t *testing.T, name string) []condaLockPackage {
	t.Helper()
	var pkgs []condaLockPackage
	inDeps := false
	for _, line := range readLines(t, name) {
		if strings.HasPrefix(line, "- name: ") {
			pkgs = append(pkgs, condaLockPackage{name: yamlScalar(t, line[len("- name: "):])})
			inDeps = false
			continue
		}
		if len(pkgs) == 0 {
			continue
		}
		p := &pkgs[len(pkgs)-1]
		if inDeps && strings.HasPrefix(line, "    ") {
			key, value, ok := strings.Cut(strings.TrimSpace(line), ":")
			if !ok {
				t.Fatalf("%s: unexpected dependency line %q", name, line)
			}
			p.deps = append(p.deps, [2]string{yamlScalar(t, key), yamlScalar(t, value)})
			continue
		}
		inDeps = false
		key, value, _ := strings.Cut(strings.TrimSpace(line), ":")
		switch key {
		case "version":
			p.version = yamlScalar(t, value)
		case "manager":
			p.manager = yamlScalar(t, value)
		case "platform":
			p.platform = yamlScalar(t, value)
		case "dependencies":
			inDeps = strings.TrimSpace(value) == ""
		}
	}
	return pkgs
}

// pixiLock is the part of a pixi.lock (version 6) the tests use.
type pixiLock struct {
	// environments maps "env/platform" to the conda package URLs locked there.
	environments map[string][]string
	// depends and constrains map a conda package URL to its specs.
	depends, constrains map[string][]string
	// fields maps a URL to the name, version and build written in its entry,
	// which a package built from source (conda: .) has instead of a file name.
	fields map[string][3]string
}

func readPixiLock(t *testing.T, name string) pixiLock {
	t.Helper()
	l := pixiLock{
		environments: map[string][]string{},
		depends:      map[string][]string{},
		constrains:   map[string][]string{},
		fields:       map[string][3]string{},
	}
	section, env, platform, url, list := "", "", "", "", ""
	for _, line := range readLines(t, name) {
		if line != "" && line[0] != ' ' && line[0] != '-' {
			section, _, _ = strings.Cut(line, ":")
			continue
		}
		switch section {
		case "environments":
			switch {
			case strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   "):
				env = strings.TrimSuffix(strings.TrimSpace(line), ":")
			case strings.HasPrefix(line, "      - conda: "):
				key := env + "/" + platform
				l.environments[key] = append(l.environments[key], strings.TrimPrefix(line, "      - conda: "))
			case strings.HasPrefix(line, "      ") && !strings.HasPrefix(line, "       ") && strings.HasSuffix(line, ":"):
				platform = strings.TrimSuffix(strings.TrimSpace(line), ":")
			}
		case "packages":
			switch {
			case strings.HasPrefix(line, "- conda: "):
				url, list = strings.TrimPrefix(line, "- conda: "), ""
			case strings.HasPrefix(line, "- "):
				url, list = "", ""
			case line == "  depends:" || line == "  constrains:":
				list = strings.TrimSuffix(strings.TrimSpace(line), ":")
			case strings.HasPrefix(line, "  - ") && url != "" && list == "depends":
				l.depends[url] = append(l.depends[url], yamlScalar(t, line[4:]))
			case strings.HasPrefix(line, "  - ") && url != "" && list == "constrains":
				l.constrains[url] = append(l.constrains[url], yamlScalar(t, line[4:]))
			default:
				list = ""
				key, value, _ := strings.Cut(strings.TrimSpace(line), ": ")
				if i := slices.Index([]string{"name", "version", "build"}, key); i >= 0 && url != "" && line[2] != ' ' {
					f := l.fields[url]
					f[i] = yamlScalar(t, value)
					l.fields[url] = f
				}
			}
		}
	}
	return l
}

// packageFile returns the name, version and build of a conda package: from
// its entry when written there, else from its URL's file name.
func (l pixiLock) packageFile(t *testing.T, url string) (name, version, build string) {
	t.Helper()
	if f, ok := l.fields[url]; ok && f[0] != "" {
		return f[0], f[1], f[2]
	}
	base := path.Base(url)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".conda"), ".tar.bz2")
	i := strings.LastIndexByte(base, '-')
	j := strings.LastIndexByte(base[:max(i, 0)], '-')
	if j <= 0 {
		t.Fatalf("package file name %q is not name-version-build", base)
	}
	return base[:j], base[j+1 : i], base[i+1:]
}

var condaLockFiles = []string{
	"cryo-hub-image/conda-lock.yml",
	"cryo-lock-history/conda-lock.6a2dccd.yml",
	"cryo-lock-history/conda-lock.fa9d846.yml",
}

// TestCorpusSpecsParse runs every dependency spec of the corpus locks and
// environment file through the parsers.
func TestCorpusSpecsParse(t *testing.T) {
	corpus := fixtures.CorpusPath(t, "")
	specs := 0
	for _, file := range condaLockFiles {
		for _, p := range readCondaLock(t, filepath.Join(corpus, file)) {
			for _, dep := range p.deps {
				specs++
				if _, err := ParseSpec(dep[1]); err != nil {
					t.Errorf("%s: %s depends on %s: %v", file, p.name, dep[0], err)
				}
			}
		}
	}
	lock := readPixiLock(t, filepath.Join(corpus, "geodepot/pixi.lock"))
	for _, lists := range []map[string][]string{lock.depends, lock.constrains} {
		for url, list := range lists {
			for _, s := range list {
				specs++
				m, err := ParseMatchSpec(s)
				if err != nil {
					t.Errorf("pixi.lock: %s: %v", path.Base(url), err)
					continue
				}
				if again, err := ParseMatchSpec(m.String()); err != nil || !sameMatchSpec(m, again) {
					t.Errorf("pixi.lock: %q does not round-trip through %q", s, m.String())
				}
			}
		}
	}
	inDeps := false
	for _, line := range readLines(t, filepath.Join(corpus, "cryo-hub-image/environment.yml")) {
		switch {
		case line == "dependencies:":
			inDeps = true
		case inDeps && strings.HasPrefix(line, "  - "):
			specs++
			if _, err := ParseMatchSpec(line[4:]); err != nil {
				t.Errorf("environment.yml: %v", err)
			}
		case line != "" && line[0] != ' ' && line[0] != '#':
			inDeps = false
		}
	}
	// The corpus is fixed, so the count is too; a smaller one means the
	// scan above lost specs.
	if specs != 14420 {
		t.Errorf("parsed %d specs, want 14420", specs)
	}
}

// TestCorpusCondaLockConsistent checks every dependency of every conda
// package in the corpus conda-lock files against the version locked for it:
// solver output must satisfy its own constraints.
func TestCorpusCondaLockConsistent(t *testing.T) {
	corpus := fixtures.CorpusPath(t, "")
	for _, file := range condaLockFiles {
		pkgs := readCondaLock(t, filepath.Join(corpus, file))
		locked := map[string]Version{}
		for _, p := range pkgs {
			if p.manager == "conda" {
				locked[p.platform+"/"+p.name] = mustVersion(t, p.version)
			}
		}
		checked := 0
		for _, p := range pkgs {
			if p.manager != "conda" {
				continue
			}
			for _, dep := range p.deps {
				if strings.HasPrefix(dep[0], "__") {
					continue // virtual packages are not locked
				}
				v, ok := locked[p.platform+"/"+dep[0]]
				if !ok {
					t.Errorf("%s: %s depends on %s, which is not locked", file, p.name, dep[0])
					continue
				}
				checked++
				if !mustSpec(t, dep[1]).Match(v) {
					t.Errorf("%s: %s needs %s %s, locked %s", file, p.name, dep[0], dep[1], v)
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: no dependencies checked", file)
		}
		t.Logf("%s: %d dependencies satisfied", file, checked)
	}
}

// TestCorpusPixiLockConsistent checks the depends and constrains of every
// conda package in each environment and platform of the corpus pixi.lock
// against the package locked there.
func TestCorpusPixiLockConsistent(t *testing.T) {
	corpus := fixtures.CorpusPath(t, "")
	lock := readPixiLock(t, filepath.Join(corpus, "geodepot/pixi.lock"))
	if len(lock.environments) == 0 {
		t.Fatal("no environments found")
	}
	type pkg struct {
		version Version
		build   string
	}
	for env, urls := range lock.environments {
		checked := 0
		locked := map[string]pkg{}
		for _, url := range urls {
			name, version, build := lock.packageFile(t, url)
			locked[name] = pkg{mustVersion(t, version), build}
		}
		for _, url := range urls {
			owner, _, _ := lock.packageFile(t, url)
			for _, s := range lock.depends[url] {
				m, err := ParseMatchSpec(s)
				if err != nil {
					t.Errorf("%s: %s: %v", env, owner, err)
					continue
				}
				p, ok := locked[m.Name]
				if strings.HasPrefix(m.Name, "__") {
					continue // virtual packages are not locked
				}
				if !ok {
					t.Errorf("%s: %s depends on %s, which is not locked", env, owner, m.Name)
					continue
				}
				checked++
				if !m.Match(m.Name, p.version, p.build) {
					t.Errorf("%s: %s needs %q, locked %s %s", env, owner, s, p.version, p.build)
				}
			}
			for _, s := range lock.constrains[url] {
				m, err := ParseMatchSpec(s)
				if err != nil {
					t.Errorf("%s: %s: %v", env, owner, err)
					continue
				}
				if p, ok := locked[m.Name]; ok && !m.Match(m.Name, p.version, p.build) {
					t.Errorf("%s: %s constrains %q, locked %s %s", env, owner, s, p.version, p.build)
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: no dependencies checked", env)
		}
		t.Logf("%s: %d packages, %d dependencies satisfied", env, len(urls), checked)
	}
}

// TestCorpusOutageReplay replays the sqlite/libsqlite outage against the real
// lock: sqlite pins its split sibling libsqlite exactly, so any other
// libsqlite must fail the constraint.
func TestCorpusOutageReplay(t *testing.T) {
	corpus := fixtures.CorpusPath(t, "")
	var spec string
	for _, p := range readCondaLock(t, filepath.Join(corpus, "cryo-hub-image/conda-lock.yml")) {
		for _, dep := range p.deps {
			if p.name == "sqlite" && dep[0] == "libsqlite" {
				spec = dep[1]
			}
		}
	}
	s := mustSpec(t, spec)
	if exact, ok := s.Exact(); !ok || exact != "3.53.0" {
		t.Fatalf("sqlite's libsqlite spec %q: Exact() = %q, %v, want 3.53.0", spec, exact, ok)
	}
	for _, tc := range []struct {
		version string
		want    bool
	}{
		{"3.53.0", true},
		{"3.53", true},
		{"3.45.1", false},
		{"3.52.0", false},
		{"3.53.1", false},
		{"3.53.0.1", false},
	} {
		if got := s.Match(mustVersion(t, tc.version)); got != tc.want {
			t.Errorf("libsqlite %q matches %s = %v, want %v", spec, tc.version, got, tc.want)
		}
	}
}

// TestCorpusExactPinsRejectOthers checks that every exact pin in the corpus
// conda-lock files rejects a version one component longer.
func TestCorpusExactPinsRejectOthers(t *testing.T) {
	corpus := fixtures.CorpusPath(t, "")
	pins := 0
	for _, file := range condaLockFiles {
		for _, p := range readCondaLock(t, filepath.Join(corpus, file)) {
			for _, dep := range p.deps {
				s := mustSpec(t, dep[1])
				exact, ok := s.Exact()
				if !ok {
					continue
				}
				pins++
				if !s.Match(mustVersion(t, exact)) {
					t.Errorf("%s: %s: %q does not match its own version", file, p.name, dep[1])
				}
				if other := exact + ".1"; s.Match(mustVersion(t, other)) {
					t.Errorf("%s: %s: %q matches %s", file, p.name, dep[1], other)
				}
			}
		}
	}
	if pins == 0 {
		t.Error("no exact pins found")
	}
}
