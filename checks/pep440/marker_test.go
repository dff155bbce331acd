package pep440

import (
	"errors"
	"maps"
	"strings"
	"testing"
)

// linuxEnv is a Linux CPython 3.12 environment without an extra.
var linuxEnv = map[string]string{
	"python_version":                 "3.12",
	"python_full_version":            "3.12.8",
	"sys_platform":                   "linux",
	"platform_system":                "Linux",
	"platform_machine":               "x86_64",
	"platform_release":               "5.15.0-1043-azure",
	"platform_version":               "#1 SMP",
	"os_name":                        "posix",
	"implementation_name":            "cpython",
	"platform_python_implementation": "CPython",
}

// envWith returns linuxEnv with some keys changed.
func envWith(kv ...string) map[string]string {
	env := maps.Clone(linuxEnv)
	for i := 0; i+1 < len(kv); i += 2 {
		env[kv[i]] = kv[i+1]
	}
	return env
}

func TestMarkerEvaluate(t *testing.T) {
	tests := []struct {
		marker string
		env    map[string]string
		want   bool
		ok     bool
		reason string
	}{
		{"python_version < '3.10'", envWith("python_version", "3.9"), true, true, "versions, not strings: 3.9 < 3.10"},
		{"python_version < '3.10'", linuxEnv, false, true, ""},
		{"python_full_version < '3.9'", linuxEnv, false, true, ""},
		{"python_full_version >= '3.8.0'", linuxEnv, true, true, ""},
		{"python_version == '3.12.0'", linuxEnv, true, true, "zero padding"},
		{"python_version == '3.*'", linuxEnv, true, true, "wildcard"},
		{"python_full_version == '3.12.*'", linuxEnv, true, true, ""},
		{"python_version ~= '3.1'", linuxEnv, true, true, "~=3.1 is >=3.1, ==3.*"},
		{"python_version === '3.12'", linuxEnv, true, true, ""},
		{"'3.8' <= python_version", linuxEnv, true, true, "the literal on the left"},
		{"python_version > python_full_version", linuxEnv, false, true, "two variables"},
		{"python_full_version < '3.13'", envWith("python_full_version", "3.13.0rc1"), false, true, "<3.13 rejects 3.13's pre-releases"},
		{"python_full_version < '3.13.0rc1'", envWith("python_full_version", "3.13.0b2"), true, true, ""},
		{"sys_platform == 'win32'", linuxEnv, false, true, ""},
		{"sys_platform != 'win32'", linuxEnv, true, true, ""},
		{"platform_system == \"Darwin\"", linuxEnv, false, true, ""},
		{"os.name == 'posix'", linuxEnv, true, true, "dotted spelling of os_name"},
		{"python_implementation == 'CPython'", linuxEnv, true, true, "old spelling of platform_python_implementation"},
		{"'linux' in sys_platform", linuxEnv, true, true, "substring"},
		{"sys_platform in 'linux darwin'", linuxEnv, true, true, ""},
		{"'lin' in sys_platform", linuxEnv, true, true, "in is a substring test, not a word test"},
		{"platform_machine not in 'x86_64 AMD64'", linuxEnv, false, true, ""},
		{"platform_release >= '5.0'", linuxEnv, true, true, "5.15.0-1043-azure is not a version: strings compare"},
		{"platform_machine < 'b'", envWith("platform_machine", "aarch64"), true, true, "string order"},
		{"platform_version == '#1 SMP'", linuxEnv, true, true, ""},
		{"'a' == 'a'", nil, true, true, "two literals need no environment"},
		{"implementation_name == 'cpython' and (platform_machine == 'aarch64' or platform_machine == 'x86_64')", linuxEnv, true, true, ""},
		{"extra == 'dev'", envWith("extra", "dev"), true, true, ""},
		{"extra == 'dev'", envWith("extra", ""), false, true, ""},
		{"extra == 'Dev_Tools'", envWith("extra", "dev-tools"), true, true, "extras compare normalised (PEP 685)"},
		{"extra == 'dev-tools'", envWith("extra", "Dev.Tools"), true, true, "the environment's extra is normalised too"},
		{"extra == '1.0'", envWith("extra", "1"), false, true, "extras never compare as versions"},
		{"extra == 'dev'", linuxEnv, false, false, "extra undefined"},
		{"sys_platform == 'win32' and extra == 'dev'", linuxEnv, false, true, "false and unknown is false"},
		{"sys_platform == 'linux' and extra == 'dev'", linuxEnv, false, false, "true and unknown is unknown"},
		{"extra == 'dev' and sys_platform == 'win32'", linuxEnv, false, true, "unknown and false is false"},
		{"extra == 'dev' or python_version >= '3'", linuxEnv, true, true, "unknown or true is true"},
		{"os_name == 'nt' or extra == 'dev'", linuxEnv, false, false, "false or unknown is unknown"},
		{"implementation_version >= '7.3'", linuxEnv, false, false, "variable undefined"},
		{"platform_machine ~= 'x86'", linuxEnv, false, false, "~= on strings is undefined"},
		{"python_version < '3.10'", nil, false, false, "nil environment"},
	}
	if len(tests) < 25 {
		t.Fatalf("%d rows, want at least 25", len(tests))
	}
	for _, tt := range tests {
		m, err := ParseMarker(tt.marker)
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", tt.marker, err)
			continue
		}
		got, ok := m.Evaluate(tt.env)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ParseMarker(%q).Evaluate = %v, %v; want %v, %v (%s)", tt.marker, got, ok, tt.want, tt.ok, tt.reason)
		}
	}
}

