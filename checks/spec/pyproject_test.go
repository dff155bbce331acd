package spec

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

func TestParsePyprojectPixi(t *testing.T) {
	s, err := ParsePyproject("pyproject.toml", readFixture(t, "pyproject/pyproject.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s.Channels, []string{"conda-forge"}) || !reflect.DeepEqual(s.Platforms, []string{"linux-64"}) {
		t.Errorf("Channels %q, Platforms %q", s.Channels, s.Platforms)
	}
	wantEnvs := map[string][]string{
		"default": {"default", "viz"}, // defined, so not implicit
		"dev":     {"default", "dev", "test"},
	}
	if !reflect.DeepEqual(s.Environments, wantEnvs) {
		t.Errorf("Environments = %q, want %q", s.Environments, wantEnvs)
	}
	c, p := lock.Conda, lock.PyPI
	diffReqs(t, s.Requirements, []req{
		// pixi adds python from requires-python: [tool.pixi.dependencies] has none.
		{Line: 8, Manager: c, Name: "python", Raw: `requires-python = ">=3.11, <3.13"`, Constraint: `python >=3.11,<3.13`, Pixi: true},
		{Line: 10, Manager: p, Name: "jupyterhub", Raw: `jupyterhub>=5`, Constraint: `>=5`},
		{Line: 11, Manager: p, Name: "nbgitpuller", Raw: `nbgitpuller @ git+https://github.com/jupyterhub/nbgitpuller@main`,
			Constraint: `@ git+https://github.com/jupyterhub/nbgitpuller@main`, Local: true},
		{Line: 12, Manager: p, Name: "pandas", Raw: `pandas[performance] >= 2.2 ; python_version >= "3.10"`, Constraint: `[performance] >=2.2 ; python_version >= "3.10"`},
		{Line: 16, Manager: p, Name: "matplotlib", Raw: `matplotlib>=3.8`, Constraint: `>=3.8`, Feature: "viz"},
		// "hub-tools[plot]" (16) names the project itself and is skipped.
		{Line: 19, Manager: p, Name: "plotly", Raw: `plotly`, Constraint: ``, Feature: "plot"}, // after a comment line inside the array
		{Line: 23, Manager: p, Name: "pytest", Raw: `pytest>=8`, Constraint: `>=8`, Feature: "test"},
		{Line: 23, Manager: p, Name: "pytest", Raw: `pytest>=8`, Constraint: `>=8`, Feature: "dev"}, // dev includes "Test", normalised
		{Line: 24, Manager: p, Name: "ruff", Raw: `ruff`, Constraint: ``, Feature: "test"},          // test includes lint
		{Line: 24, Manager: p, Name: "ruff", Raw: `ruff`, Constraint: ``, Feature: "lint"},
		{Line: 24, Manager: p, Name: "ruff", Raw: `ruff`, Constraint: ``, Feature: "dev"}, // through test
		{Line: 25, Manager: p, Name: "ipython", Raw: `ipython`, Constraint: ``, Feature: "dev"},
		{Line: 35, Manager: p, Name: "hub-tools", Raw: `hub-tools = { path = ".", editable = true }`, Constraint: `@ .`, Local: true, Pixi: true},
		{Line: 38, Manager: c, Name: "git", Raw: `git = "*"`, Constraint: `git`, Feature: "test", Pixi: true},
	})
}

func TestParsePyprojectWithoutPixi(t *testing.T) {
	s, err := ParsePyproject("pyproject.toml", readFixture(t, "uv/pyproject.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Environments != nil || s.Channels != nil || s.Platforms != nil || !s.HasDependencies() {
		t.Errorf("Environments %v, Channels %q, Platforms %q, HasDependencies %v", s.Environments, s.Channels, s.Platforms, s.HasDependencies())
	}
	p := lock.PyPI
	diffReqs(t, s.Requirements, []req{
		// requires-python is the interpreter, not a package, without pixi.
		{Line: 5, Manager: p, Name: "jupyterhub", Raw: `jupyterhub>=5`, Constraint: `>=5`},
		{Line: 5, Manager: p, Name: "numpy", Raw: `numpy`, Constraint: ``},
		{Line: 8, Manager: p, Name: "matplotlib", Raw: `matplotlib`, Constraint: ``, Feature: "viz"},
		{Line: 11, Manager: p, Name: "pytest", Raw: `pytest`, Constraint: ``, Feature: "dev"},
	})
}

func TestHasDependencies(t *testing.T) {
	tests := []struct {
		path, src string
		want      bool
		why       string
	}{
		{"pyproject.toml", string(readFixture(t, "tool-only/pyproject.toml")), false, "only tool settings"},
		{"pyproject.toml", "[project]\nname = \"x\"\ndependencies = []\n", false, ""},
		{"pyproject.toml", "[dependency-groups]\ndev = [\"pytest\"]\n", true, "a group alone asks for packages"},
		{"pixi.toml", "[workspace]\nchannels = []\nplatforms = []\n", false, ""},
		{"requirements.in", "# nothing yet\n", false, ""},
		{"requirements.in", "-r base.in\n", true, "an include asks for what the other file asks for"},
		{"environment.yml", "name: x\nchannels: [conda-forge]\n", false, ""},
		{"environment.yml", "dependencies: [numpy]\n", true, ""},
	}
	for _, tt := range tests {
		s, err := Parse(tt.path, []byte(tt.src))
		if err != nil {
			t.Fatalf("%s %q: %v", tt.path, tt.src, err)
		}
		if got := s.HasDependencies(); got != tt.want {
			t.Errorf("%s %q: HasDependencies = %v, want %v %s", tt.path, tt.src, got, tt.want, tt.why)
		}
	}
}

func TestParsePyprojectProblems(t *testing.T) {
	chain := "[dependency-groups]\ng0 = [\"p0\"]\n"
	for i := 1; i < 1000; i++ {
		chain += fmt.Sprintf("g%d = [{include-group = \"g%d\"}, \"p%d\"]\n", i, i-1, i)
	}
	tests := []struct {
		name  string
		src   string
		nreqs int
		want  []string // "line: message" prefixes
		why   string
	}{
		{name: "project not a table", src: "project = \"x\"\n",
			want: []string{"1: project must be a table"}},
		{name: "dependencies not a list", src: "[project]\nname = \"x\"\ndependencies = \"numpy\"\n",
			want: []string{"3: project.dependencies must be a list of requirement strings"}},
		{name: "bad requirement strings", src: "[project]\nname = \"x\"\ndependencies = [\n  \"numpy\",\n  \"<script>@evil\",\n  3,\n]\n",
			nreqs: 1, want: []string{`5: invalid requirement "<script>@evil"`, "6: each entry of project.dependencies must be a requirement string"}},
		{name: "optional dependencies not a table", src: "[project]\nname = \"x\"\noptional-dependencies = [\"a\"]\n",
			want: []string{"3: project.optional-dependencies must be a table"}},
		{name: "group cycle", src: "[dependency-groups]\na = [\"p\", {include-group = \"b\"}]\nb = [{include-group = \"a\"}]\n",
			nreqs: 2, want: []string{`2: include-group "b" makes a cycle of dependency groups`, `3: include-group "a" makes a cycle of dependency groups`},
			why: "each group still gets what it can reach: p in a and in b"},
		{name: "self include", src: "[dependency-groups]\na = [{include-group = \"a\"}]\n",
			want: []string{`2: include-group "a" makes a cycle of dependency groups`}},
		{name: "unknown include", src: "[dependency-groups]\na = [{include-group = \"nope\"}, \"p\"]\n",
			nreqs: 1, want: []string{`2: include-group "nope" names no dependency group`}},
		{name: "bad group entries", src: "[dependency-groups]\na = [{include = \"b\"}, {include-group = \"b\", x = 1}, \"ok\"]\nb = \"pytest\"\n",
			nreqs: 1, want: []string{`2: a table in a dependency group must be {include-group = "name"}`, `2: a table in a dependency group must be {include-group = "name"}`,
				`3: dependency group "b" must be a list`}},
		{name: "same normalised group names", src: "[dependency-groups]\nTest = [\"a\"]\ntest = [\"b\"]\n",
			nreqs: 1, want: []string{`3: dependency group "test" has the same normalised name as "Test"`}},
		{name: "requires-python not conda", src: "[project]\nname = \"x\"\nrequires-python = \"~=3\"\n[tool.pixi.workspace]\nchannels = []\n",
			want: []string{`3: requires-python is not a conda version spec: invalid conda MatchSpec "python ~=3"`}},
		{name: "group expansion bound", src: chain, nreqs: -1,
			want: []string{fmt.Sprintf("1: dependency groups include each other more than %d times", maxGroupExpansion)},
			why:  "a chain of 1000 groups costs half a million visits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParsePyproject("pyproject.toml", []byte(tt.src))
			if s == nil {
				t.Fatalf("spec is nil: %v", err)
			}
			if tt.nreqs >= 0 && len(s.Requirements) != tt.nreqs {
				t.Errorf("%d requirements, want %d", len(s.Requirements), tt.nreqs)
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

func TestParsePyprojectPythonFromPixi(t *testing.T) {
	tests := []struct {
		src  string
		want []string // Raw of the python requirements
		why  string
	}{
		{"[project]\nname = \"x\"\nrequires-python = \"==3.12\"\n[tool.pixi.workspace]\n", []string{`requires-python = "==3.12"`}, "== is dropped: a bare conda version is equality"},
		{"[project]\nname = \"x\"\nrequires-python = \">=3.12\"\n[tool.pixi.dependencies]\nPython = \"3.12.*\"\n", []string{`Python = "3.12.*"`}, "a pixi python wins"},
		{"[project]\nname = \"x\"\nrequires-python = \">=3.12\"\n[tool.pixi.feature.a.dependencies]\npython = \"3.11.*\"\n",
			[]string{`requires-python = ">=3.12"`, `python = "3.11.*"`}, "only the default feature's python counts"},
		{"[project]\nname = \"x\"\nrequires-python = \">=3.12\"\n", nil, "no pixi: no conda python"},
	}
	for _, tt := range tests {
		s, err := ParsePyproject("pyproject.toml", []byte(tt.src))
		if err != nil {
			t.Fatalf("%q: %v", tt.src, err)
		}
		var got []string
		for _, r := range s.Requirements {
			if r.Name == "python" && r.Manager == lock.Conda {
				got = append(got, r.Raw)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: python requirements %q, want %q %s", tt.src, got, tt.want, tt.why)
		}
	}
}
