package pep440

import (
	"bufio"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseRequirement(t *testing.T) {
	tests := []struct {
		in         string
		name       string
		extras     []string
		specifiers string
		url        string
		marker     string
		reason     string
	}{
		{"pytz>=2015.7 ; python_full_version < '3.9'", "pytz", nil, ">=2015.7", "", `python_full_version < "3.9"`, "geodepot pixi.lock"},
		{"tzdata ; sys_platform == 'win32' and extra == 'dev'", "tzdata", nil, "", "", `sys_platform == "win32" and extra == "dev"`, "geodepot pixi.lock"},
		{"freezegun~=1.0 ; extra == 'dev'", "freezegun", nil, "~=1.0", "", `extra == "dev"`, "geodepot pixi.lock"},
		{"requests[socks]>=2.0", "requests", []string{"socks"}, ">=2.0", "", "", "geodepot pixi.lock"},
		{"importlib-metadata>=4.4 ; python_full_version < '3.10'", "importlib-metadata", nil, ">=4.4", "", `python_full_version < "3.10"`, "geodepot pixi.lock"},
		{"gdal==3.9.*", "gdal", nil, "==3.9.*", "", "", "geodepot pixi.lock"},
		{"mkdocs>=1.6,<2", "mkdocs", nil, ">=1.6,<2", "", "", "geodepot pixi.lock"},
		{"A", "a", nil, "", "", "", "a one-letter name"},
		{"foo-bar.quux_baz", "foo-bar-quux-baz", nil, "", "", "", "the name is normalised"},
		{"zope.interface", "zope-interface", nil, "", "", "", ""},
		{"name (==4)", "name", nil, "==4", "", "", "parenthesised specifiers"},
		{"name (>=1.0, <2) ; os_name == 'nt'", "name", nil, ">=1.0,<2", "", `os_name == "nt"`, ""},
		{"name>=3,<2", "name", nil, ">=3,<2", "", "", "an unsatisfiable set still parses"},
		{"name >=2, <3", "name", nil, ">=2,<3", "", "", ""},
		{"name>=1.0;python_version<'3'", "name", nil, ">=1.0", "", `python_version < "3"`, "no white space around ;"},
		{"foobar [quux,bar]", "foobar", []string{"bar", "quux"}, "", "", "", "extras sort"},
		{"foo[]", "foo", nil, "", "", "", "empty extras"},
		{"Django[Argon2, BCRYPT]", "django", []string{"argon2", "bcrypt"}, "", "", "", "extras are normalised"},
		{"pkg[Foo_Bar,foo-bar]", "pkg", []string{"foo-bar"}, "", "", "", "extras equal once normalised collapse"},
		{"name[quux, strange];python_version<'2.7' and platform_version=='2'", "name", []string{"quux", "strange"}, "", "",
			`python_version < "2.7" and platform_version == "2"`, ""},
		{"name; os_name=='a' and os_name=='b' or os_name=='c'", "name", nil, "", "",
			`os_name == "a" and os_name == "b" or os_name == "c"`, ""},
		{"name[fred,bar] @ http://foo.com ; python_version=='2.7'", "name", []string{"bar", "fred"}, "", "http://foo.com",
			`python_version == "2.7"`, ""},
		{"foo @ https://example.com/name;v=1.1/?query=foo&bar=baz#blah ; python_version=='3.4'", "foo", nil, "",
			"https://example.com/name;v=1.1/?query=foo&bar=baz#blah", `python_version == "3.4"`, "a ; inside a URL"},
		{"name@ http://foo.com", "name", nil, "", "http://foo.com", "", ""},
		{"name @ http://foo.com;python_version<'3'", "name", nil, "", "http://foo.com;python_version<'3'", "",
			"without white space the ; belongs to the URL"},
		{"pip @ file:///tmp/pip-24.0-py3-none-any.whl", "pip", nil, "", "file:///tmp/pip-24.0-py3-none-any.whl", "", ""},
		{"legacy===1.0.custom", "legacy", nil, "===1.0.custom", "", "", ""},
		{"torch==2.3.1+cu121", "torch", nil, "==2.3.1+cu121", "", "", "local label"},
		{"  name  >= 1.0  ;  extra == 'Dev_Tools'  ", "name", nil, ">=1.0", "", `extra == "dev-tools"`,
			"surrounding white space; the extra is normalised"},
		{"uvloop!=0.15.0,>=0.14.0; (sys_platform != 'win32' and (sys_platform != 'cygwin' and platform_python_implementation != 'PyPy')) and extra == 'standard'",
			"uvloop", nil, "!=0.15.0,>=0.14.0", "",
			`sys_platform != "win32" and sys_platform != "cygwin" and platform_python_implementation != "PyPy" and extra == "standard"`,
			"nested and flattens"},
	}
	for _, tt := range tests {
		req, err := ParseRequirement(tt.in)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v (%s)", tt.in, err, tt.reason)
			continue
		}
		if req.Name != tt.name || !slices.Equal(req.Extras, tt.extras) || req.Specifiers.String() != tt.specifiers ||
			req.URL != tt.url || req.Marker.String() != tt.marker {
			t.Errorf("ParseRequirement(%q) = {%q %q %q %q %q}, want {%q %q %q %q %q} (%s)", tt.in,
				req.Name, req.Extras, req.Specifiers, req.URL, req.Marker,
				tt.name, tt.extras, tt.specifiers, tt.url, tt.marker, tt.reason)
		}
		if req.Marker.IsZero() != (tt.marker == "") {
			t.Errorf("ParseRequirement(%q).Marker.IsZero() = %v", tt.in, req.Marker.IsZero())
		}
	}
}

