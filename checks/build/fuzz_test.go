package build

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/imagebot/imagebot/internal/fixtures"
)

// seed adds every file matching the patterns under testdata, and the named corpus files
// when the corpus is present.
func seed(f *testing.F, patterns []string, corpusFiles ...string) {
	for _, p := range patterns {
		files, err := filepath.Glob(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, c := range corpusFiles {
		path := fixtures.CorpusSeed(f, c)
		if path == "" {
			return // fuzz from testdata alone
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkInstalls asserts what every Install promises.
func checkInstalls(t *testing.T, installs []Install) {
	for _, in := range installs {
		if in.Line < 1 || in.EndLine < in.Line {
			t.Errorf("install at lines %d-%d", in.Line, in.EndLine)
		}
		if utf8.RuneCountInString(in.Command) > maxCommand {
			t.Errorf("command of %d characters", utf8.RuneCountInString(in.Command))
		}
		if toolOf(in.Tool) != in.Tool || in.Tool == "" {
			t.Errorf("tool %q", in.Tool)
		}
		if (in.Kind == FromFile || in.Kind == FromLock || in.Kind == Local) != (in.File != "") {
			t.Errorf("%s install with file %q", in.Kind, in.File)
		}
	}
}

func FuzzScanDockerfile(f *testing.F) {
	seed(f, []string{"dockerfile/*", "appendix/*"}, "dubois-stem/Dockerfile", "dubois-stem/Dockerfile.before-fix", "cryo-hub-image/appendix")
	f.Add([]byte("ARG B=x\nFROM ${B:-y}:${T-latest} AS s\nRUN <<-A <<'B' bash\n\tpip install a\n\tA\nmamba install b\nB\nFROM s\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, appendix := range []bool{false, true} {
			df, err := scanDockerfile("Dockerfile", data, appendix)
			if (df == nil) == (err == nil) {
				t.Fatalf("result %v with error %v", df, err)
			}
			if err != nil {
				if _, ok := err.(*ParseError); !ok {
					t.Fatalf("error %T: %v", err, err)
				}
				continue
			}
			checkInstalls(t, df.Installs)
			for _, img := range df.Images {
				if img.Line < 1 || (img.Resolved == "" && !img.Stage && (img.Kind != Unknown || img.Unresolved == "")) {
					t.Errorf("image %+v", img)
				}
			}
		}
	})
}

func FuzzScanScript(f *testing.F) {
	seed(f, []string{"scripts/*"})
	for _, s := range []string{
		"sudo -u x env A=1 python3 -m pip install -qr req.txt 'a>=1' && conda run -n e mamba env update -f e.yml",
		"bash -c \"sh -c 'pip install $(echo ${X:-\\\"y\\\"})'\" <<< `date`",
		"cat <<-EOF | xargs pip install\n\ta\n\tEOF\nuv pip sync r.txt; pixi install --frozen || conda-lock install\n",
		"for p in a b; do case $p in a) pip install \"$p\";; esac; done # done",
		"((cd a && pip install x) | cat) && ((i++)) && echo $((1+2)) && ((b c)",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		installs, err := ScanScript("postBuild", data)
		if err != nil {
			if pe, ok := err.(*ParseError); !ok || installs != nil {
				t.Fatalf("error %T %v with %d installs", err, err, len(installs))
			} else if pe.Line < 0 {
				t.Fatalf("line %d", pe.Line)
			}
			return
		}
		checkInstalls(t, installs)
	})
}

func FuzzScanWorkflow(f *testing.F) {
	seed(f, []string{"workflows/*"}, "dubois-stem/.github/workflows/build.yaml", "cryo-hub-image/.github/workflows/build.yaml")
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := ScanWorkflow("w.yml", data)
		if (w == nil) == (err == nil) {
			t.Fatalf("result %v with error %v", w, err)
		}
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		for _, p := range w.Publishes {
			if p.Kind != ClassifyTag(p.Tag, "") || p.Reason == "" || p.Via == "" || p.Tag == "" {
				t.Errorf("publish %+v", p)
			}
		}
	})
}

// FuzzPlainSplit checks that text split without the parser splits as the parser splits it.
func FuzzPlainSplit(f *testing.F) {
	for _, s := range plainCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		comparePlain(t, src)
	})
}
