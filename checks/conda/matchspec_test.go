package conda

import (
	"strings"
	"testing"
)

// matchSpecParses lists MatchSpecs with their fields and canonical String.
var matchSpecParses = []struct {
	in                                    string
	channel, subdir, name, version, build string
	str                                   string
	reason                                string
}{
	{"python", "", "", "python", "*", "", "python", ""},
	{"numpy >=1.2", "", "", "numpy", ">=1.2", "", "numpy >=1.2", ""},
	{"numpy >= 1.2", "", "", "numpy", ">=1.2", "", "numpy >=1.2", "whitespace after the operator"},
	{"numpy>=1.2,<2", "", "", "numpy", ">=1.2,<2", "", "numpy >=1.2,<2", ""},
	{"numpy >=1.2, <2", "", "", "numpy", ">=1.2,<2", "", "numpy >=1.2,<2", ""},
	{"python 3.12.* *_cpython", "", "", "python", "3.12.*", "*_cpython", "python 3.12.* *_cpython", ""},
	{"libsqlite 3.51.2 h0c1763c_0", "", "", "libsqlite", "3.51.2", "h0c1763c_0", "libsqlite 3.51.2 h0c1763c_0", ""},
	{"libcblas   3.11.0   6*_openblas", "", "", "libcblas", "3.11.0", "6*_openblas", "libcblas 3.11.0 6*_openblas", "pixi.lock pads with spaces"},
	{"blas 2.305   openblas", "", "", "blas", "2.305", "openblas", "blas 2.305 openblas", ""},
	{"libgomp 15.2.0 18", "", "", "libgomp", "15.2.0", "18", "libgomp 15.2.0 18", "a build that is only a build number"},
	{"libgcc ==15.2.0=*_18", "", "", "libgcc", "==15.2.0", "*_18", "libgcc ==15.2.0 *_18", "'=' separates the build"},
	{"python >=3.12,<3.13.0a0 *_cpython", "", "", "python", ">=3.12,<3.13.0a0", "*_cpython", "python >=3.12,<3.13.0a0 *_cpython", ""},
	{"python_abi 3.12.* *_cp312", "", "", "python_abi", "3.12.*", "*_cp312", "python_abi 3.12.* *_cp312", ""},
	{"openmp 22.1.2|22.1.2.*", "", "", "openmp", "22.1.2|22.1.2.*", "", "openmp 22.1.2|22.1.2.*", ""},
	{"__glibc >=2.17,<3.0.a0", "", "", "__glibc", ">=2.17,<3.0.a0", "", "__glibc >=2.17,<3.0.a0", "a virtual package"},
	{"x264 >=1!164.3095,<1!165", "", "", "x264", ">=1!164.3095,<1!165", "", "x264 >=1!164.3095,<1!165", "epochs"},
	{"python=3.11", "", "", "python", "=3.11", "", "python =3.11", "name=version is a prefix"},
	{"python=3.12 # if changing, also change .binder", "", "", "python", "=3.12", "", "python =3.12", "a comment"},
	{"numpy==1.26.4", "", "", "numpy", "1.26.4", "", "numpy 1.26.4", "conda drops == when there is no build"},
	{"numpy==1.26.*", "", "", "numpy", "1.26.*", "", "numpy 1.26.*", "so numpy==1.26.* is a prefix, unlike the spec ==1.26.*"},
	{"numpy[version='==1.26.*']", "", "", "numpy", "==1.26.*", "", "numpy[version='==1.26.*']", "in brackets == stays, so String keeps the brackets"},
	{"numpy=1.11.1=py36_0", "", "", "numpy", "1.11.1", "py36_0", "numpy 1.11.1 py36_0", "with a build, =X pins X exactly, as in conda"},
	{"numpy =1.11.1 py36_0", "", "", "numpy", "1.11.1", "py36_0", "numpy 1.11.1 py36_0", "with a build, =X pins X exactly, as in conda"},
	{"foo==1.0=py27_0", "", "", "foo", "==1.0", "py27_0", "foo ==1.0 py27_0", ""},
	{"numpy=1.2*=py_0", "", "", "numpy", "1.2*", "py_0", "numpy 1.2* py_0", ""},
	{"pytorch=*=cuda*", "", "", "pytorch", "*", "cuda*", "pytorch * cuda*", ""},
	{"blas * mkl", "", "", "blas", "*", "mkl", "blas * mkl", ""},
	{"numpy >=1.0 , < 2.0 py34_0", "", "", "numpy", ">=1.0,<2.0", "py34_0", "numpy >=1.0,<2.0 py34_0", "conda's doc example"},
	{"numpy >=1.0 , < 2.0 =py34_0", "", "", "numpy", ">=1.0,<2.0", "py34_0", "numpy >=1.0,<2.0 py34_0", "conda splits at the '='; rattler keeps \"=py34_0\""},
	{"numpy >1.8,<2|==1.7", "", "", "numpy", ">1.8,<2|==1.7", "", "numpy >1.8,<2|==1.7", ""},
	{"python ==2.7.*.*|>=3.6", "", "", "python", "2.7.*.*|>=3.6", "", "python 2.7.*.*|>=3.6", "conda drops the == and reads a glob"},
	{"rust ~=1.2.3", "", "", "rust", "~=1.2.3", "", "rust ~=1.2.3", ""},
	{"jupyterhub-singleuser~=5.0", "", "", "jupyterhub-singleuser", "~=5.0", "", "jupyterhub-singleuser ~=5.0", ""},
	{"sqlite>=3.39.0", "", "", "sqlite", ">=3.39.0", "", "sqlite >=3.39.0", "the outage fix"},
	{"numpy!=1.2", "", "", "numpy", "!=1.2", "", "numpy !=1.2", ""},
	{"PyYAML>=6", "", "", "pyyaml", ">=6", "", "pyyaml >=6", "names are lower-cased"},
	{"conda-forge::numpy", "conda-forge", "", "numpy", "*", "", "conda-forge::numpy", ""},
	{"conda-forge::numpy >=1.2", "conda-forge", "", "numpy", ">=1.2", "", "conda-forge::numpy >=1.2", ""},
	{"conda-forge/linux-64::numpy>=1.2", "conda-forge", "linux-64", "numpy", ">=1.2", "", "conda-forge/linux-64::numpy >=1.2", ""},
	{"conda-forge/label/dev::numpy", "conda-forge/label/dev", "", "numpy", "*", "", "conda-forge/label/dev::numpy", "a label is not a subdir"},
	{"https://conda.anaconda.org/conda-forge::numpy", "https://conda.anaconda.org/conda-forge", "", "numpy", "*", "", "https://conda.anaconda.org/conda-forge::numpy", "a URL channel"},
	{"https://c.com/p/conda/linux-64::python[version=3.9]", "https://c.com/p/conda", "linux-64", "python", "3.9", "", "https://c.com/p/conda/linux-64::python 3.9", ""},
	{"https://c.com/p/conda/::python", "https://c.com/p/conda", "", "python", "*", "", "https://c.com/p/conda::python", "trailing slashes are dropped"},
	{"numpy[version='>=1.2', build='*_0']", "", "", "numpy", ">=1.2", "*_0", "numpy >=1.2 *_0", "single quotes"},
	{`numpy[version=">=1.2,<2",build="py*"]`, "", "", "numpy", ">=1.2,<2", "py*", "numpy >=1.2,<2 py*", "double quotes, no space"},
	{"numpy[version=1.2.*]", "", "", "numpy", "1.2.*", "", "numpy 1.2.*", "unquoted"},
	{"numpy [version='1.2']", "", "", "numpy", "1.2", "", "numpy 1.2", "space before the brackets"},
	{"numpy 1.0 [build=py_0]", "", "", "numpy", "1.0", "py_0", "numpy 1.0 py_0", "positional version, bracket build"},
	{"numpy >=1 py_1[build=py_0]", "", "", "numpy", ">=1", "py_0", "numpy >=1 py_0", "brackets override"},
	{"numpy[version='=1.2', build=py_0]", "", "", "numpy", "=1.2", "py_0", "numpy[version='=1.2', build='py_0']", "in brackets =1.2 stays a prefix, so String keeps the brackets"},
	{"numpy[build_number=3]", "", "", "numpy", "*", "", "numpy[build_number='3']", ""},
	{`conda-forge::foo[version=1.0.*, build_number=">6"]`, "conda-forge", "", "foo", "1.0.*", "", "conda-forge::foo[version='1.0.*', build_number='>6']", "rattler's example"},
	{"numpy[channel=conda-forge/osx-arm64]", "conda-forge", "osx-arm64", "numpy", "*", "", "conda-forge/osx-arm64::numpy", ""},
	{"numpy[subdir=linux-64]", "", "linux-64", "numpy", "*", "", "numpy[subdir='linux-64']", "a subdir without a channel stays in brackets"},
	{"conda-forge/linux-32::python[version=3.9, subdir=linux-64]", "conda-forge", "linux-64", "python", "3.9", "", "conda-forge/linux-64::python 3.9", "the bracket subdir wins"},
	{"channel/win-64::foobar[channel=conda-forge, subdir=linux-64]", "conda-forge", "linux-64", "foobar", "*", "", "conda-forge/linux-64::foobar", "the bracket channel wins"},
	{"libzlib 1.3.1 hb9d3cd8_2", "", "", "libzlib", "1.3.1", "hb9d3cd8_2", "libzlib 1.3.1 hb9d3cd8_2", ""},
	{"vs2015_runtime 14.44.35208.* *_34", "", "", "vs2015_runtime", "14.44.35208.*", "*_34", "vs2015_runtime 14.44.35208.* *_34", ""},
	{"python *", "", "", "python", "*", "", "python", "an explicit any"},
	{"numpy[build='py-0']", "", "", "numpy", "*", "py-0", "numpy[build='py-0']", "a '-' in the build cannot go after a space"},
}