func TestParseRequirementRejects(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		reason string
	}{
		{"", 0, "empty"},
		{"foo!", 3, "! is not a name character"},
		{"-foo", 0, "a name starts with a letter or digit"},
		{"näme", 1, "names are ASCII"},
		{"toto 42", 5, "a version without an operator"},
		{"name; foobar=='x'", 6, "unknown marker variable"},
		{"name;", 5, "empty marker"},
		{"name>=1.0 ; ", 11, "empty marker after white space"},
		{"name[", 4, "extras never closed"},
		{"name[a,]", 7, "trailing comma in extras"},
		{"name[a b]", 7, "extras need commas"},
		{"name[bar]baz", 9, "text after the extras"},
		{"name (>=1", 5, "parenthesis never closed"},
		{"name (>=1) junk", 11, "text after the parentheses"},
		{"name >=1)", 8, "a closing parenthesis without an opening one"},
		{"name==1.0.*.*", 9, ""},
		{"name @", 6, "no URL"},
		{"name @ http://x.org junk", 20, "text after the URL that is not a marker"},
		{"name ; python_version == '3' and", 32, "marker ends after and"},
		{"name\xff", 4, "not UTF-8"},
	}
	for _, tt := range tests {
		_, err := ParseRequirement(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseRequirement(%q) error = %v, want a *SyntaxError (%s)", tt.in, err, tt.reason)
			continue
		}
		if se.Kind != "requirement" || se.Offset != tt.offset {
			t.Errorf("ParseRequirement(%q) error %v: kind %q offset %d, want requirement at %d (%s)",
				tt.in, err, se.Kind, se.Offset, tt.offset, tt.reason)
		}
	}
}

// TestParseRequirementFixtures parses every line of
// testdata/requirements.txt.
func TestParseRequirementFixtures(t *testing.T) {
	lines := fixtureLines(t, "testdata/requirements.txt")
	if len(lines) != 39 {
		t.Fatalf("testdata/requirements.txt has %d requirements, want 39", len(lines))
	}
	for _, line := range lines {
		req, err := ParseRequirement(line)
		if err != nil {
			t.Errorf("ParseRequirement(%q): %v", line, err)
			continue
		}
		again, err := ParseMarker(req.Marker.String())
		if !req.Marker.IsZero() && (err != nil || again.String() != req.Marker.String()) {
			t.Errorf("marker of %q: String %q does not reparse to itself: %v", line, req.Marker, err)
		}
	}
}

// fixtureLines reads the non-blank, non-comment lines of a testdata file.
func fixtureLines(tb testing.TB, path string) []string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"requests", "requests"},
		{"Requests", "requests"},
		{"Foo.Bar__baz", "foo-bar-baz"},
		{"foo-_.-bar", "foo-bar"},
		{"zope.interface", "zope-interface"},
		{"typing_extensions", "typing-extensions"},
		{"a--b", "a-b"},
		{"-a-", "-a-"},
		{"", ""},
		{"PyYAML", "pyyaml"},
	}
	for _, tt := range tests {
		if got := NormalizeName(tt.in); got != tt.want {
			t.Errorf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
