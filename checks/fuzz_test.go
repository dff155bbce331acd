package checks

import (
	"testing"
)

// FuzzCheck feeds arbitrary bytes to every kind of file the checks read,
// alone and as a pull request against the compliant fixture: the engine
// must answer with findings, never a panic.
func FuzzCheck(f *testing.F) {
	compliant := loadDir(f, "../testdata/repos/compliant")
	for path, data := range loadDir(f, "../testdata/repos/outage") {
		f.Add(path, data)
	}
	f.Add("Dockerfile", []byte("FROM ${X:-a}\nRUN <<EOF\npip install x\nEOF\n"))
	f.Add("pixi.lock", []byte("version: 6\nenvironments: {}\npackages: []\n"))
	f.Add("uv.lock", []byte("version = 1\n[[package]]\nname = \"a\"\n"))
	f.Add("requirements.txt", []byte("a==1 \\\n  --hash=sha256:00\n"))
	f.Add("pyproject.toml", []byte("[tool.pixi.dependencies]\npython = \"3.12.*\"\n"))
	f.Add(".github/imagebot.yml", []byte("checks: {image-pinned: off}\n"))
	f.Fuzz(func(t *testing.T, path string, data []byte) {
		if !Wanted(path) {
			path = "conda-lock.yml"
		}
		head := with(compliant, map[string]string{path: string(data)})
		report := Check(head, WithBase(compliant))
		if len(report.Checks) != 5 {
			t.Fatalf("%d results", len(report.Checks))
		}
		if cfg, err := LoadConfig(head); err == nil {
			Check(head, WithConfig(cfg))
		}
	})
}
