package spec

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDispatch(t *testing.T) {
	env := "dependencies: [numpy]\n"
	pip := "numpy\n"
	toml := "[project]\nname = \"x\"\ndependencies = [\"numpy\"]\n"
	pixi := "[dependencies]\nnumpy = \"*\"\n"
	tests := []struct {
		path, src string
		kind      Kind // "" for an error
		why       string
	}{
		{"environment.yml", env, EnvironmentYML, ""},
		{"binder/environment.yaml", env, EnvironmentYML, ""},
		{"Environment.YML", env, EnvironmentYML, "case-insensitive"},
		{"requirements.txt", pip, Requirements, ""},
		{"requirements-dev.txt", pip, Requirements, ""},
		{"dev-requirements.txt", pip, Requirements, ""},
		{"requirements.in", pip, Requirements, ""},
		{"docs/requirements-docs.in", pip, Requirements, ""},
		{"pyproject.toml", toml, Pyproject, ""},
		{"sub/pixi.toml", pixi, PixiTOML, ""},
		{"environment-dev.yml", env, "", "only the names repo2docker and conda-lock use"},
		{"MANIFEST.in", pip, "", "not a requirements file"},
		{"conda-lock.yml", env, "", ""},
		{"setup.cfg", pip, "", ""},
	}
	for _, tt := range tests {
		s, err := Parse(tt.path, []byte(tt.src))
		if tt.kind == "" {
			var pe *ParseError
			if s != nil || !errors.As(err, &pe) || pe.Line != 0 || !strings.HasPrefix(err.Error(), tt.path+": not a spec file") {
				t.Errorf("Parse(%q) = (%v, %v), want a not-a-spec-file error %s", tt.path, s, err, tt.why)
			}
			continue
		}
		if err != nil || s.Kind != tt.kind || s.Path != tt.path || len(s.Requirements) != 1 || s.Requirements[0].Name != "numpy" {
			t.Errorf("Parse(%q) = (%+v, %v), want kind %q with numpy %s", tt.path, s, err, tt.kind, tt.why)
		}
	}
}

func TestParseInputChecks(t *testing.T) {
	big := make([]byte, MaxSize+1)
	for i := range big {
		big[i] = '#'
	}
	bom := "\xEF\xBB\xBF"
	tests := []struct {
		path string
		src  string
		want string // the exact error; "" for success
	}{
		{"environment.yml", string(big), "environment.yml: file is 8388609 bytes, more than the 8388608 bytes a spec file may have"},
		{"requirements.txt", string(big), "requirements.txt: file is 8388609 bytes, more than the 8388608 bytes a spec file may have"},
		{"pyproject.toml", string(big), "pyproject.toml: file is 8388609 bytes, more than the 8388608 bytes a spec file may have"},
		{"pixi.toml", string(big), "pixi.toml: file is 8388609 bytes, more than the 8388608 bytes a spec file may have"},
		{"requirements.txt", string(big[:MaxSize]), ""},
		{"requirements.txt", "numpy\nscipy\x00\n", "requirements.txt:2: binary data (a NUL byte), not a text file"},
		{"pyproject.toml", "[project]\nname = \"\xff\"\n", "pyproject.toml:2: not valid UTF-8 text"},
		{"pixi.toml", "\xff\xfe", "pixi.toml:1: not valid UTF-8 text"}, // found by fuzzing: the TOML decoder takes it for a UTF-16 byte order mark
		{"requirements.txt", bom + "numpy\n", ""},
		{"pyproject.toml", bom + "[project]\nname = \"x\"\n", ""},
		{"pixi.toml", bom + "[dependencies]\n", ""},
	}
	for _, tt := range tests {
		s, err := Parse(tt.path, []byte(tt.src))
		if tt.want == "" {
			if s == nil || err != nil {
				t.Errorf("%s %.20q: got (%v, %v), want a spec", tt.path, tt.src, s, err)
			}
			continue
		}
		if s != nil || err == nil || err.Error() != tt.want {
			t.Errorf("%s %.20q: got (%v, %v), want %q", tt.path, tt.src, s, err, tt.want)
		}
	}
}

func TestErrorFormats(t *testing.T) {
	if got := (&ParseError{Path: "a/environment.yml", Line: 7, Msg: "bad"}).Error(); got != "a/environment.yml:7: bad" {
		t.Errorf("with a line: %q", got)
	}
	if got := (&ParseError{Path: "pixi.toml", Msg: "bad"}).Error(); got != "pixi.toml: bad" {
		t.Errorf("without a line: %q", got)
	}
	ps := Problems{{Path: "r.txt", Line: 2, Msg: "x"}, {Path: "r.txt", Line: 5, Msg: "y"}}
	if got := ps.Error(); got != "r.txt:2: x\nr.txt:5: y" {
		t.Errorf("Problems: %q", got)
	}
	if got := quote(strings.Repeat("é", 50)); got != `"`+strings.Repeat("é", 40)+`"...` {
		t.Errorf("quote clips at a rune boundary: %q", got)
	}
	if got := clipMessage(strings.Repeat("x", 199) + "éé"); got != strings.Repeat("x", 199)+"..." {
		t.Errorf("clipMessage clips at a rune boundary: %q", got)
	}
}
