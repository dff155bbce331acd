package lock

import (
	"os"
	"path/filepath"
	"testing"
)

// TestParseFixtures parses each fixture and compares the whole model with
// its reviewed rendering in testdata/<fixture>.want.
func TestParseFixtures(t *testing.T) {
	for _, tc := range []struct {
		file   string
		format Format
	}{
		{"conda-lock.yml", FormatCondaLock},
		{"conda-linux-64.lock", FormatExplicit},
		{"pixi-v5.lock", FormatPixi},
		{"pixi-v6.lock", FormatPixi},
		{"pixi-v7.lock", FormatPixi},
		{"uv.lock", FormatUV},
		{"requirements-pip-compile.txt", FormatPipCompile},
		{"requirements-uv-compile.txt", FormatPipCompile},
		{"requirements-hashed.txt", FormatPipCompile},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			l, err := Parse("envs/"+tc.file, data)
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != tc.format || l.Path != "envs/"+tc.file {
				t.Errorf("format %q path %q, want %q %q", l.Format, l.Path, tc.format, "envs/"+tc.file)
			}
			checkRendering(t, l, tc.file)
		})
	}
}
