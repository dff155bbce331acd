package spec

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
)

func TestParseRequirementsForms(t *testing.T) {
	s, err := ParseRequirements("requirements.in", readFixture(t, "requirements/requirements.in"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Kind != Requirements || s.Channels != nil || s.Platforms != nil || s.Environments != nil {
		t.Errorf("Kind %q, Channels %q, Platforms %q, Environments %v", s.Kind, s.Channels, s.Platforms, s.Environments)
	}
	if want := []string{"base.in", "constraints.txt", "./more-constraints.txt"}; !reflect.DeepEqual(s.Includes, want) {
		t.Errorf("Includes = %q, want %q", s.Includes, want)
	}
	p := lock.PyPI
	diffReqs(t, s.Requirements, []req{
		{Line: 8, Manager: p, Name: "jupyterhub", Raw: "jupyterhub==5.2.1", Constraint: "==5.2.1"},
		{Line: 9, Manager: p, Name: "numpy", Raw: "numpy>=1.26,<2", Constraint: ">=1.26,<2"},
		{Line: 10, Manager: p, Name: "pandas", Raw: `pandas     >=2.0.1     ; python_version >= "3.9"`, // three lines joined
			Constraint: `>=2.0.1 ; python_version >= "3.9"`},
		{Line: 13, Manager: p, Name: "requests", Raw: "requests[socks,security] ~= 2.31", Constraint: "[security,socks] ~=2.31"},
		{Line: 14, Manager: p, Name: "scipy", Raw: "scipy==1.13.0", Constraint: "==1.13.0"}, // --hash is a per-requirement option
		{Line: 15, Manager: p, Name: "pywin32", Raw: `pywin32 >= 306 ; sys_platform == "win32"`, Constraint: `>=306 ; sys_platform == "win32"`},
		{Line: 16, Manager: p, Name: "nbgitpuller", Raw: "-e git+https://github.com/jupyterhub/nbgitpuller.git@main#egg=nbgitpuller",
			Constraint: "@ git+https://github.com/jupyterhub/nbgitpuller.git@main#egg=nbgitpuller", Local: true}, // "#" inside a word is no comment
		{Line: 17, Manager: p, Name: "", Raw: "--editable=./local/pkg", Constraint: "@ ./local/pkg", Local: true},
		{Line: 18, Manager: p, Name: "tool-kit", Raw: "./vendor/Tool_Kit-1.0-py3-none-any.whl", Constraint: "@ ./vendor/Tool_Kit-1.0-py3-none-any.whl", Local: true},
		{Line: 19, Manager: p, Name: "private-pkg", Raw: "https://${TOKEN}@files.example.org/private_pkg-2.1.tar.gz",
			Constraint: "@ https://${TOKEN}@files.example.org/private_pkg-2.1.tar.gz", Local: true}, // ${TOKEN} left as written
		{Line: 20, Manager: p, Name: "nbgrader", Raw: "nbgrader @ git+https://github.com/jupyter/nbgrader@v0.9.1",
			Constraint: "@ git+https://github.com/jupyter/nbgrader@v0.9.1", Local: true},
		{Line: 22, Manager: p, Name: "django", Raw: "Django>=4.2", Constraint: ">=4.2"}, // the comment on 21 did not continue
		{Line: 23, Manager: p, Name: "xarray", Raw: "xarray", Constraint: ""},           // the comment line 24 ended the continuation
		{Line: 25, Manager: p, Name: "zarr", Raw: "zarr", Constraint: ""},
	})
}

func TestParseRequirementsProblems(t *testing.T) {
	src := strings.Join([]string{
		"numpy>=1.26",         // 1
		"requests>>2",         // 2
		"--frobnicate",        // 3
		"pandas \\",           // 4
		"  ==2.*.1",           // 5: part of line 4
		"-r",                  // 6
		"<script>@evil",       // 7
		"scipy",               // 8
		"${PKG}==1.0",         // 9
		"--only-binary :all:", // 10
	}, "\n")
	s, err := ParseRequirements("requirements.txt", []byte(src))
	if s == nil {
		t.Fatalf("spec is nil: %v", err)
	}
	var names []string
	for _, r := range s.Requirements {
		names = append(names, r.Name)
	}
	if want := []string{"numpy", "scipy"}; !reflect.DeepEqual(names, want) {
		t.Errorf("requirements = %q, want %q", names, want)
	}
	want := []string{
		`2: invalid requirement "requests>>2"`,
		`3: unknown pip option "--frobnicate"`,
		`4: invalid requirement "pandas   ==2.*.1"`,
		`6: pip option -r needs a value`,
		`7: invalid requirement "<script>@evil"`,
		`9: invalid requirement "${PKG}==1.0"`,
	}
	got := problemLines(err)
	if len(got) != len(want) {
		t.Fatalf("problems = %q\nwant %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "requirements.txt:2: invalid requirement") || strings.Count(msg, "\n") != 5 {
		t.Errorf("Problems.Error() = %q, want one path:line: line per problem", msg)
	}
}

func TestLogicalLines(t *testing.T) {
	tests := []struct {
		src  string
		want []logicalLine
		why  string
	}{
		{"a\nb\n", []logicalLine{{1, "a"}, {2, "b"}}, ""},
		{"a \\\n  b\nc", []logicalLine{{1, "a   b"}, {3, "c"}}, ""},
		{"a\r\nb\r\n", []logicalLine{{1, "a"}, {2, "b"}}, "CRLF"},
		{"# x \\\na", []logicalLine{{2, "a"}}, "a comment line never continues"},
		{"a \\\n# c\nb", []logicalLine{{1, "a"}, {3, "b"}}, "a comment line ends a continuation"},
		{"a \\", []logicalLine{{1, "a"}}, "a final backslash is dropped"},
		{"\\\nb", []logicalLine{{1, "b"}}, "a line of only a backslash continues"},
		{"a #x\nb#y", []logicalLine{{1, "a"}, {2, "b#y"}}, "# after a non-blank is kept"},
		{"\n\n  \n#c\n", nil, "blank and comment lines are dropped"},
		{"a \\\nb \\\nc\nd", []logicalLine{{1, "a b c"}, {4, "d"}}, ""},
	}
	for _, tt := range tests {
		if got := logicalLines(tt.src); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("logicalLines(%q) = %v, want %v %s", tt.src, got, tt.want, tt.why)
		}
	}
}

func TestParsePipLine(t *testing.T) {
	tests := []struct {
		line    string
		include string
		name    string // "-" for no requirement
		local   bool
		err     string
		why     string
	}{
		{line: "-r base.txt", include: "base.txt", name: "-"},
		{line: "-rbase.txt", include: "base.txt", name: "-", why: "short option glued to its value"},
		{line: "--requirement=base.txt", include: "base.txt", name: "-"},
		{line: `--requirement "my reqs.txt"`, include: "my reqs.txt", name: "-", why: "one pair of quotes is removed"},
		{line: `-r 'my reqs.txt'`, include: "my reqs.txt", name: "-"},
		{line: `-r my\ reqs.txt`, include: "my reqs.txt", name: "-", why: "a backslash escapes the space"},
		{line: `-r "a\"b.txt"`, include: `a"b.txt`, name: "-"},
		{line: `-r "unclosed`, name: "-", err: `unclosed quote in pip options "-r \"unclosed"`},
		{line: "-c constraints.txt", include: "constraints.txt", name: "-"},
		{line: "--index-url https://x -r base.txt", include: "base.txt", name: "-", why: "options before an include are stepped over"},
		{line: "--no-index", name: "-"},
		{line: "--prefer-binary --require-hashes --pre", name: "-"},
		{line: "-f ./wheels", name: "-"},
		{line: "--trusted-host pypi.example.org", name: "-"},
		{line: "-e .", name: "", local: true},
		{line: "-e ./pkg[test]", name: "", local: true},
		{line: "-e git+https://github.com/a/b.git#egg=Foo_Bar[x]", name: "foo-bar", local: true, why: "#egg= names it; extras dropped"},
		{line: "-e git+https://github.com/a/b.git#subdirectory=x&egg=foo", name: "foo", local: true},
		{line: "git+https://github.com/a/b.git", name: "", local: true, why: "a git URL without #egg= does not say"},
		{line: "file:///wheels/foo-1.0-py3-none-any.whl", name: "foo", local: true},
		{line: "https://h/x/foo%2Dbar-1.0.tar.gz", name: "foo-bar", local: true, why: "the file name is unescaped"},
		{line: "https://h/x/archive.zip", name: "", local: true, why: "no version in the name: no package name"},
		{line: "foo-1.0.zip", name: "foo", local: true, why: "an archive file name is a path"},
		{line: "dir/sub", name: "", local: true},
		{line: ".", name: "", local: true},
		{line: "foo @ ./local", name: "foo", local: true, why: "PEP 508 with a path URL"},
		{line: "foo @ https://h/foo.whl ; python_version < '3.9'", name: "foo", local: true},
		{line: "https://h/foo-1.0-py3-none-any.whl ; python_version < '3.9'", name: "foo", local: true, why: "a URL's marker follows '; '"},
		{line: "foo[bar]>=1 ; os_name == 'nt'", name: "foo"},
		{line: "foo==1.0 --hash=sha256:abc --hash=sha256:def", name: "foo"},
		{line: "foo==1.0 --config-settings=x=y", name: "foo", why: "per-requirement options are ignored"},
		{line: "--frobnicate", name: "-", err: `unknown pip option "--frobnicate"`},
		{line: "-x", name: "-", err: `unknown pip option "-x"`},
		{line: "--index-url", name: "-", err: "pip option --index-url needs a value"},
		{line: "--pre=yes", name: "-", err: `unknown pip option "--pre=yes"`, why: "a flag takes no value"},
	}
	for _, tt := range tests {
		pl := parsePipLine(tt.line)
		name := "-"
		local := false
		if pl.req != nil {
			name, local = pl.req.Name, pl.req.Local
		}
		if pl.include != tt.include || name != tt.name || local != tt.local || pl.err != tt.err {
			t.Errorf("parsePipLine(%q) = include %q name %q local %v err %q; want %q %q %v %q %s",
				tt.line, pl.include, name, local, pl.err, tt.include, tt.name, tt.local, tt.err, tt.why)
		}
	}
}
