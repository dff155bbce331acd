package build

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// These tests feed inputs shaped to make a careless parser quadratic, exponential or
// recursive without bound. Each asserts the exact outcome; a regression shows as a test
// timeout.

func TestOversizeInputs(t *testing.T) {
	huge := []byte("FROM img:1\n" + strings.Repeat("RUN true\n", 50<<20/9))
	want := fmt.Sprintf("the file is %d bytes; the limit is 8 MiB", len(huge))
	if _, err := ScanDockerfile("Dockerfile", huge); err == nil || err.(*ParseError).Msg != want {
		t.Errorf("ScanDockerfile: %v", err)
	}
	if _, err := ScanScript("postBuild", huge); err == nil || err.(*ParseError).Msg != want {
		t.Errorf("ScanScript: %v", err)
	}
	if _, err := ScanWorkflow("w.yml", huge); err == nil || err.(*ParseError).Msg != want {
		t.Errorf("ScanWorkflow: %v", err)
	}
}

func TestLongContinuation(t *testing.T) {
	const n = 100000
	var b strings.Builder
	b.WriteString("FROM img:1\nRUN pip install \\\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    pkg%d \\\n", i)
	}
	b.WriteString("    last\n")
	df, err := ScanDockerfile("Dockerfile", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(df.Installs) != 1 {
		t.Fatalf("%d installs", len(df.Installs))
	}
	in := df.Installs[0]
	if len(in.Packages) != n+1 || in.Line != 2 || in.EndLine != n+3 || in.Packages[n] != "last" {
		t.Errorf("packages %d, lines %d-%d", len(in.Packages), in.Line, in.EndLine)
	}
	if utf8.RuneCountInString(in.Command) != maxCommand || !strings.HasSuffix(in.Command, "…") {
		t.Errorf("command of %d characters: %q", utf8.RuneCountInString(in.Command), in.Command[:40])
	}
	script := strings.TrimPrefix(b.String(), "FROM img:1\nRUN ")
	installs, err := ScanScript("postBuild", []byte(script))
	if err != nil || len(installs) != 1 || len(installs[0].Packages) != n+1 || installs[0].EndLine != n+2 {
		t.Errorf("script: %v, %d installs", err, len(installs))
	}
}

func TestDeepNesting(t *testing.T) {
	// here-documents feeding shells feeding shells: followed maxNesting levels deep.
	var b strings.Builder
	b.WriteString("FROM img:1\nRUN <<E0\n")
	const depth = 2000
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "pip install level%d\nbash <<E%d\n", i, i)
	}
	for i := depth; i >= 0; i-- {
		fmt.Fprintf(&b, "E%d\n", i)
	}
	df, err := ScanDockerfile("Dockerfile", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(df.Installs) != maxNesting+1 {
		t.Errorf("%d installs, want %d", len(df.Installs), maxNesting+1)
	}

	tests := []struct {
		name, script string
		installs     int
		err          string
	}{
		{"nested substitutions", "pip install " + strings.Repeat("$(", 200000) + strings.Repeat(")", 200000), 0, tooNested},
		{"nested sh -c", strings.Repeat(`sh -c "`, 1) + strings.Repeat(`sh -c \"`, 1) + `pip install x\"` + `"`, 1, ""},
		{"many heredocs on a line", "cat" + strings.Repeat(" <<E", 20000) + "\n" + strings.Repeat("E\n", 20000) + "pip install after\n", 1, ""},
		{"unterminated heredoc", "cat <<E\n" + strings.Repeat("pip install no\n", 100000), 0, ""},
		{"deep subshells after a command", "pip install before\n# deep\n\n" + strings.Repeat("( ", 10000) + "pip install x" + strings.Repeat(")", 10000), 0, tooNested},
		{"deep subshells in a block", "{\n" + strings.Repeat("( ", 10000) + "pip install x" + strings.Repeat(")", 10000) + "\n}", 0, tooNested},
		{"nesting within the budget", strings.Repeat("( ", 4000) + "pip install x" + strings.Repeat(")", 4000), 1, ""},
		{"budget starts again after each command", strings.Repeat(strings.Repeat("( ", 4000)+"pip install x"+strings.Repeat(")", 4000)+"\n", 10), 10, ""},
		{"deep arithmetic", "echo $((" + strings.Repeat("- ", 200000) + "1))", 0, tooNested},
		{"deep [[ ]]", "[[ " + strings.Repeat("! ", 100000) + "a ]]", 0, tooNested},
		{"too deeply nested in bash -c", "pip install a\nbash -c '" + strings.Repeat("( ", 10000) + "pip install x" + strings.Repeat(")", 10000) + "'\npip install b\n", 0, tooNested},
		{"words in one command", "pip install" + strings.Repeat(" a", 600000), 0, tooLarge},
		{"expansions in one word", "pip install " + strings.Repeat("$'a'", 300000), 0, tooLarge},
	}
	for _, tt := range tests {
		got, err := ScanScript("postBuild", []byte(tt.script))
		msg := ""
		if pe, ok := err.(*ParseError); ok {
			msg = pe.Msg
			if tt.name == "deep subshells after a command" && pe.Line != 4 {
				t.Errorf("%s: at line %d, want the line the command starts on, 4", tt.name, pe.Line)
			}
		} else if err != nil {
			t.Errorf("%s: error %T %v", tt.name, err, err)
		}
		if len(got) != tt.installs || !strings.HasPrefix(msg, tt.err) || (tt.err == "") != (msg == "") {
			t.Errorf("%s: %d installs, %v", tt.name, len(got), err)
		}
	}
}

