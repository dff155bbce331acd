package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The streams in testdata are real `go test -json` output of a small
// module: mixed.jsonl has a test that fails, tests that skip, subtests
// and a package that does not build; passing.jsonl has no failure.
func TestSummarize(t *testing.T) {
	tests := []struct {
		name, input string
		noSkips     bool
		want        string
		failed      bool
	}{
		{"failures, skips and a build failure", "mixed.jsonl", false, `# example.com/ts/b [example.com/ts/b.test]
b/b_test.go:3:40: cannot use "s" (untyped string constant) as int value in variable declaration
FAIL	example.com/ts/b [build failed]
=== RUN   TestFail
    a_test.go:4: some context
    a_test.go:4: want 1, got 2
--- FAIL: TestFail (0.00s)
FAIL	example.com/ts/a	0.017s

Skipped:
  example.com/ts/a TestSkip: PostgreSQL is not configured
  example.com/ts/a TestSub/two: later

tests: 3 passed, 1 failed, 2 skipped
`, true},
		{"passes and a skipped subtest", "passing.jsonl", false, `ok  	example.com/ts/a	0.078s

Skipped:
  example.com/ts/a TestSub/two: later

tests: 3 passed, 0 failed, 1 skipped
`, false},
		{"a skip where none is allowed", "passing.jsonl", true, `ok  	example.com/ts/a	0.078s

Skipped:
  example.com/ts/a TestSub/two: later

tests: 3 passed, 0 failed, 1 skipped
1 tests skipped, and -no-skips allows none: install what they need (see .ci/run)
`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.input))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			var out strings.Builder
			failed, err := summarize(f, &out, tt.noSkips)
			if err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out.String(), tt.want)
			}
			if failed != tt.failed {
				t.Errorf("failed = %v, want %v", failed, tt.failed)
			}
		})
	}
}

func TestSummarizeNothing(t *testing.T) {
	var out strings.Builder
	failed, err := summarize(strings.NewReader("go: no packages to test\n"), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := "go: no packages to test\n\ntests: 0 passed, 0 failed, 0 skipped\n"; out.String() != want || !failed {
		t.Errorf("failed = %v, output %q; want a failure and %q", failed, out.String(), want)
	}
}

func TestSkipReason(t *testing.T) {
	tests := []struct {
		lines []string
		want  string
	}{
		{[]string{"=== RUN   TestX\n", "    x_test.go:12: no database\n", "--- SKIP: TestX (0.00s)\n"}, "no database"},
		{[]string{"=== RUN   TestX\n", "    x_test.go:12: first\n", "        second line\n", "--- SKIP: TestX (0.00s)\n"}, "first second line"},
		{[]string{"=== RUN   TestX\n", "--- SKIP: TestX (0.00s)\n"}, "(no reason given)"},
		{[]string{"    x_test.go:3: a: b\n"}, "a: b"},
	}
	for _, tt := range tests {
		if got := skipReason(tt.lines); got != tt.want {
			t.Errorf("skipReason(%q) = %q, want %q", tt.lines, got, tt.want)
		}
	}
}
