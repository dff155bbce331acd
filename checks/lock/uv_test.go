package lock

import (
	"testing"
)

func TestUVDetails(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		pkg       string
		line      int
		depends   []Dependency
		why       string
	}{
		{
			"declarations that disagree, no marker match", `version = 1
requires-python = ">=3.9"

[[package]]
name = "app"
version = "1.0"
source = { virtual = "." }
dependencies = [{ name = "numpy", marker = "python_full_version >= '3.11'" }]

[package.metadata]
requires-dist = [
    { name = "numpy", marker = "python_full_version < '3.10'", specifier = "<2" },
    { name = "numpy", marker = "python_full_version >= '3.10'", specifier = ">=2" },
]
`, "app", 4, []Dependency{{Manager: PyPI, Name: "numpy", Marker: "python_full_version >= '3.11'"}}, "uv simplified the marker; which declaration applies is ambiguous",
		},
		{
			"headers inside a multi-line string are not packages", `version = 1
requires-python = ">=3.9"
note = """
[[package]]
"""

[[ package ]]  # spaced header
name = "Zope.Interface"
version = "7.2"
source = { url = "https://x/zope.interface-7.2.tar.gz" }
`, "zope-interface", 7, nil, "",
		},
		{
			"no metadata", `version = 1
requires-python = ">=3.9"

[[package]]
name = "a"
version = "1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "B_C", extra = ["x"] }]
`, "a", 4, []Dependency{{Manager: PyPI, Name: "b-c"}}, "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseFormat(FormatUV, "uv.lock", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			p := l.Environment(DefaultEnvironment).Platform(AnyPlatform).Package(PyPI, tc.pkg)
			if p == nil {
				t.Fatalf("no package %s", tc.pkg)
			}
			if p.Line != tc.line || len(p.Depends) != len(tc.depends) {
				t.Fatalf("line %d depends %+v, want line %d depends %+v (%s)", p.Line, p.Depends, tc.line, tc.depends, tc.why)
			}
			for i, d := range p.Depends {
				if d != tc.depends[i] {
					t.Errorf("depends[%d] = %+v, want %+v (%s)", i, d, tc.depends[i], tc.why)
				}
			}
		})
	}
}
