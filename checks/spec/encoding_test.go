package spec

import (
	"fmt"
	"strings"
	"testing"
)

// TestEncodings: every spec format reads the same requirements, on the
// same lines, with a UTF-8 byte order mark and with "\r\n" or lone "\r"
// line ends.
func TestEncodings(t *testing.T) {
	files := []struct{ path, src, want string }{
		{"requirements.in", "numpy>=2\n# comment\npandas==2.3.0\n", "numpy@1 pandas@3"},
		{"environment.yml", "channels:\n  - conda-forge\ndependencies:\n  - python=3.12\n  - sqlite\n", "python@4 sqlite@5"},
		{"pyproject.toml", "[project]\nname = \"demo\"\ndependencies = [\n  \"requests>=2\",\n]\n", "requests@4"},
		{"pixi.toml", "[workspace]\nchannels = [\"conda-forge\"]\nplatforms = [\"linux-64\"]\n\n[dependencies]\npython = \"3.12.*\"\n", "python@6"},
	}
	encodings := map[string]func(string) string{
		"LF":         func(s string) string { return s },
		"BOM":        func(s string) string { return "\ufeff" + s },
		"CRLF":       func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"CR":         func(s string) string { return strings.ReplaceAll(s, "\n", "\r") },
		"BOM and CR": func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r") },
	}
	for _, f := range files {
		for name, encode := range encodings {
			t.Run(f.path+"/"+name, func(t *testing.T) {
				s, err := Parse(f.path, []byte(encode(f.src)))
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, r := range s.Requirements {
					got = append(got, fmt.Sprintf("%s@%d", r.Name, r.Line))
				}
				if strings.Join(got, " ") != f.want {
					t.Errorf("requirements %v, want %s", got, f.want)
				}
			})
		}
	}
}
