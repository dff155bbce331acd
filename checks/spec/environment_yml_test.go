package spec

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/checks/lock"
)

func TestParseEnvironmentYMLForms(t *testing.T) {
	s, err := ParseEnvironmentYML("forms/environment.yml", readFixture(t, "forms/environment.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != EnvironmentYML || s.Path != "forms/environment.yml" {
		t.Errorf("Kind, Path = %q, %q", s.Kind, s.Path)
	}
	if want := []string{"conda-forge", "https://prefix.dev/pytorch/", "nodefaults"}; !reflect.DeepEqual(s.Channels, want) {
		t.Errorf("Channels = %q, want %q", s.Channels, want)
	}
	if want := []string{"linux-64", "osx-arm64"}; !reflect.DeepEqual(s.Platforms, want) {
		t.Errorf("Platforms = %q, want %q", s.Platforms, want)
	}
	if want := []string{"requirements-extra.txt", "constraints.txt"}; !reflect.DeepEqual(s.Includes, want) {
		t.Errorf("Includes = %q, want %q", s.Includes, want)
	}
	if s.Environments != nil {
		t.Errorf("Environments = %v, want nil", s.Environments)
	}
	c, p := lock.Conda, lock.PyPI
	diffReqs(t, s.Requirements, []req{
		{Line: 11, Manager: c, Name: "python", Raw: "python=3.12", Constraint: "python =3.12"},
		{Line: 12, Manager: c, Name: "jupyterhub-singleuser", Raw: "jupyterhub-singleuser~=5.0", Constraint: "jupyterhub-singleuser ~=5.0"},
		{Line: 13, Manager: c, Name: "pandas", Raw: "pandas>=2.0.1,<3.0", Constraint: "pandas >=2.0.1,<3.0"},
		{Line: 14, Manager: c, Name: "numpy", Raw: "conda-forge::numpy", Constraint: "conda-forge::numpy"},
		{Line: 15, Manager: c, Name: "scipy", Raw: "scipy[version='>=1.2']", Constraint: "scipy >=1.2"},
		{Line: 16, Manager: c, Name: "libsqlite", Raw: "libsqlite 3.51.2 h0c1763c_0", Constraint: "libsqlite 3.51.2 h0c1763c_0"},
		{Line: 17, Manager: c, Name: "sqlite", Raw: "sqlite >=3.39.0", Constraint: "sqlite >=3.39.0"},
		{Line: 18, Manager: c, Name: "pytorch", Raw: "pytorch=2.3=*cuda*", Constraint: "pytorch 2.3 *cuda*"},
		{Line: 19, Manager: c, Name: "jinja2", Raw: "Jinja2", Constraint: "jinja2"}, // conda names are lower-cased
		{Line: 20, Manager: c, Name: "pip", Raw: "pip", Constraint: "pip"},
		{Line: 22, Manager: p, Name: "requests", Raw: "requests>=2.31", Constraint: ">=2.31"},
		{Line: 23, Manager: p, Name: "rich", Raw: `rich[jupyter]==13.7.1; python_version >= "3.8"`, Constraint: `[jupyter] ==13.7.1 ; python_version >= "3.8"`},
		// -r (24), --index-url (25) and -c (30) ask for no package.
		{Line: 26, Manager: p, Name: "", Raw: "-e ./src/mypkg", Constraint: "@ ./src/mypkg", Local: true}, // a directory does not name its package
		{Line: 27, Manager: p, Name: "nbgitpuller", Raw: "git+https://github.com/jupyterhub/nbgitpuller.git@main#egg=nbgitpuller",
			Constraint: "@ git+https://github.com/jupyterhub/nbgitpuller.git@main#egg=nbgitpuller", Local: true},
		{Line: 28, Manager: p, Name: "nbgrader", Raw: "nbgrader @ https://files.example.org/nbgrader-0.9.1-py3-none-any.whl",
			Constraint: "@ https://files.example.org/nbgrader-0.9.1-py3-none-any.whl", Local: true},
		{Line: 29, Manager: p, Name: "some-tool", Raw: "https://files.example.org/Some_Tool-2.0.tar.gz",
			Constraint: "@ https://files.example.org/Some_Tool-2.0.tar.gz", Local: true}, // name from the sdist file name
	})
}

func TestParseEnvironmentYMLSelectors(t *testing.T) {
	s, err := ParseEnvironmentYML("selectors/environment.yml", readFixture(t, "selectors/environment.yml"))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		line     int
		name     string
		selector string
	}
	want := []row{
		{4, "numpy", ""},
		{5, "libgcc-ng", "linux"},
		{6, "llvm-openmp", "osx"},
		{7, "m2w64-toolchain", "win"},
		{8, "readline", "unix"},
		{9, "cudatoolkit", "linux64"},
		{10, "clang_osx-64", "osx64"},
		{11, "tensorflow-macos", "arm64"},
		{12, "vs2019_win-64", "win64"},
		{13, "libnuma", "aarch64"},
		{14, "ibm-wml-ce", "ppc64le"},
		{15, "pywin32", "win"},               // text before the brackets is allowed
		{16, "jemalloc", ""},                 // parentheses after the brackets: conda-lock sees no selector
		{17, "gxx", "linux and not aarch64"}, // kept as written; AppliesTo cannot evaluate it
		{18, "xorg-libx11", " linux "},       // conda-lock does not trim
		{19, "tbb", "linux"},                 // the last bracketed text wins
		{20, "ccache", ""},                   // a comment on the next line is not the entry's
		{23, "pywinpty", ""},                 // conda-lock reads no selectors on pip entries
	}
	var got []row
	for _, r := range s.Requirements {
		got = append(got, row{r.Line, r.Name, r.Selector})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestParseEnvironmentYMLProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		reqs []string // names of the requirements read
		want []string // "line: message" prefixes of the problems, in order
		why  string
	}{
		{name: "dependencies not a list", src: "channels: [conda-forge]\ndependencies:\n  numpy: 1.26\n",
			want: []string{"3: dependencies must be a list"}},
		{name: "hostile name", src: "dependencies:\n  - <script>@evil\n  - numpy\n",
			reqs: []string{"numpy"}, want: []string{`2: invalid conda MatchSpec "<script>@evil"`}},
		{name: "name with a glob", src: "dependencies:\n  - num*py\n",
			want: []string{`2: invalid conda MatchSpec "num*py": invalid package name`}, why: "a MatchSpec may match many names; a spec must name one"},
		{name: "bad operator", src: "dependencies:\n  - numpy\n  - requests>>2\n  - scipy\n",
			reqs: []string{"numpy", "scipy"}, want: []string{`3: invalid conda MatchSpec "requests>>2"`}},
		{name: "empty entry", src: "dependencies:\n  -\n  - numpy\n",
			reqs: []string{"numpy"}, want: []string{"2: empty dependency entry"}},
		{name: "nested list", src: "dependencies:\n  - [numpy, scipy]\n",
			want: []string{"2: a dependency must be a MatchSpec or a pip: list"}},
		{name: "unknown section", src: "dependencies:\n  - numpy\n  - conda:\n      - scipy\n",
			reqs: []string{"numpy"}, want: []string{`3: unknown dependency section "conda"; only pip: is read`}},
		{name: "pip not a list", src: "dependencies:\n  - pip: requests\n",
			want: []string{"2: pip: must be a list"}},
		{name: "pip entry not a line", src: "dependencies:\n  - pip:\n    - {requests: 2}\n    - rich\n",
			reqs: []string{"rich"}, want: []string{"3: each pip: entry must be a requirement line"}},
		{name: "pip bad requirement and option", src: "dependencies:\n  - pip:\n    - requests>>2\n    - --frobnicate\n    - -r\n",
			want: []string{`3: invalid requirement "requests>>2"`, `4: unknown pip option "--frobnicate"`, "5: pip option -r needs a value"}},
		{name: "channels not a list", src: "channels: conda-forge\ndependencies: [numpy]\n",
			reqs: []string{"numpy"}, want: []string{"1: channels must be a list"}},
		{name: "channel entry not a value", src: "channels:\n  - {name: x}\n  - conda-forge\n",
			want: []string{"2: each entry of channels must be a single value"}},
		{name: "duplicate key", src: "dependencies:\n  - numpy\ndependencies:\n  - scipy\n",
			reqs: []string{"numpy"}, want: []string{`3: duplicate key "dependencies" (first at line 1); this one is ignored`}},
		{name: "alias of a list", src: "base: &base [numpy]\ndependencies:\n  - *base\n",
			want: []string{"3: a dependency must be a MatchSpec or a pip: list"}, why: "only aliases of single values are followed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseEnvironmentYML("environment.yml", []byte(tt.src))
			if s == nil {
				t.Fatalf("spec is nil (err %v); problems must come with a spec", err)
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
				t.Fatalf("problems = %q, want %q", got, tt.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("problem %d = %q, want prefix %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestParseEnvironmentYMLFatal(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the exact error
	}{
		{"bad indentation", "dependencies:\n  - numpy\n - scipy\n", "environment.yml:3: invalid YAML: did not find expected key"},
		{"unclosed flow", "channels: [a\ndependencies: []\n", "environment.yml:2: invalid YAML: did not find expected ',' or ']'"},
		{"tab indentation", "dependencies:\n\t- numpy\n", "environment.yml:2: invalid YAML: found character that cannot start any token"},
		{"mapping in a value", "name: a: b\n", "environment.yml:1: invalid YAML: mapping values are not allowed in this context"},
		{"unclosed flow at the end", "[", "environment.yml:1: invalid YAML: did not find expected node content"}, // found by fuzzing: yaml.v3 places the end one line past it
		{"unclosed flow before a line break", "dependencies: [numpy,\n", "environment.yml:1: invalid YAML: did not find expected node content"},
		{"unknown anchor", "dependencies:\n  - *nope\n", "environment.yml: invalid YAML: unknown anchor 'nope' referenced"},
		{"root is a list", "- numpy\n- scipy\n", "environment.yml:1: an environment file must be a YAML mapping with channels and dependencies"},
		{"root is text", "just some text\n", "environment.yml:1: an environment file must be a YAML mapping with channels and dependencies"},
		{"binary", "dependencies:\n  - numpy\x00\n", "environment.yml:2: binary data (a NUL byte), not a text file"},
		{"not UTF-8", "name: x\ndependencies:\n  - caf\xe9\n", "environment.yml:3: not valid UTF-8 text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseEnvironmentYML("environment.yml", []byte(tt.src))
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

func TestParseEnvironmentYMLEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n", "~\n", "name: empty\ndependencies:\n", "\xEF\xBB\xBFname: bom\n"} {
		s, err := ParseEnvironmentYML("environment.yml", []byte(src))
		if err != nil || s == nil || s.HasDependencies() || s.Platforms != nil {
			t.Errorf("%q: got (%+v, %v), want an empty spec", src, s, err)
		}
	}
}

func TestParseEnvironmentYMLAliasOfValue(t *testing.T) {
	src := "x-pin: &py python=3.12\ndependencies:\n  - *py  # [linux]\n  - numpy\n"
	s, err := ParseEnvironmentYML("environment.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	diffReqs(t, s.Requirements, []req{
		{Line: 3, Manager: lock.Conda, Name: "python", Raw: "python=3.12", Constraint: "python =3.12", Selector: "linux"},
		{Line: 4, Manager: lock.Conda, Name: "numpy", Raw: "numpy", Constraint: "numpy"},
	})
}

func TestParseEnvironmentYMLLimits(t *testing.T) {
	huge := append([]byte("dependencies:\n"), bytes.Repeat([]byte("  - numpy  # padding padding padding\n"), (10<<20)/37)...)
	indicators := "dependencies: [" + strings.Repeat("a,", textfile.MaxYAMLIndicators) + "]\n"
	deep := "dependencies: " + strings.Repeat("[", 20000) + "\n"
	tests := []struct {
		name string
		src  []byte
		want string
	}{
		{"10 MB file", huge, fmt.Sprintf("environment.yml: file is %d bytes, more than the 8388608 bytes a spec file may have", len(huge))},
		{"flow sequence of 2^17 items", []byte(indicators), // ":" "[" 2^17 "," and "\n"
			"environment.yml: too large a YAML document: 131075 structural characters, more than the 131072 an environment file may have"},
		{"deep nesting", []byte(deep), "environment.yml:1: invalid YAML: exceeded max depth of 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseEnvironmentYML("environment.yml", tt.src)
			if s != nil || err == nil || err.Error() != tt.want {
				t.Errorf("got (%v, %v), want error %q", s, err, tt.want)
			}
		})
	}
}
