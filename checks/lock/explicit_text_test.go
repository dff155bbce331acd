package lock

import (
	"errors"
	"testing"
)

// TestExplicitRejectsBinaryNames: an explicit lock whose package names
// hold a NUL byte, invalid UTF-8 or a control character, raw or
// percent-escaped, is not read (Markdown would hide the NUL and show
// "sqlite added, sqlite removed").
func TestExplicitRejectsBinaryNames(t *testing.T) {
	const head = "# platform: linux-64\n@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/linux-64/libsqlite-3.53.0-hee588c1_0.conda#a4bc526bcfcb5d6fabddd0044ceb15e0\n"
	for _, tc := range []struct {
		name, line, want string
	}{
		{"raw NUL", "https://conda.anaconda.org/conda-forge/linux-64/sqlite\x00-3.53.0-h9eae976_0.conda",
			"the line holds a NUL byte; a package URL is text"},
		{"escaped NUL", "https://conda.anaconda.org/conda-forge/linux-64/sqlite%00-3.53.0-h9eae976_0.conda",
			`the file name of "https://conda.anaconda.org/conda-forge/linux-64/sqlite%00-3.53.0-h9eae976_0.conda" decodes to a NUL byte; conda package names, versions and builds are printable text`},
		{"raw invalid UTF-8", "https://conda.anaconda.org/conda-forge/linux-64/sqlite\xff-3.53.0-h9eae976_0.conda",
			"the line holds invalid UTF-8; a package URL is text"},
		{"escaped invalid UTF-8", "https://conda.anaconda.org/conda-forge/linux-64/sqlite%FF-3.53.0-h9eae976_0.conda",
			`the file name of "https://conda.anaconda.org/conda-forge/linux-64/sqlite%FF-3.53.0-h9eae976_0.conda" decodes to invalid UTF-8; conda package names, versions and builds are printable text`},
		{"escaped escape character", "https://conda.anaconda.org/conda-forge/linux-64/sqlite-3.53.0%1B-h9eae976_0.conda",
			`the file name of "https://conda.anaconda.org/conda-forge/linux-64/sqlite-3.53.0%1B-h9eae976_0.conda" decodes to a control character; conda package names, versions and builds are printable text`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFormat(FormatExplicit, "conda-linux-64.lock", []byte(head+tc.line+"\n"))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *ParseError", err)
			}
			if pe.Line != 4 || pe.Msg != tc.want {
				t.Errorf("line %d: %s\nwant line 4: %s", pe.Line, pe.Msg, tc.want)
			}
		})
	}
	// Detection by content sends such a file to the same parser.
	if _, err := Parse("conda-linux-64.lock", []byte(head+"https://x/linux-64/a%00-1-0.conda\n")); err == nil {
		t.Errorf("Parse read a NUL in a name")
	}
}
