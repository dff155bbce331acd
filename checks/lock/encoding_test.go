package lock

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEncodings: every lock format reads the same with a UTF-8 byte order
// mark and with any line end: "\r\n" (Windows) and a lone "\r" (classic
// Mac OS) included. A BOM'd pip-compile file is a lock, not a spec.
func TestEncodings(t *testing.T) {
	encodings := []struct {
		name   string
		encode func(string) string
	}{
		{"BOM", func(s string) string { return "\ufeff" + s }},
		{"CRLF", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"CR", func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }},
		{"BOM and CR", func(s string) string { return "\ufeff" + strings.ReplaceAll(s, "\n", "\r") }},
	}
	for _, tc := range []struct {
		file   string
		format Format
	}{
		{"conda-lock.yml", FormatCondaLock},
		{"conda-linux-64.lock", FormatExplicit},
		{"pixi-v6.lock", FormatPixi},
		{"pixi-v7.lock", FormatPixi},
		{"uv.lock", FormatUV},
		{"requirements-pip-compile.txt", FormatPipCompile},
		{"requirements-hashed.txt", FormatPipCompile},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		for _, enc := range encodings {
			t.Run(tc.file+"/"+enc.name, func(t *testing.T) {
				in := []byte(enc.encode(string(data)))
				if f, ok := Detect("envs/"+tc.file, in); f != tc.format || !ok {
					t.Fatalf("Detect = %q, %v; want %q", f, ok, tc.format)
				}
				l, err := Parse("envs/"+tc.file, in)
				if err != nil {
					t.Fatal(err)
				}
				checkRendering(t, l, tc.file)
			})
		}
	}
}