func TestZeroMarker(t *testing.T) {
	var m Marker
	if !m.IsZero() || m.String() != "" {
		t.Errorf("zero Marker: IsZero %v, String %q", m.IsZero(), m.String())
	}
	if got, ok := m.Evaluate(nil); !got || !ok {
		t.Errorf("zero Marker.Evaluate(nil) = %v, %v; want true, true", got, ok)
	}
	parsed, err := ParseMarker("os_name == 'nt'")
	if err != nil || parsed.IsZero() {
		t.Errorf("ParseMarker(os_name == 'nt') = %v, IsZero %v", err, parsed.IsZero())
	}
}

func TestMarkerString(t *testing.T) {
	tests := []struct {
		in, want string
		reason   string
	}{
		{"python_version<'3.10'", `python_version < "3.10"`, "spaces and double quotes"},
		{"os.name=='posix'", `os_name == "posix"`, "canonical variable names"},
		{"extra == 'Dev_Tools'", `extra == "dev-tools"`, "extras are normalised"},
		{"'Dev_Tools' == extra", `"dev-tools" == extra`, ""},
		{"sys_platform not   in 'linux'", `sys_platform not in "linux"`, ""},
		{"platform_version == '\"quoted\"'", `platform_version == '"quoted"'`, "single quotes when the literal holds a double quote"},
		{"os_name == 'a' and (os_name == 'b' or os_name == 'c')", `os_name == "a" and (os_name == "b" or os_name == "c")`, "or inside and keeps its parentheses"},
		{"(os_name == 'a' and os_name == 'b') or os_name == 'c'", `os_name == "a" and os_name == "b" or os_name == "c"`, "and binds tighter: no parentheses needed"},
		{"((os_name == 'a'))", `os_name == "a"`, ""},
		{"os_name == 'a' and (os_name == 'b' and os_name == 'c')", `os_name == "a" and os_name == "b" and os_name == "c"`, "nested and flattens"},
		{"os_name == 'a' or os_name == 'b' and os_name == 'c'", `os_name == "a" or os_name == "b" and os_name == "c"`, ""},
		{"\tpython_version=='3'and os_name=='x'\n", `python_version == "3" and os_name == "x"`, "a keyword right after a quote"},
	}
	for _, tt := range tests {
		m, err := ParseMarker(tt.in)
		if err != nil {
			t.Errorf("ParseMarker(%q): %v", tt.in, err)
			continue
		}
		if got := m.String(); got != tt.want {
			t.Errorf("ParseMarker(%q).String() = %s, want %s (%s)", tt.in, got, tt.want, tt.reason)
		}
	}
}

func TestParseMarkerRejects(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		reason string
	}{
		{"", 0, "empty"},
		{"   ", 3, "blank"},
		{"foobar == 'x'", 0, "unknown variable"},
		{"python_versions == '3'", 0, "a variable is a whole word"},
		{"python_version", 14, "no operator"},
		{"python_version ==", 17, "no right side"},
		{"python_version == '3", 18, "unterminated string"},
		{"python_version = '3'", 15, "= is not an operator"},
		{"python_version notin '3'", 15, "not in needs a space"},
		{"python_version == '3' and", 25, "and without a right side"},
		{"python_version == '3' xor os_name == 'x'", 22, "no xor"},
		{"python_version == '3' and or os_name == 'x'", 26, ""},
		{"(python_version == '3'", 0, "unclosed parenthesis"},
		{"(python_version == '3' os_name", 23, ""},
		{"python_version == '3')", 21, "unopened parenthesis"},
		{"python_version == '3' ; os_name == 'x'", 22, "a marker holds no ;"},
		{"python_version == \"3\u00e9\" and \xff", 28, "not UTF-8"},
		{strings.Repeat("(", 33) + "os_name == 'x'" + strings.Repeat(")", 33), 32, "parentheses nested too deep"},
	}
	for _, tt := range tests {
		_, err := ParseMarker(tt.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("ParseMarker(%q) error = %v, want a *SyntaxError (%s)", tt.in, err, tt.reason)
			continue
		}
		if se.Kind != "marker" || se.Offset != tt.offset {
			t.Errorf("ParseMarker(%q) error %v: kind %q offset %d, want marker at %d (%s)",
				tt.in, err, se.Kind, se.Offset, tt.offset, tt.reason)
		}
	}
	deep := strings.Repeat("(", 32) + "os_name == 'x'" + strings.Repeat(")", 32)
	if _, err := ParseMarker(deep); err != nil {
		t.Errorf("32 levels of parentheses: %v", err)
	}
}
