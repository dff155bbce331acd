package build

import (
	"strings"
	"testing"
)

// benchScanDockerfile reports the time and memory ScanDockerfile takes on src.
func benchScanDockerfile(b *testing.B, src string, wantErr bool) {
	data := []byte(src)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ScanDockerfile("Dockerfile", data); (err != nil) != wantErr {
			b.Fatalf("error %v, want one: %v", err, wantErr)
		}
	}
}

// BenchmarkScanDockerfile scans a large real-shaped Dockerfile: the fixtures of
// testdata/dockerfile that docker build accepts, as stages of one file, 50 times over.
func BenchmarkScanDockerfile(b *testing.B) {
	var src strings.Builder
	for range 50 {
		for _, name := range []string{"datascience", "heredoc", "multistage", "backtick-escape"} {
			if name == "backtick-escape" {
				continue // its escape directive applies only at the top of a file
			}
			src.Write(readFixture(b, "dockerfile/"+name+".Dockerfile"))
			src.WriteByte('\n')
		}
	}
	benchScanDockerfile(b, src.String(), false)
}

// BenchmarkScanDockerfileUnterminatedHeredoc is the most lines a Dockerfile may have, all
// inside a here-document that never ends.
func BenchmarkScanDockerfileUnterminatedHeredoc(b *testing.B) {
	benchScanDockerfile(b, "FROM img:1\nRUN <<EOF\n"+strings.Repeat("x\n", maxDockerfileLines-3), true)
}

// BenchmarkScanDockerfileLongLines is 120 RUN lines of 60 KB, near the longest docker
// build reads.
func BenchmarkScanDockerfileLongLines(b *testing.B) {
	benchScanDockerfile(b, "FROM img:1\n"+strings.Repeat("RUN echo "+strings.Repeat("a'b'c \"d\" ", 6000)+"\n", 120), false)
}
