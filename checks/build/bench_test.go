package build

import (
	"runtime"
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

// nestingCases are the constructs the shell parser recurses on, one level each.
var nestingCases = []struct{ name, open, inner, close string }{
	{"subshell ( ", "( ", "pip install x", ")"},
	{"substitution $(", "echo $(", "x", ")"},
	{"block { ", "{ ", "pip install x", "; }"},
	{"if", "if true; then ", "pip install x", "; fi"},
	{"while", "while true; do ", "pip install x", "; done"},
	{"expansion ${a:-", "echo ${a:-", "x", "}"},
	{"quoted substitution \"$(", `echo "$(`, "x", `)"`},
	{"arithmetic (", "echo $((", "1", "))"},
	{"arithmetic -", "echo $((", "1", "))"},
	{"[[ !", "[[ ", "a", " ]]"},
	{"array index", "a[", "1", "]=1"},
}

// nestedScript nests c depth levels deep.
func nestedScript(c int, depth int) string {
	tt := nestingCases[c]
	switch tt.name {
	case "arithmetic -":
		return tt.open + strings.Repeat("- ", depth) + tt.inner + tt.close
	case "[[ !":
		return tt.open + strings.Repeat("! ", depth) + tt.inner + tt.close
	case "arithmetic (":
		return tt.open + strings.Repeat("(", depth) + tt.inner + strings.Repeat(")", depth) + tt.close
	case "array index":
		return tt.open + strings.Repeat("b[", depth) + tt.inner + strings.Repeat("]", depth) + tt.close
	}
	return strings.Repeat(tt.open, depth) + tt.inner + strings.Repeat(tt.close, depth)
}

// deepestAccepted finds the deepest nesting of case c that ScanScript checks.
func deepestAccepted(c int) int {
	lo, hi := 0, 1<<18 // lo is accepted, hi refused
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if _, err := ScanScript("postBuild", []byte(nestedScript(c, mid))); err == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// BenchmarkShellNesting scans, for each construct the shell parser recurses on, the
// deepest nesting the budget accepts (one level more is refused), each time on a new
// goroutine, and reports that depth and the goroutine stack the scan took.
//
//	go test -run '^$' -bench ShellNesting -benchtime 1x ./checks/build/
func BenchmarkShellNesting(b *testing.B) {
	for c, tt := range nestingCases {
		b.Run(tt.name, func(b *testing.B) {
			depth := deepestAccepted(c)
			data := []byte(nestedScript(c, depth))
			var stack uint64
			for b.Loop() {
				done := make(chan uint64)
				go func() {
					var before, after runtime.MemStats
					runtime.ReadMemStats(&before)
					if _, err := ScanScript("postBuild", data); err != nil {
						b.Error(err)
					}
					runtime.ReadMemStats(&after)
					done <- after.StackInuse - min(before.StackInuse, after.StackInuse) // other stacks may have shrunk
				}()
				stack = max(stack, <-done)
			}
			b.ReportMetric(float64(depth), "depth")
			b.ReportMetric(float64(stack)/(1<<20), "stack-MiB")
		})
	}
}
