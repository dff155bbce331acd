package spec

import (
	"os"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// addSeeds adds testdata files, and corpus files when the corpus is present.
func addSeeds(f *testing.F, files []string, corpus []string) {
	for _, name := range files {
		f.Add(readFixture(f, name))
	}
	for _, name := range corpus {
		path := fixtures.CorpusSeed(f, name)
		if path == "" {
			return
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkContract fails when a parser breaks the contract Parse documents.
func checkContract(t *testing.T, data []byte, s *Spec, err error) {
	t.Helper()
	// Lines as the parsers count them: a lone "\r" ends a line too.
	lines := strings.Count(textfile.Normalize(data), "\n") + 1
	if s == nil {
		pe, ok := err.(*ParseError)
		if !ok {
			t.Fatalf("nil spec with error %T %v; want *ParseError", err, err)
		}
		if pe.Line < 0 || pe.Line > lines {
			t.Fatalf("error line %d outside 0..%d: %v", pe.Line, lines, err)
		}
		return
	}
	if err != nil {
		ps, ok := err.(Problems)
		if !ok || len(ps) == 0 {
			t.Fatalf("spec with error %T %v; want non-empty Problems", err, err)
		}
		for i, p := range ps {
			if p.Line < 0 || p.Line > lines || (i > 0 && p.Line < ps[i-1].Line) {
				t.Fatalf("problem %d line %d outside 0..%d or out of order: %v", i, p.Line, lines, err)
			}
		}
	}
	for _, r := range s.Requirements {
		if r.Line < 1 || r.Line > lines {
			t.Fatalf("requirement %+v: line outside 1..%d", r, lines)
		}
		if r.Raw == "" || (r.Manager != lock.Conda && r.Manager != lock.PyPI) {
			t.Fatalf("requirement %+v: empty Raw or unknown manager", r)
		}
		if r.Name == "" && !(r.Manager == lock.PyPI && r.Local) {
			t.Fatalf("requirement %+v: only a Local PyPI source may lack a name", r)
		}
		r.AppliesTo("linux-64")
	}
}

func FuzzParseEnvironmentYML(f *testing.F) {
	addSeeds(f, []string{"forms/environment.yml", "selectors/environment.yml"},
		[]string{"cryo-hub-image/environment.yml", "cryo-hub-image/.binder/environment.yml"})
	f.Add([]byte("dependencies:\n  - *a\n"))
	f.Add([]byte("x: &a [b]\ndependencies:\n  - *a\n  - pip: *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseEnvironmentYML("environment.yml", data)
		checkContract(t, data, s, err)
	})
}

func FuzzParseRequirements(f *testing.F) {
	addSeeds(f, []string{"requirements/requirements.in"}, nil)
	f.Add([]byte("-r \"a b\" \\\n--hash=x\nfoo @ https://x/y#egg=z ; python_version<'3'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseRequirements("requirements.in", data)
		checkContract(t, data, s, err)
	})
}

func FuzzParsePyproject(f *testing.F) {
	addSeeds(f, []string{"pyproject/pyproject.toml", "uv/pyproject.toml", "tool-only/pyproject.toml"},
		[]string{"geodepot/pyproject.toml"})
	f.Add([]byte("[dependency-groups]\na = [{include-group = \"b\"}]\nb = [{include-group = \"a\"}, \"x\"]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParsePyproject("pyproject.toml", data)
		checkContract(t, data, s, err)
		checkIndex(t, data)
	})
}

func FuzzParsePixiTOML(f *testing.F) {
	addSeeds(f, []string{"pixi/pixi.toml"}, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParsePixiTOML("pixi.toml", data)
		checkContract(t, data, s, err)
		checkIndex(t, data)
	})
}

// checkIndex compares the TOML index with the decoder on the text the
// parsers would pass on, for inputs small enough that the decoder is safe
// on them without the index's limits.
func checkIndex(t *testing.T, data []byte) {
	t.Helper()
	if len(data) >= 4<<10 {
		return
	}
	if src, err := text("pixi.toml", data); err == nil {
		checkIndexAgainstDecoder(t, src)
	}
}
