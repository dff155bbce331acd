package lock

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

var allFormats = []Format{FormatCondaLock, FormatExplicit, FormatPixi, FormatUV, FormatPipCompile}

// allocated returns the bytes fn allocates.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestHostileGarbage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		data := make([]byte, 1+rng.IntN(4096))
		for j := range data {
			data[j] = byte(rng.UintN(256))
		}
		if i%2 == 0 {
			copy(data, "version: 6\nenvironments:\n")
		}
		for _, f := range allFormats {
			if _, err := ParseFormat(f, "garbage", data); err == nil {
				t.Errorf("%s read %d bytes of garbage without error", f, len(data))
			} else if pe := (*ParseError)(nil); !errors.As(err, &pe) {
				t.Errorf("%s: %v is a %T", f, err, err)
			}
		}
		if _, err := Parse("garbage", data); err == nil {
			t.Errorf("Parse read garbage")
		}
	}
}

func TestHostileSize(t *testing.T) {
	huge := bytes.Repeat([]byte("version: 1\n"), 100<<20/11+1)
	for _, f := range allFormats {
		var err error
		if n := allocated(func() { _, err = ParseFormat(f, "huge.lock", huge) }); n > 64<<10 {
			t.Errorf("%s: rejecting %d bytes allocated %d bytes", f, len(huge), n)
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 0 || !strings.Contains(pe.Msg, "larger than 64 MiB") {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := Parse("huge.lock", huge); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("Parse: %v", err)
	}
	if f, ok := Detect("pixi.lock", huge); ok {
		t.Errorf("Detect took 100 MB for %s", f)
	}
}

func TestHostileFormatLimits(t *testing.T) {
	for _, tc := range []struct {
		name     string
		format   Format
		src      string
		msg      string
		maxAlloc uint64 // bytes
	}{
		{"YAML beyond the subset", FormatPixi, strings.Repeat("- 1\n", 1<<19) + "- \"\t\"\n", "beyond what lock writers emit and is larger than 2 MiB", 3 * (2 << 20)},
		{"uv.lock", FormatUV, "version = 1\n" + strings.Repeat("# padding\n", 1<<20), "uv.lock files larger than 8 MiB are not read", 2 * (10 << 20)},
		{"more YAML nodes than a lockfile needs", FormatPixi, strings.Repeat("-\n", 9<<20), "larger than 2 MiB", 12*maxNodes + 3*(18<<20)},
		{"uv.lock of empty tables", FormatUV, "version = 1\n[[package]]\nname = \"a\"\ndependencies = [" + strings.Repeat("{},", 2<<20) + "]\n", "tables, arrays and keys, more than the 262144 imagebot reads", 3 * (7 << 20)},
		{"flow-style conda-lock.yml", FormatCondaLock, "version: 1\nmetadata: {}\npackage: [" + strings.Repeat("a,", 1<<20-64) + "]\n", "structural characters, more than 131072", 3 * (2 << 20)},
	} {
		var err error
		if n := allocated(func() { _, err = ParseFormat(tc.format, "big", []byte(tc.src)) }); n > tc.maxAlloc {
			t.Errorf("%s: refusing %d bytes allocated %d", tc.name, len(tc.src), n)
		}
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
}

func TestHostileNesting(t *testing.T) {
	var indented strings.Builder
	for i := range 1500 {
		indented.WriteString(strings.Repeat(" ", i) + "a:\n")
	}
	for _, tc := range []struct {
		name   string
		format Format
		src    string
		msg    string
	}{
		{"indentation deeper than the fast reader goes", FormatPixi, indented.String(), "pixi.lock has no version"},
		{"flow sequences", FormatCondaLock, "version: 1\npackage: " + strings.Repeat("[", 100000), "exceeded max depth"},
		{"flow mappings", FormatPixi, "version: 6\nenvironments: " + strings.Repeat("{a: ", 20000), "exceeded max depth"},
		{"compact sequences", FormatPixi, strings.Repeat("- ", 50000) + "x\n", "exceeded max depth"},
		{"TOML arrays", FormatUV, "version = 1\na = " + strings.Repeat("[", 10000), "nest deeper than 64 levels"},
		{"TOML inline tables", FormatUV, "version = 1\na = " + strings.Repeat("{b = ", 10000), "nest deeper than 64 levels"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := ParseFormat(tc.format, "deep", []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %v, want one containing %q", err, tc.msg)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
		})
	}
}

func TestHostileAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nlol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("lol" + string(rune('0'+i)) + ": &lol" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*lol" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	b.WriteString("package: *lol9\n")
	bomb := []byte(b.String())
	start := time.Now()
	var err error
	n := allocated(func() { _, err = ParseFormat(FormatCondaLock, "bomb.yml", bomb) })
	if err == nil || !strings.Contains(err.Error(), "excessive aliasing") {
		t.Errorf("error %v, want excessive aliasing", err)
	}
	if d := time.Since(start); d > time.Second || n > 16<<20 {
		t.Errorf("refusing the bomb took %v and %d bytes", d, n)
	}

	recursive := []byte("version: 1\npackage: &p\n- *p\n")
	if _, err := ParseFormat(FormatCondaLock, "self.yml", recursive); err == nil {
		t.Error("a self-referencing anchor parsed")
	}

	aliased := []byte("version: 1\nmetadata:\n  platforms: &p [linux-64]\npackage:\n- name: a\n  version: '1'\n  manager: conda\n  platform: linux-64\n  dependencies: &d {b: '>=1'}\n- name: b\n  version: '1'\n  manager: conda\n  platform: linux-64\n  dependencies: *d\n")
	l, err := ParseFormat(FormatCondaLock, "aliased.yml", aliased)
	if err != nil {
		t.Fatal(err)
	}
	if got := render(l); !strings.Contains(got, "conda b 1 build= line=10\n      url=\n      depends conda b \">=1\"") {
		t.Errorf("aliases not expanded:\n%s", got)
	}
}

func TestHostileNames(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		src    string
		want   string // the package name, read as plain data
	}{
		{"markup in a conda-lock name", FormatCondaLock, "version: 1\npackage:\n- name: <script>alert(1)</script>\n  version: '1'\n  manager: conda\n  platform: linux-64\n", "<script>alert(1)</script>"},
		{"mention in a conda-lock name", FormatCondaLock, "version: 1\npackage:\n- name: '@user'\n  version: '1'\n  manager: conda\n  platform: linux-64\n", "@user"},
		{"newline in a conda-lock name", FormatCondaLock, "version: 1\npackage:\n- name: \"a\\nb\"\n  version: '1'\n  manager: conda\n  platform: linux-64\n", "a\nb"},
		{"markup in an explicit URL", FormatExplicit, "@EXPLICIT\nhttps://x/linux-64/%3Cscript%3E-1-0.conda\n", "<script>"},
		{"markup in a pixi pypi name", FormatPixi, "version: 6\nenvironments:\n  e:\n    packages:\n      linux-64:\n      - pypi: x\npackages:\n- pypi: x\n  name: <b>@user</b>\n  version: '1'\n", "<b>@user</b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseFormat(tc.format, "names", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Environments[0].Platforms[0].Packages[0].Name; got != tc.want {
				t.Errorf("name %q, want %q", got, tc.want)
			}
		})
	}
	for _, src := range []string{"@user==1.0 --hash=sha256:aa\n", "<script>==1 --hash=sha256:aa\n"} {
		if _, err := ParseFormat(FormatPipCompile, "requirements.txt", []byte(src)); err == nil {
			t.Errorf("pip-compile read %q", src)
		}
	}
}
