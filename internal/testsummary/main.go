// Command testsummary reads the events of `go test -json` on its standard
// input and prints what a reader of `go test` wants to see: one line per
// package ("ok", "FAIL", "?"), the whole output of every test that failed,
// of every package that failed outside its tests and of every build that
// failed, the tests that were skipped with their reasons, and at the end
// one line of counts:
//
//	tests: 1234 passed, 0 failed, 0 skipped
//
// Subtests count as tests. It exits 1 when a test, a package or a build
// failed, or when no test ran at all, so that
// `go test -json ./... | testsummary` fails as `go test` would, and an
// empty run cannot pass. With -no-skips it also exits 1 when a test
// skipped: CI, where every component a test needs is installed, uses it.
// `make test` runs it.
//
// It depends on the standard library only.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action     string
	Package    string
	Test       string
	Output     string
	ImportPath string // build-output and build-fail
}

// maxSkipsListed bounds the list of skipped tests.
const maxSkipsListed = 30

func main() {
	noSkips := flag.Bool("no-skips", false, "fail when a test skipped")
	flag.Parse()
	failed, err := summarize(os.Stdin, os.Stdout, *noSkips)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if failed {
		os.Exit(1)
	}
}

type key struct{ pkg, test string }

type summary struct {
	out                     io.Writer
	output                  map[key][]string // output of tests and packages not ended yet
	builds                  map[string][]string
	passed, failed, skipped int
	skips                   []string
	anyFailure              bool
}

// summarize reads events from r, writes the summary to w, and reports
// whether anything failed; with noSkips, a skipped test is a failure.
func summarize(r io.Reader, w io.Writer, noSkips bool) (failed bool, err error) {
	s := &summary{out: w, output: map[key][]string{}, builds: map[string][]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: go test printed it as it is (a build
			// problem of older toolchains, or a vet message).
			fmt.Fprintln(w, string(line))
			continue
		}
		s.add(e)
	}
	if err := sc.Err(); err != nil {
		return true, err
	}
	s.finish()
	if noSkips && s.skipped > 0 {
		fmt.Fprintf(w, "%d tests skipped, and -no-skips allows none: install what they need (see .ci/run)\n", s.skipped)
		return true, nil
	}
	return s.anyFailure || s.passed+s.failed+s.skipped == 0, nil
}

func (s *summary) add(e event) {
	k := key{e.Package, e.Test}
	switch e.Action {
	case "build-output":
		s.builds[e.ImportPath] = append(s.builds[e.ImportPath], e.Output)
	case "build-fail":
		s.anyFailure = true
		fmt.Fprint(s.out, strings.Join(s.builds[e.ImportPath], ""))
		delete(s.builds, e.ImportPath)
	case "output":
		if e.Test == "" && isPackageLine(e.Output) {
			fmt.Fprint(s.out, e.Output)
			return
		}
		if e.Test == "" && (e.Output == "PASS\n" || e.Output == "FAIL\n") {
			return // the package line says it again
		}
		s.output[k] = append(s.output[k], e.Output)
	case "pass", "fail", "skip":
		lines := s.output[k]
		delete(s.output, k)
		if e.Test == "" {
			if e.Action == "fail" {
				s.anyFailure = true
				fmt.Fprint(s.out, strings.Join(lines, ""))
			}
			return
		}
		switch e.Action {
		case "pass":
			s.passed++
		case "fail":
			s.failed++
			s.anyFailure = true
			fmt.Fprint(s.out, strings.Join(lines, ""))
		case "skip":
			s.skipped++
			s.skips = append(s.skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, skipReason(lines)))
		}
	}
}

// isPackageLine reports the line `go test` prints for a package's result.
func isPackageLine(s string) bool {
	return strings.HasPrefix(s, "ok  \t") || strings.HasPrefix(s, "FAIL\t") || strings.HasPrefix(s, "?   \t")
}

// skipReason is the message a test gave t.Skip, from its output: the lines
// after "=== RUN" and before "--- SKIP", without the file:line prefix.
func skipReason(lines []string) string {
	var reason []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case t == "", strings.HasPrefix(t, "=== "), strings.HasPrefix(t, "--- SKIP"):
			continue
		}
		if _, after, ok := strings.Cut(t, ": "); ok && strings.Contains(t[:len(t)-len(after)], ".go:") {
			t = after
		}
		reason = append(reason, t)
	}
	if len(reason) == 0 {
		return "(no reason given)"
	}
	return strings.Join(reason, " ")
}

// finish prints what never ended (a build that printed output but no
// result), the skipped tests and the counts.
func (s *summary) finish() {
	paths := make([]string, 0, len(s.builds))
	for p := range s.builds {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		fmt.Fprint(s.out, strings.Join(s.builds[p], ""))
	}
	if len(s.skips) > 0 {
		fmt.Fprintf(s.out, "\nSkipped:\n")
		for i, skip := range s.skips {
			if i == maxSkipsListed {
				fmt.Fprintf(s.out, "  …and %d more\n", len(s.skips)-maxSkipsListed)
				break
			}
			fmt.Fprintf(s.out, "  %s\n", skip)
		}
	}
	fmt.Fprintf(s.out, "\ntests: %d passed, %d failed, %d skipped\n", s.passed, s.failed, s.skipped)
}
