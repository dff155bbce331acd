package lock

import "testing"

// TestFormatDetails parses small inline locks, each showing one rule of a
// format, and compares the whole rendering.
func TestFormatDetails(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format Format
		src    string
		want   string
	}{
		{
			"conda-lock version 2", FormatCondaLock,
			"version: 2\nmetadata:\n  channels: [conda-forge]\n  platforms: [linux-64]\npackage:\n- name: a\n  version: '1.0'\n  manager: conda\n  platform: linux-64\n  dependencies: {}\n  url: https://x/linux-64/a-1.0-h0_0.conda\n  hash: {md5: aa}\n  categories: [main, dev]\n",
			"format conda-lock version 2\nenvironment default\n  channel conda-forge\n  platform linux-64\n    conda a 1.0 build=h0_0 line=6\n      url=https://x/linux-64/a-1.0-h0_0.conda\n      md5=aa sha256=\n",
		},
		{
			"conda-lock channel names, build field, null dependencies, declared empty platform", FormatCondaLock,
			"version: 1\nmetadata:\n  channels:\n  - conda-forge\n  - bioconda\n  platforms: [linux-64, win-64]\n  sources: [env/environment.yml]\npackage:\n- name: a\n  version: '1'\n  manager: conda\n  platform: linux-64\n  dependencies:\n  url: file:///local/a.conda\n  build: h1_0\n",
			"format conda-lock version 1\nsource env/environment.yml\nenvironment default\n  channel conda-forge\n  channel bioconda\n  platform linux-64\n    conda a 1 build=h1_0 line=9\n      url=file:///local/a.conda\n  platform win-64\n",
		},
		{
			"explicit without header takes the platform from the URLs", FormatExplicit,
			"@EXPLICIT\nhttps://x/noarch/a-1-0.conda\nhttps://x/osx-arm64/b-2-h0_1.tar.bz2\n",
			"format explicit version 0\nenvironment default\n  channel https://x\n  platform osx-arm64\n    conda a 1 build=0 line=2\n      url=https://x/noarch/a-1-0.conda\n    conda b 2 build=h0_1 line=3\n      url=https://x/osx-arm64/b-2-h0_1.tar.bz2\n",
		},
		{
			"explicit of noarch packages only", FormatExplicit,
			"# comment\n@EXPLICIT\nfile:///pkgs/a-1-0.conda\nhttps://x/noarch/b-1-0.conda\n",
			"format explicit version 0\nenvironment default\n  channel https://x\n  platform noarch\n    conda a 1 build=0 line=3\n      url=file:///pkgs/a-1-0.conda\n    conda b 1 build=0 line=4\n      url=https://x/noarch/b-1-0.conda\n",
		},
		{
			"pixi selectors told apart by name and variants", FormatPixi,
			"version: 7\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: mono\n        name: core\n        variants:\n          py: '3.11'\npackages:\n- conda: mono\n  name: core\n  version: '1'\n  variants:\n    py: '3.12'\n- conda: mono\n  name: utils\n  version: '1'\n  variants:\n    py: '3.11'\n- conda: mono\n  name: core\n  version: '2'\n  variants:\n    py: '3.11'\n",
			"format pixi version 7\nenvironment default\n  platform linux-64\n    conda core 2 build= line=21\n      url=mono\n",
		},
		{
			"pixi version 6 selector repeats version and build", FormatPixi,
			"version: 6\nenvironments:\n  default:\n    packages:\n      noarch:\n      - conda: .\n        version: '2'\n        build: b\npackages:\n- conda: .\n  name: src\n  version: '2'\n  build: a\n- conda: .\n  name: src\n  version: '2'\n  build: b\n",
			"format pixi version 6\nenvironment default\n  platform noarch\n    conda src 2 build=b line=14\n      url=.\n",
		},
		{
			"pixi version 7 without a platforms list", FormatPixi,
			"version: 7\nenvironments:\n  default:\n    packages:\n      linux-64:\n      - conda: https://x/linux-64/a-1-0.conda\npackages:\n- conda: https://x/linux-64/a-1-0.conda\n",
			"format pixi version 7\nenvironment default\n  platform linux-64\n    conda a 1 build=0 line=8\n      url=https://x/linux-64/a-1-0.conda\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := ParseFormat(tc.format, "lock", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			l.Format = tc.format
			if got := render(l); got != tc.want {
				t.Errorf("rendering differs:\n%s", lineDiff(tc.want, got))
			}
		})
	}
}

func TestPackagesSharedAcrossEnvironments(t *testing.T) {
	src := "version: 6\nenvironments:\n  a:\n    packages:\n      linux-64: [{conda: 'https://x/linux-64/z-1-0.conda'}]\n  b:\n    packages:\n      linux-64:\n      - conda: https://x/linux-64/z-1-0.conda\npackages:\n- conda: https://x/linux-64/z-1-0.conda\n"
	l, err := ParseFormat(FormatPixi, "pixi.lock", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := l.Environment("a").Platform("linux-64").Package(Conda, "z")
	b := l.Environment("b").Platform("linux-64").Package(Conda, "z")
	if a == nil || a != b {
		t.Errorf("environments a and b hold %p and %p, want one shared package", a, b)
	}
}
