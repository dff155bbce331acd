package spec

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

func TestParsePixiTOML(t *testing.T) {
	s, err := ParsePixiTOML("pixi.toml", readFixture(t, "pixi/pixi.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != PixiTOML || s.Includes != nil {
		t.Errorf("Kind %q, Includes %q", s.Kind, s.Includes)
	}
	if want := []string{"conda-forge", "https://prefix.dev/pytorch/"}; !reflect.DeepEqual(s.Channels, want) {
		t.Errorf("Channels = %q, want %q", s.Channels, want)
	}
	if want := []string{"linux-64", "osx-arm64", "win-64"}; !reflect.DeepEqual(s.Platforms, want) {
		t.Errorf("Platforms = %q, want %q (feature platforms are not the workspace's)", s.Platforms, want)
	}
	wantEnvs := map[string][]string{
		"default": {"default"}, // implicit
		"test":    {"default", "test"},
		"gpu":     {"default", "gpu", "test"},
		"docs":    {"docs"}, // no-default-feature
	}
	if !reflect.DeepEqual(s.Environments, wantEnvs) {
		t.Errorf("Environments = %q, want %q", s.Environments, wantEnvs)
	}
	c, p := lock.Conda, lock.PyPI
	diffReqs(t, s.Requirements, []req{
		{Line: 8, Manager: c, Name: "python", Raw: `python = "3.12.*"`, Constraint: `python 3.12.*`, Pixi: true},
		{Line: 9, Manager: c, Name: "numpy", Raw: `numpy = ">= 1.26, < 2"`, Constraint: `numpy >=1.26,<2`, Pixi: true}, // white space removed
		{Line: 10, Manager: c, Name: "jupyterhub-singleuser", Raw: `"jupyterhub-singleuser" = "*"`, Constraint: `jupyterhub-singleuser`, Pixi: true},
		{Line: 11, Manager: c, Name: "pytorch", Raw: `pytorch = { version = ">=2.3", build = "*cuda*", channel = "https://prefix.dev/pytorch/" }`,
			Constraint: `https://prefix.dev/pytorch::pytorch >=2.3 *cuda*`, Pixi: true},
		{Line: 12, Manager: c, Name: "libsqlite", Raw: `libsqlite = { build = "h0c1763c_0" }`, Constraint: `libsqlite * h0c1763c_0`, Pixi: true},
		{Line: 13, Manager: c, Name: "ffmpeg", Raw: `ffmpeg = { version = "6.*", subdir = "linux-64" }`, Constraint: `ffmpeg[version='6.*', subdir='linux-64']`, Pixi: true},
		{Line: 14, Manager: c, Name: "mypkg", Raw: `mypkg = { path = "./recipes/mypkg" }`, Constraint: `mypkg`, Local: true, Pixi: true},
		{Line: 15, Manager: c, Name: "rattler-build", Raw: `rattler-build = { git = "https://github.com/prefix-dev/rattler-build", branch = "main" }`,
			Constraint: `rattler-build`, Local: true, Pixi: true},
		// openssl (16) has a `when` condition and is skipped.
		{Line: 19, Manager: c, Name: "cmake", Raw: `cmake = ">=3.28"`, Constraint: `cmake >=3.28`, Pixi: true},
		{Line: 22, Manager: c, Name: "ninja", Raw: `ninja = "*"`, Constraint: `ninja`, Pixi: true},
		{Line: 25, Manager: p, Name: "requests", Raw: `requests = ">=2.31, <3"`, Constraint: `>=2.31,<3`, Pixi: true},
		{Line: 26, Manager: p, Name: "rich", Raw: `rich = { version = "==13.*", extras = ["Jupyter", "jupyter"] }`, Constraint: `[jupyter] ==13.*`, Pixi: true},
		{Line: 27, Manager: p, Name: "nbgitpuller", Raw: `nbgitpuller = { git = "https://github.com/jupyterhub/nbgitpuller", rev = "abc123" }`,
			Constraint: `@ https://github.com/jupyterhub/nbgitpuller`, Local: true, Pixi: true},
		{Line: 28, Manager: p, Name: "my-lib", Raw: `My_Lib = { path = "./lib", editable = true }`, Constraint: `@ ./lib`, Local: true, Pixi: true},
		{Line: 29, Manager: p, Name: "anything", Raw: `anything = "*"`, Constraint: ``, Pixi: true},
		{Line: 32, Manager: c, Name: "libgcc-ng", Raw: `libgcc-ng = ">=13"`, Constraint: `libgcc-ng >=13`, Platform: "linux-64", Pixi: true},
		{Line: 35, Manager: p, Name: "uvloop", Raw: `uvloop = "*"`, Constraint: ``, Platform: "unix", Pixi: true},
		{Line: 38, Manager: c, Name: "pywin32", Raw: `pywin32 = "*"`, Constraint: `pywin32`, Platform: "win-64", Pixi: true},
		{Line: 41, Manager: c, Name: "pytest", Raw: `pytest = ">=8"`, Constraint: `pytest >=8`, Feature: "test", Pixi: true},
		{Line: 44, Manager: p, Name: "pytest-cov", Raw: `pytest-cov = "*"`, Constraint: ``, Feature: "test", Pixi: true},
		{Line: 49, Manager: c, Name: "cuda-version", Raw: `cuda-version = "12.4"`, Constraint: `cuda-version 12.4`, Feature: "gpu", Pixi: true},
		{Line: 49, Manager: c, Name: "cudnn", Raw: `cudnn = { version = "9.*" }`, Constraint: `cudnn 9.*`, Feature: "gpu", Pixi: true}, // same line: file order
		{Line: 50, Manager: c, Name: "nccl", Raw: `nccl = "*"`, Constraint: `nccl`, Feature: "gpu", Platform: "linux-64", Pixi: true},
		{Line: 53, Manager: p, Name: "mkdocs-material", Raw: `pypi-dependencies.mkdocs-material = """>=9"""`, Constraint: `>=9`, Feature: "docs", Pixi: true},
		{Line: 56, Manager: c, Name: "mkdocs", Raw: `mkdocs = "*"`, Constraint: `mkdocs`, Feature: "docs", Platform: "osx-arm64", Pixi: true},
		// [package] tables (58-62) describe a build, not the environment.
	})
}

func TestParsePixiTOMLProjectTable(t *testing.T) {
	src := "[project]\nname = \"old\"\nchannels = [\"conda-forge\"]\nplatforms = []\n\n[dependencies]\npython = \"3.11.*\"\n"
	s, err := ParsePixiTOML("pixi.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Channels, []string{"conda-forge"}) || s.Platforms == nil || len(s.Platforms) != 0 {
		t.Errorf("Channels %q, Platforms %#v: [project] is pixi's older name for [workspace]; declared empty platforms are not nil", s.Channels, s.Platforms)
	}
	if !reflect.DeepEqual(s.Environments, map[string][]string{"default": {"default"}}) {
		t.Errorf("Environments = %q", s.Environments)
	}
	diffReqs(t, s.Requirements, []req{{Line: 7, Manager: lock.Conda, Name: "python", Raw: `python = "3.11.*"`, Constraint: "python 3.11.*", Pixi: true}})
}

func TestParsePixiTOMLProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		reqs []string
		want []string // "line: message" prefixes
		why  string
	}{
		{name: "dependencies not a table", src: "dependencies = [\"numpy\"]\n[workspace]\nname = \"x\"\n",
			want: []string{"1: dependencies must be a table"}},
		{name: "hostile conda name", src: "[dependencies]\n\"<script>@evil\" = \"*\"\nnumpy = \"*\"\n",
			reqs: []string{"numpy"}, want: []string{`2: invalid conda package name "<script>@evil"`}},
		{name: "conda name with a space", src: "[dependencies]\n\"num py\" = \"1.0\"\n",
			want: []string{`2: invalid conda package name "num py"`}, why: `"num py 1.0" would read as name num, version py`},
		{name: "hostile pypi name", src: "[pypi-dependencies]\n\"<script>@evil\" = \"*\"\n",
			want: []string{`2: invalid PyPI package name "<script>@evil"`}},
		{name: "bad conda version", src: "[dependencies]\nnumpy = \">>1\"\nscipy = \"*\"\n",
			reqs: []string{"scipy"}, want: []string{`2: invalid conda MatchSpec "numpy >>1"`}},
		{name: "bad pypi version", src: "[pypi-dependencies]\nrequests = \"2.31\"\n",
			want: []string{`2: invalid specifier "2.31"`}, why: "a PEP 440 specifier needs an operator"},
		{name: "wrong value types", src: "[dependencies]\nnumpy = 1\nscipy = { version = 2 }\n[pypi-dependencies]\nrich = { extras = \"x\" }\n",
			want: []string{"2: dependencies.numpy must be a version string or a table", "3: dependencies.scipy.version must be a string",
				"5: pypi-dependencies.rich.extras must be a list of strings"}},
		{name: "channels and platforms", src: "[workspace]\nchannels = [\"conda-forge\", 3]\nplatforms = \"linux-64\"\n",
			want: []string{"2: a channel must be a name, a URL or a table with channel = \"...\"", "3: workspace.platforms must be a list of strings"}},
		{name: "undefined feature", src: "[feature.test.dependencies]\npytest = \"*\"\n[environments]\ntest = [\"test\", \"lint\"]\n",
			reqs: []string{"pytest"}, want: []string{`4: environment "test" includes feature "lint", which is not defined`}},
		{name: "bad environment", src: "[environments]\nprod = \"x\"\ndev = { features = [\"a\", 1], no-default-feature = \"yes\" }\n[feature.a]\n",
			want: []string{`2: environment "prod" must be a list of features or a table`, "3: each entry of environments.dev.features must be a string",
				"3: no-default-feature must be true or false"}},
		{name: "target not a table", src: "[target]\nlinux-64 = \"x\"\n\"\" = 1\n\"my platform\" = 2\n",
			want: []string{"2: target.linux-64 must be a table", `3: target."" must be a table`, `4: target."my platform" must be a table`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParsePixiTOML("pixi.toml", []byte(tt.src))
			if s == nil {
				t.Fatalf("spec is nil: %v", err)
			}
			var names []string
			for _, r := range s.Requirements {
				names = append(names, r.Name)
			}
			if !reflect.DeepEqual(names, tt.reqs) {
				t.Errorf("requirements = %q, want %q", names, tt.reqs)
			}
			got := problemLines(err)
			if len(got) != len(tt.want) {
				t.Fatalf("problems = %q\nwant %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseTOMLFatal(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"duplicate key", "[dependencies]\nnumpy = \"1\"\nnumpy = \"2\"\n", "pixi.toml:3: invalid TOML: Key 'dependencies.numpy' has already been defined."},
		{"unterminated string", "[dependencies]\nnumpy = \"1\n", `pixi.toml:2: invalid TOML: basic strings cannot have new lines`},
		{"key without a value", "[dependencies]\nnumpy\n", `pixi.toml:2: invalid TOML: expected '=' after key`},
		{"unclosed header", "[dependencies", `pixi.toml:1: invalid TOML: expected ']' to close table name`},
		{"syntax error after many lines", strings.Repeat("a1 = 1\n", 9) + "b = [1,,]\n", `pixi.toml:10: invalid TOML: expected value but got U+002C ','`},
		{"deep inline tables", "a = " + strings.Repeat("{b = ", 33) + "1" + strings.Repeat("}", 33) + "\n",
			"pixi.toml:1: arrays and inline tables nested more than 32 deep"},
		{"deep arrays", "a = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "pixi.toml:1: arrays and inline tables nested more than 32 deep"},
		{"deep arrays on a later line", "a = 1\nb = [\n" + strings.Repeat("[", 33) + strings.Repeat("]", 34) + "\n", "pixi.toml:3: arrays and inline tables nested more than 32 deep"},
		{"deep and unclosed arrays", "a = " + strings.Repeat("[", 10000) + "\n", "pixi.toml:1: invalid TOML: array is incomplete"},
		{"deeper than the parser goes", "a = " + strings.Repeat("[", 20000) + "\n", "pixi.toml:1: invalid TOML: arrays and inline tables are nested more than the maximum of 10000 levels deep"},
		{"long dotted key", strings.Repeat("a.", 32) + "a = 1\n", "pixi.toml:1: a key with more than 32 parts"},
		{"too many values", "a = [" + strings.Repeat("1,", maxTOMLItems) + "]\n", "pixi.toml:1: more than 131072 keys and values"},
		{"too many values on many lines", "a = 1\n" + strings.Repeat("b = [1]\n", maxTOMLItems/3) + "c = [1, 2, 3]\n",
			"pixi.toml:" + strconv.Itoa(maxTOMLItems/3+2) + ": more than 131072 keys and values"},
		{"too many separators", "a = [\n" + strings.Repeat("1,", maxTOMLSeparators) + "]\n",
			"pixi.toml:2: more than 262144 of the characters = [ { , . that separate TOML keys and values"},
		{"binary", "[dependencies]\x00", "pixi.toml:1: binary data (a NUL byte), not a text file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParsePixiTOML("pixi.toml", []byte(tt.src))
			var pe *ParseError
			if s != nil || !errors.As(err, &pe) {
				t.Fatalf("got (%v, %v), want (nil, *ParseError)", s, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error = %q\n want %q", err, tt.want)
			}
		})
	}
}

func TestTOMLReaderKeysOutsideTheIndex(t *testing.T) {
	// Keys come in the order the index met them; keys it did not meet
	// (none, for a document both the index and the decoder accept) follow
	// by name, so that none is ever dropped.
	x, _, _ := indexTOML("[t]\nz = 1\ny = 2\n")
	r := &tomlReader{idx: x}
	got := r.keys([]string{"t"}, map[string]any{"y": 2, "z": 1, "b": 3, "a": 4})
	if want := []string{"z", "y", "a", "b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
}