const (
	tooNested        = "the shell text is too deeply nested to check"
	tooNestedMessage = tooNested + ": its brackets, substitutions, operators and keywords before the end of its top-level command could take the parser more than 64 MiB of stack. Split it: define the inner parts as functions, or move them into scripts of their own"
	tooLarge         = "the shell command is too large to check"
)

func TestArgExpansionBounds(t *testing.T) {
	deep := "FROM img:" + strings.Repeat("${A:-", 10000) + "x" + strings.Repeat("}", 10000) + "\n" // within docker's 64 KiB line
	df, err := ScanDockerfile("Dockerfile", []byte(deep))
	if err != nil || len(df.Images) != 1 || df.Images[0].Kind != Unknown {
		t.Errorf("deep default: %+v, %v", df, err)
	}
	doubling := "ARG A0=" + strings.Repeat("x", 64) + "\n" + strings.ReplaceAll(doublingArgs(60), "${A}", "${A0}") + "FROM img:${A60}\n"
	df, err = ScanDockerfile("Dockerfile", []byte(doubling))
	if err != nil || df.Images[0].Kind != Unknown {
		t.Errorf("doubling: %+v, %v", df, err)
	}
}

func TestWorkflowBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("on: push\njobs:\n  j0:\n    steps: &s\n")
	for i := 0; i < 100; i++ {
		b.WriteString("      - run: docker push img:1\n")
	}
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&b, "  j%d:\n    steps: *s\n", i)
	}
	_, err := ScanWorkflow("w.yml", []byte(b.String()))
	if pe, ok := err.(*ParseError); !ok || pe.Msg != "more than 10000 steps (aliases included)" {
		t.Errorf("alias fan-out: %v", err)
	}
	var big strings.Builder
	big.WriteString("on: push\njobs:\n  j0:\n    steps:\n      - &s\n        run: |\n")
	for i := 0; i < 5000; i++ {
		big.WriteString("          docker push img:" + strings.Repeat("v", 40) + "\n")
	}
	for i := 1; i <= 100; i++ {
		fmt.Fprintf(&big, "  j%d:\n    steps: [*s]\n", i)
	}
	_, err = ScanWorkflow("w.yml", []byte(big.String()))
	if pe, ok := err.(*ParseError); !ok || pe.Msg != "the workflow is too large to scan: its steps, scripts and tags, aliases followed, exceed 16 MiB" {
		t.Errorf("aliased script: %v", err)
	}
	// An 8 MiB flow-style workflow is refused before yaml.v3 builds its
	// nodes (it took 892 MB).
	flow := "on: push\njobs: {j: {steps: [" + strings.Repeat("{},", 8<<20/3-16) + "]}}\n"
	_, err = ScanWorkflow("w.yml", []byte(flow))
	if pe, ok := err.(*ParseError); !ok || pe.Msg != fmt.Sprintf("too large a YAML document: %d structural characters, more than the 131072 a workflow may have", (8<<20/3-16)*2+9) {
		t.Errorf("flow-style workflow: %v", err)
	}
	long := "on: push\njobs:\n  j:\n    steps:\n      - run: docker push img:" + strings.Repeat("x", 4<<20) + "\n"
	w, err := ScanWorkflow("w.yml", []byte(long))
	if err != nil || len(w.Publishes) != 1 || len(w.Publishes[0].Tag) != 4<<20 {
		t.Errorf("long line: %v", err)
	}
}
