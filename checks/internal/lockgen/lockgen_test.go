package lockgen

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

func parse(t *testing.T, opts Options) *lock.Lock {
	t.Helper()
	l, err := lock.Parse("conda-lock.yml", CondaLock(opts))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestDefaults(t *testing.T) {
	data := CondaLock(Options{})
	if !bytes.Equal(data, CondaLock(Options{})) {
		t.Error("two calls with the same Options differ")
	}
	if bytes.Equal(data, CondaLock(Options{Seed: 2})) {
		t.Error("another seed gives the same lock")
	}
	if n := len(data); n < 1350_000 || n > 1500_000 {
		t.Errorf("default lock is %d bytes, want about 1.4 MB", n)
	}
	l := parse(t, Options{})
	env := l.Environment(lock.DefaultEnvironment)
	if len(env.Platforms) != 4 {
		t.Fatalf("%d platforms, want 4", len(env.Platforms))
	}
	for i, p := range env.Platforms {
		if p.Name != []string{"linux-64", "osx-64", "osx-arm64", "win-64"}[i] || len(p.Packages) != 772 {
			t.Errorf("platform %s has %d packages, want 772", p.Name, len(p.Packages))
		}
	}
	if got := inconsistencies(l); len(got) != 0 {
		t.Errorf("default lock is inconsistent: %v", got)
	}
}

func TestSmallLock(t *testing.T) {
	l := parse(t, Options{Seed: 7, Platforms: []string{"linux-aarch64"}, Packages: 1, PipPackages: 3})
	p := l.Environment(lock.DefaultEnvironment).Platform("linux-aarch64")
	if p == nil || len(p.Packages) != 103 {
		t.Fatalf("platform %v, want 100 conda and 3 pip packages", p)
	}
	if got := inconsistencies(l); len(got) != 0 {
		t.Errorf("inconsistent: %v", got)
	}
}

func TestKnobs(t *testing.T) {
	before := parse(t, Options{Seed: 3})
	for _, tc := range []struct {
		opts              Options
		up, down, changed int
		inconsistent      []string
	}{
		{Options{Seed: 3, Upgrade: 20, Downgrade: 5}, 20, 5, 25, nil},
		{Options{Seed: 3, DowngradeSQLite: true}, 0, 1, 1, []string{"sqlite -> libsqlite"}},
		{Options{Seed: 3, Upgrade: 10, DowngradeSQLite: true}, 10, 1, 11, []string{"sqlite -> libsqlite"}},
	} {
		t.Run(fmt.Sprintf("%+v", tc.opts), func(t *testing.T) {
			after := parse(t, tc.opts)
			for _, bp := range before.Environments[0].Platforms {
				ap := after.Environments[0].Platform(bp.Name)
				up, down, changed := 0, 0, 0
				for i, b := range bp.Packages {
					a := ap.Packages[i]
					if a.Name != b.Name {
						t.Fatalf("%s: package %d is %s before and %s after", bp.Name, i, b.Name, a.Name)
					}
					if a.Version == b.Version {
						if a.URL != b.URL || a.Hashes != b.Hashes || fmt.Sprint(a.Depends) != fmt.Sprint(b.Depends) {
							t.Errorf("%s: %s kept its version but changed", bp.Name, a.Name)
						}
						continue
					}
					changed++
					if compare(a.Version, b.Version) > 0 {
						up++
					} else {
						down++
					}
					if a.URL == b.URL || a.Hashes == b.Hashes {
						t.Errorf("%s: %s changed version but not its file", bp.Name, a.Name)
					}
				}
				if up != tc.up || down != tc.down || changed != tc.changed {
					t.Errorf("%s: %d up, %d down, %d changed; want %d, %d, %d", bp.Name, up, down, changed, tc.up, tc.down, tc.changed)
				}
			}
			want := map[string]bool{}
			for _, p := range after.Environments[0].Platforms {
				for _, s := range tc.inconsistent {
					want[p.Name+": "+s] = true
				}
			}
			got := inconsistencies(after)
			if len(got) != len(want) {
				t.Errorf("inconsistencies %v, want %v", got, want)
			}
			for _, g := range got {
				if !want[g] {
					t.Errorf("unexpected inconsistency %s", g)
				}
			}
		})
	}
}

// inconsistencies lists "platform: package -> dependency" for every
// dependency that is missing or not satisfied. It understands exactly the
// spec forms the generator writes; virtual packages are skipped.
func inconsistencies(l *lock.Lock) []string {
	var out []string
	for _, p := range l.Environments[0].Platforms {
		for _, q := range p.Packages {
			for _, d := range q.Depends {
				if strings.HasPrefix(d.Name, "__") {
					continue
				}
				target := p.Package(d.Manager, d.Name)
				if target == nil || !satisfies(d.Spec, target) {
					out = append(out, p.Name+": "+q.Name+" -> "+d.Name)
				}
			}
		}
	}
	return out
}

func satisfies(spec string, p *lock.Package) bool {
	versionSpec, buildGlob, hasBuild := strings.Cut(spec, " ")
	if hasBuild && !(strings.HasPrefix(buildGlob, "*") && strings.HasSuffix(p.Build, buildGlob[1:])) {
		return false
	}
	for _, c := range strings.Split(versionSpec, ",") {
		switch {
		case c == "":
		case strings.HasPrefix(c, ">="):
			if compare(p.Version, c[2:]) < 0 {
				return false
			}
		case strings.HasPrefix(c, "<"):
			if compare(p.Version, strings.TrimSuffix(c[1:], "a0")) >= 0 {
				return false
			}
		case strings.HasSuffix(c, ".*"):
			if !strings.HasPrefix(p.Version+".", strings.TrimSuffix(c, "*")) {
				return false
			}
		default:
			if compare(p.Version, c) != 0 {
				return false
			}
		}
	}
	return true
}

// compare orders dotted numeric versions, padding the shorter with zeros.
func compare(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}
