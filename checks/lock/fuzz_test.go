package lock

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// The fuzz targets are seeded from the fixtures in testdata and, when the
// shared corpus is present, from the start of its real lockfiles.

func seed(f *testing.F, names ...string) {
	f.Helper()
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// seedCorpus adds the first 2 KiB of a corpus file: longer seeds make the
// fuzzer spend its time minimizing inputs without covering more code.
func seedCorpus(f *testing.F, rel string) {
	f.Helper()
	path := fixtures.CorpusSeed(f, rel)
	if path == "" {
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data[:min(len(data), 2<<10)])
}

// checkModel checks the invariants every parsed Lock keeps.
func checkModel(t *testing.T, l *Lock, src []byte) {
	t.Helper()
	lines := strings.Count(textfile.Normalize(src), "\n") + 1 // a lone "\r" ends a line too
	for i, e := range l.Environments {
		if i > 0 && l.Environments[i-1].Name >= e.Name {
			t.Fatalf("environments out of order: %q then %q", l.Environments[i-1].Name, e.Name)
		}
		for j, p := range e.Platforms {
			if j > 0 && e.Platforms[j-1].Name >= p.Name {
				t.Fatalf("platforms out of order: %q then %q", e.Platforms[j-1].Name, p.Name)
			}
			for k, q := range p.Packages {
				if k > 0 && comparePackages(p.Packages[k-1], q) >= 0 {
					t.Fatalf("packages out of order or repeated: %s %s then %s %s", p.Packages[k-1].Manager, p.Packages[k-1].Name, q.Manager, q.Name)
				}
				if q.Name == "" || q.Manager != Conda && q.Manager != PyPI || q.Line < 0 || q.Line > lines {
					t.Fatalf("bad package %+v in a %d-line file", q, lines)
				}
				if p.Package(q.Manager, q.Name) != q {
					t.Fatalf("Package(%s, %s) does not find it", q.Manager, q.Name)
				}
			}
		}
	}
}

// fuzzFormat parses data as f: it must return a Lock that keeps the model's
// invariants, or a ParseError on a line of the input.
func fuzzFormat(t *testing.T, f Format, data []byte) {
	l, err := ParseFormat(f, "fuzz/lock", data)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is a %T, not a *ParseError", err, err)
		}
		// Lines are counted as every parser reads the text: a lone "\r"
		// ends one too.
		lines := strings.Count(textfile.Normalize(data), "\n") + 1
		if pe.Line < 0 || pe.Line > lines {
			t.Fatalf("error on line %d of a %d-line input: %v", pe.Line, lines, err)
		}
		return
	}
	checkModel(t, l, data)
}

func FuzzParseCondaLock(f *testing.F) {
	seed(f, "conda-lock.yml")
	seedCorpus(f, "cryo-hub-image/conda-lock.yml")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatCondaLock, data) })
}

func FuzzParseExplicit(f *testing.F) {
	seed(f, "conda-linux-64.lock")
	seedCorpus(f, "cryo-hub-image/conda-linux-64.lock")
	f.Add([]byte("@EXPLICIT\nhttps://x/linux-64/a%00-1-0.conda\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzFormat(t, FormatExplicit, data)
		if l, err := ParseFormat(FormatExplicit, "fuzz/lock", data); err == nil {
			for _, p := range l.Environments[0].Platforms[0].Packages {
				if bad := badText(p.Name + p.Version + p.Build); bad != "" {
					t.Fatalf("package %q read with %s", p.Name, bad)
				}
			}
		}
	})
}

func FuzzParsePixi(f *testing.F) {
	seed(f, "pixi-v5.lock", "pixi-v6.lock", "pixi-v7.lock")
	seedCorpus(f, "geodepot/pixi.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatPixi, data) })
}

func FuzzParseUV(f *testing.F) {
	seed(f, "uv.lock")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatUV, data) })
}

func FuzzParsePipCompile(f *testing.F) {
	seed(f, "requirements-pip-compile.txt", "requirements-uv-compile.txt", "requirements-hashed.txt", "requirements-spec.txt")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, FormatPipCompile, data) })
}

// FuzzDetect checks that detection never panics and that Parse agrees with
// it: a detected file parses as its format or fails with a ParseError.
func FuzzDetect(f *testing.F) {
	seed(f, "conda-lock.yml", "conda-linux-64.lock", "pixi-v6.lock", "uv.lock", "requirements-pip-compile.txt", "requirements-spec.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, path := range []string{"pixi.lock", "uv.lock", "requirements.txt"} {
			format, ok := Detect(path, data)
			l, err := Parse(path, data)
			switch {
			case !ok && err == nil:
				t.Fatalf("Detect refused %q but Parse read it", data)
			case ok && err == nil && l.Format != format:
				t.Fatalf("Detect said %s, Parse read %s", format, l.Format)
			case err != nil:
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is a %T", err, err)
				}
			}
		}
	})
}

// FuzzYAMLSubset checks the fast reader's contract: whenever it accepts a
// document, yaml.v3 accepts it and builds the same tree.
func FuzzYAMLSubset(f *testing.F) {
	seed(f, "conda-lock.yml", "pixi-v5.lock", "pixi-v6.lock", "pixi-v7.lock")
	seedCorpus(f, "geodepot/pixi.lock")
	for _, s := range []string{
		"a: 'it''s'\nb: \"x\\ty\\u00e9\"\n",
		"-\n- ~\n- a: b\n  c:\n  - d\n",
		"--- # c\nk: {}\nl: []\n",
		"a:\r\n- b\r\n",
		"a: &x 1\nb: *x\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fastAgrees(t, string(data))
	})
}