func TestParseMatchSpec(t *testing.T) {
	for _, tc := range matchSpecParses {
		m, err := ParseMatchSpec(tc.in)
		if err != nil {
			t.Errorf("ParseMatchSpec(%q): %v", tc.in, err)
			continue
		}
		got := [...]string{m.Channel, m.Subdir, m.Name, m.Version.String(), m.Build, m.String()}
		want := [...]string{tc.channel, tc.subdir, tc.name, tc.version, tc.build, tc.str}
		if got != want {
			t.Errorf("ParseMatchSpec(%q) = %q\nwant %q (%s)", tc.in, got, want, tc.reason)
		}
	}
}

// sameMatchSpec compares every field, the unexported build number included.
func sameMatchSpec(a, b MatchSpec) bool {
	return a.Channel == b.Channel && a.Subdir == b.Subdir && a.Name == b.Name &&
		a.Version.String() == b.Version.String() && a.Build == b.Build &&
		a.buildNumber == b.buildNumber
}

func TestMatchSpecRoundTrip(t *testing.T) {
	for _, tc := range matchSpecParses {
		m, err := ParseMatchSpec(tc.in)
		if err != nil {
			continue
		}
		again, err := ParseMatchSpec(m.String())
		if err != nil {
			t.Errorf("ParseMatchSpec(%q).String() = %q, which does not parse: %v", tc.in, m.String(), err)
			continue
		}
		if !sameMatchSpec(m, again) {
			t.Errorf("ParseMatchSpec(%q) = %#v\nits String %q parses to %#v", tc.in, m, m.String(), again)
		}
	}
}

func TestParseMatchSpecErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"", "empty"},
		{"   # only a comment", "empty"},
		{">=1.2", "missing package name"},
		{"[version=1.2]", "missing package name"},
		{"conda-forge::", "missing package name"},
		{"conda-forge:: numpy", "missing package name"},
		{"::numpy", "empty channel"},
		{"/linux-64::numpy", "missing channel before subdir"},
		{"numpy >=", "missing version after"},
		{"numpy ==", "missing version after \"==\""},
		{"numpy 1..2", "empty version component"},
		{"numpy 1.2 py 0", "invalid character \" \" in build"},
		{"numpy 1.2 py(0)", "invalid character \"(\" in build"},
		{"nu(mpy", "invalid package name"},
		{"ns:numpy", "invalid package name"},
		{"a/b", "invalid package name"},
		{"https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h_0.conda", "invalid package name"},
		{"numpy[version='1.2'", "missing ']'"},
		{"numpy[version='1.2]", "unterminated quote"},
		{"numpy[version=]", "empty value for bracket key \"version\""},
		{"numpy[version='']", "empty value"},
		{"numpy[md5=abc]", "unsupported bracket key \"md5\""},
		{"numpy[=1.2]", "expected a key"},
		{"numpy[version 1.2]", "expected '=' after bracket key"},
		{"numpy[version=1.2, version=1.3]", "given twice"},
		{"numpy[version=1.2] extra", "unexpected \"extra\" after ']'"},
		{"numpy[version=1.2][build=x]", "unexpected \"[build=x]\" after ']'"},
		{"numpy[build='py 0']", "invalid character \" \" in build"},
		{"numpy[build_number=x]", "build_number must be a number"},
		{"numpy[build_number='=>3']", "unknown build_number operator"},
		{"numpy[subdir=linux-65]", "unknown subdir"},
		{"numpy[channel='a b']", "invalid character \" \" in channel"},
		{"numpy[version='>=1.2 <2']", "invalid character \" \""},
		{"numpy 1.2 h-1", "invalid character \" \""},
		{strings.Repeat("a", MaxLength+1), "longer than 4096 bytes"},
	} {
		_, err := ParseMatchSpec(tc.in)
		if err == nil {
			t.Errorf("ParseMatchSpec(%q) succeeded, want error containing %q", tc.in, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseMatchSpec(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestMatchSpecMatch(t *testing.T) {
	for _, tc := range []struct {
		spec                 string
		name, version, build string
		want                 bool
		reason               string
	}{
		{"libsqlite 3.45.1", "libsqlite", "3.53.0", "h0c1763c_0", false, "the outage: sqlite pinned libsqlite 3.45.1, the image had 3.53.0"},
		{"libsqlite 3.53.0", "libsqlite", "3.53.0", "h0c1763c_0", true, ""},
		{"libsqlite 3.51.2 h0c1763c_0", "libsqlite", "3.51.2", "h0c1763c_0", true, ""},
		{"libsqlite 3.51.2 h0c1763c_0", "libsqlite", "3.51.2", "h0c1763c_1", false, "build mismatch"},
		{"libsqlite 3.51.2 h0c1763c_0", "libsqlite", "3.52.0", "h0c1763c_0", false, "version mismatch"},
		{"libblas >=3.9.0,<4.0a0", "libblas", "3.11.0", "6_h51639a9_openblas", true, "numpy's libblas constraint"},
		{"libblas >=3.9.0,<4.0a0", "libblas", "4.0.0", "0_openblas", false, ""},
		{"python 3.12.* *_cpython", "python", "3.12.11", "h9e4cc4f_0_cpython", true, ""},
		{"python 3.12.* *_cpython", "python", "3.12.11", "0_73_pypy", false, "build glob"},
		{"python 3.12.* *_cpython", "python", "3.13.0", "h9e4cc4f_0_cpython", false, ""},
		{"libcblas 3.11.0 6*_openblas", "libcblas", "3.11.0", "6_h51639a9_openblas", true, ""},
		{"libcblas 3.11.0 6*_openblas", "libcblas", "3.11.0", "5_h4a7cf45_openblas", false, "build number 5, not 6"},
		{"libcblas 3.11.0 6*_openblas", "libcblas", "3.11.0", "6_hf2e6a31_mkl", false, "mkl, not openblas"},
		{"numpy", "numpyx", "1.0", "0", false, "names must be equal"},
		{"NumPy >=1", "numpy", "1.26.4", "py312h", true, "names compare case-insensitively"},
		{"numpy", "NUMPY", "1.26.4", "py312h", true, ""},
		{"numpy=1.11.1=py36_0", "numpy", "1.11.1", "py36_0", true, ""},
		{"numpy=1.11.1=py36_0", "numpy", "1.11.1.1", "py36_0", false, "with a build, =X pins X exactly"},
		{"numpy=1.11", "numpy", "1.11.3", "py36_0", true, "without a build, =X is a prefix"},
		{"python=3.11", "python", "3.12.0", "h_cpython", false, ""},
		{"numpy==1.26.*", "numpy", "1.26.4", "py312h", true, "conda drops == when there is no build"},
		{"numpy[version='==1.26.*']", "numpy", "1.26.4", "py312h", false, "the spec ==1.26.* is ==1.26"},
		{"sqlite>=3.39.0", "sqlite", "3.45.1", "h2c6b66d_0", true, ""},
		{"pytorch=*=cuda*", "pytorch", "2.5.1", "cuda126_py312h", true, ""},
		{"pytorch=*=cuda*", "pytorch", "2.5.1", "cpu_py312h", false, ""},
		{"conda-forge/linux-64::numpy", "numpy", "1.0", "0", true, "channel and subdir are not checked"},
		{"numpy[build_number='>6']", "numpy", "1.0", "0", true, "build_number is not checked"},
		{"__glibc >=2.17,<3.0.a0", "__glibc", "2.39", "0", true, ""},
	} {
		m, err := ParseMatchSpec(tc.spec)
		if err != nil {
			t.Errorf("ParseMatchSpec(%q): %v", tc.spec, err)
			continue
		}
		if got := m.Match(tc.name, mustVersion(t, tc.version), tc.build); got != tc.want {
			t.Errorf("ParseMatchSpec(%q).Match(%q, %q, %q) = %v, want %v (%s)",
				tc.spec, tc.name, tc.version, tc.build, got, tc.want, tc.reason)
		}
	}
}

func TestMatchBuild(t *testing.T) {
	for _, tc := range []struct {
		glob, build string
		want        bool
		reason      string
	}{
		{"", "py312h_0", true, "empty matches all"},
		{"*", "py312h_0", true, ""},
		{"*", "", true, ""},
		{"h0c1763c_0", "h0c1763c_0", true, ""},
		{"h0c1763c_0", "h0c1763c_1", false, ""},
		{"h0c1763c_0", "h0c1763c_00", false, "no implicit trailing '*'"},
		{"*_cp312", "py312h_cp312", true, ""},
		{"*_cp312", "cp312_0", false, ""},
		{"*_cp312", "_cp312", true, "'*' matches nothing too"},
		{"py*_0", "py312h8a2b0c1_0", true, ""},
		{"*mkl*", "6_hf2e6a31_mkl", true, ""},
		{"6*_openblas", "6_h51639a9_openblas", true, ""},
		{"a*b*c", "abxbyc", true, "backtracking"},
		{"a*b*c", "acb", false, ""},
		{"a**c", "abc", true, ""},
		{"H0*", "h0c1763c_0", false, "case-sensitive, as conda"},
		{"x", "", false, ""},
	} {
		if got := MatchBuild(tc.glob, tc.build); got != tc.want {
			t.Errorf("MatchBuild(%q, %q) = %v, want %v (%s)", tc.glob, tc.build, got, tc.want, tc.reason)
		}
	}
}

func FuzzParseMatchSpec(f *testing.F) {
	for _, tc := range matchSpecParses {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMatchSpec(s)
		if err != nil {
			return
		}
		again, err := ParseMatchSpec(m.String())
		if err != nil {
			t.Fatalf("ParseMatchSpec(%q).String() = %q, which does not parse: %v", s, m.String(), err)
		}
		if !sameMatchSpec(m, again) {
			t.Fatalf("ParseMatchSpec(%q) = %#v\nits String %q parses to %#v", s, m, m.String(), again)
		}
	})
}
