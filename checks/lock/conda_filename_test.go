package lock

import "testing"

func TestParseCondaFilename(t *testing.T) {
	for _, tc := range []struct {
		in                           string
		name, version, build, subdir string
		ok                           bool
		why                          string
	}{
		{"https://conda.anaconda.org/conda-forge/linux-64/libsqlite-3.51.2-h0c1763c_0.conda", "libsqlite", "3.51.2", "h0c1763c_0", "linux-64", true, ""},
		{"https://conda.anaconda.org/conda-forge/noarch/_py-xgboost-mutex-2.0-cpu_0.tar.bz2", "_py-xgboost-mutex", "2.0", "cpu_0", "noarch", true, "dashes in the name"},
		{"libgcc-ng-15.2.0-h69a702a_18.conda", "libgcc-ng", "15.2.0", "h69a702a_18", "", true, "a bare file name has no subdir"},
		{"https://x/linux-64/python-3.12.13-hd63d673_0_cpython.conda#md5sum", "python", "3.12.13", "hd63d673_0_cpython", "linux-64", true, "fragment ignored"},
		{"https://x/osx-arm64/tk-8.6.13-h5083fa2_1.conda?download=1", "tk", "8.6.13", "h5083fa2_1", "osx-arm64", true, "query ignored"},
		{"https://x/linux-64/openssl-3.5.0%2Bcustom-h7b32b05_1.conda", "openssl", "3.5.0+custom", "h7b32b05_1", "linux-64", true, "percent-escapes decoded"},
		{"file:///tmp/pkgs/zlib-1.3.1-hb9d3cd8_2.conda", "zlib", "1.3.1", "hb9d3cd8_2", "", true, "pkgs is not a subdir"},
		{"https://x/win-arm64/vc-14.3-h41ae7f8_34.tar.bz2", "vc", "14.3", "h41ae7f8_34", "win-arm64", true, ""},
		{"https://x/linux-64/python-3.12.whl", "", "", "", "", false, "not a conda archive"},
		{"https://x/linux-64/python-3.12.conda", "", "", "", "", false, "only two parts"},
		{"https://x/linux-64/-1.0-h_0.conda", "", "", "", "", false, "empty name"},
		{"https://x/linux-64/a--h_0.conda", "", "", "", "", false, "empty version"},
		{"https://x/linux-64/a-1.0-.conda", "", "", "", "", false, "empty build"},
		{"https://x/linux-64/a-1%zz-h_0.conda", "", "", "", "", false, "bad percent-escape"},
		{".conda", "", "", "", "", false, ""},
		{"", "", "", "", "", false, ""},
	} {
		name, version, build, subdir, ok := ParseCondaFilename(tc.in)
		if name != tc.name || version != tc.version || build != tc.build || subdir != tc.subdir || ok != tc.ok {
			t.Errorf("ParseCondaFilename(%q) = %q %q %q %q %v, want %q %q %q %q %v (%s)", tc.in, name, version, build, subdir, ok, tc.name, tc.version, tc.build, tc.subdir, tc.ok, tc.why)
		}
	}
}
