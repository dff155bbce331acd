package lock

import "testing"

func TestSplitMatchSpec(t *testing.T) {
	for _, tc := range []struct {
		in, name, spec string
		ok             bool
		why            string
	}{
		{"libsqlite 3.51.2 h0c1763c_0", "libsqlite", "3.51.2 h0c1763c_0", true, "version and build"},
		{"python_abi 3.12.* *_cp312", "python_abi", "3.12.* *_cp312", true, "build glob kept verbatim"},
		{"__glibc >=2.17,<3.0.a0", "__glibc", ">=2.17,<3.0.a0", true, "virtual package"},
		{"python", "python", "", true, "any version"},
		{"python >=3.8", "python", ">=3.8", true, ""},
		{"python>=3.8", "python", ">=3.8", true, "no space before the operator"},
		{"numpy[version='>=1.2']", "numpy", "[version='>=1.2']", true, "bracket form"},
		{"conda-forge::libzlib >=1.3.1,<2.0a0", "libzlib", ">=1.3.1,<2.0a0", true, "channel dropped"},
		{"conda-forge/linux-64::libzlib 1.3.1", "libzlib", "1.3.1", true, "channel and subdir dropped"},
		{"  vc14_runtime   >=14.44  ", "vc14_runtime", ">=14.44", true, "spaces trimmed"},
		{"python =3.12", "python", "=3.12", true, ""},
		{">=1.0", "", "", false, "no name"},
		{"", "", "", false, ""},
	} {
		name, spec, ok := splitMatchSpec(tc.in)
		if name != tc.name || spec != tc.spec || ok != tc.ok {
			t.Errorf("splitMatchSpec(%q) = %q %q %v, want %q %q %v (%s)", tc.in, name, spec, ok, tc.name, tc.spec, tc.ok, tc.why)
		}
	}
}

func TestSplitRequirement(t *testing.T) {
	for _, tc := range []struct {
		in, name, spec, marker string
		ok                     bool
		why                    string
	}{
		{"pytz>=2015.7 ; python_full_version < '3.9'", "pytz", ">=2015.7", "python_full_version < '3.9'", true, ""},
		{"tzdata ; sys_platform == 'win32' and extra == 'dev'", "tzdata", "", "sys_platform == 'win32' and extra == 'dev'", true, "no specifier"},
		{"Requests[socks,security] >=2.0,<3", "requests", ">=2.0,<3", "", true, "extras dropped, name normalised"},
		{"zope.interface (>=5.0)", "zope-interface", ">=5.0", "", true, "parentheses dropped"},
		{"my-subdir @ file:///foobar/my_subdir", "my-subdir", "", "", true, "direct reference has no specifier"},
		{"pkg @ https://x/pkg-1.0.tar.gz#sha256=ab;c ; os_name == 'nt'", "pkg", "", "os_name == 'nt'", true, "';' inside the URL is not the marker"},
		{"charset_normalizer<4,>=2", "charset-normalizer", "<4,>=2", "", true, ""},
		{"foo===1.0.local", "foo", "===1.0.local", "", true, ""},
		{"bar[x", "", "", "", false, "unclosed extras"},
		{"; python_version > '3'", "", "", "", false, "no name"},
	} {
		name, spec, marker, ok := splitRequirement(tc.in)
		if name != tc.name || spec != tc.spec || marker != tc.marker || ok != tc.ok {
			t.Errorf("splitRequirement(%q) = %q %q %q %v, want %q %q %q %v (%s)", tc.in, name, spec, marker, ok, tc.name, tc.spec, tc.marker, tc.ok, tc.why)
		}
	}
}

func TestNormalizePyPI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"requests", "requests"},
		{"Typing_Extensions", "typing-extensions"},
		{"zope.interface", "zope-interface"},
		{"a__b--c..d", "a-b-c-d"},
		{"a-_.b", "a-b"},
		{"-leading", "-leading"},
		{"trailing_", "trailing-"},
		{"double--dash", "double-dash"},
		{"", ""},
	} {
		if got := normalizePyPI(tc.in); got != tc.want {
			t.Errorf("normalizePyPI(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
