package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/internal/fixtures"
)

var update = flag.Bool("update", false, "rewrite testdata/cli/*.golden with the current output")

// cliCase is one command line a new user might type. Its output, stdout
// and stderr with the exit status, is testdata/cli/<name>.golden.
type cliCase struct {
	name string
	// args are the arguments after "imagebot"; "$TMP" stands for the
	// case's temporary folder, and "$CORPUS" for the shared corpus.
	args []string
	// setup prepares the temporary folder.
	setup func(t *testing.T, tmp string)
	// corpus marks cases that read the shared corpus.
	corpus bool
}

var repos = filepath.Join("..", "..", "testdata", "repos")

func cliCases() []cliCase {
	outage, compliant := filepath.Join(repos, "outage"), filepath.Join(repos, "compliant")
	return []cliCase{
		{name: "no-arguments"},
		{name: "help", args: []string{"help"}},
		{name: "unknown-command", args: []string{"lint"}},
		{name: "check-help", args: []string{"check", "--help"}},
		{name: "diff-help", args: []string{"diff", "-h"}},
		{name: "serve-help", args: []string{"serve", "--help"}},
		{name: "setup-help", args: []string{"setup", "--help"}},
		{name: "config-validate-help", args: []string{"config", "validate", "--help"}},
		{name: "config-help", args: []string{"config", "--help"}},
		{name: "version-help", args: []string{"version", "--help"}},
		{name: "migrate-help", args: []string{"migrate", "--help"}},
		{name: "check-compliant", args: []string{"check", compliant}},
		{name: "check-unlocked", args: []string{"check", filepath.Join(repos, "unlocked")}},
		{name: "check-markdown", args: []string{"check", "--format", "markdown", outage}},
		{name: "check-flags-after-dir", args: []string{"check", outage, "--format", "json"}},
		{name: "check-double-dash", args: []string{"check", "--format=json", "--", compliant}},
		{name: "check-empty-directory", args: []string{"check", "$TMP"}},
		{name: "check-a-file", args: []string{"check", filepath.Join(outage, "conda-lock.yml")}},
		{name: "check-two-directories", args: []string{"check", "a", "b"}},
		{name: "check-unknown-flag", args: []string{"check", "--nope", "."}},
		{name: "check-flag-without-value", args: []string{"check", ".", "--format"}},
		{name: "check-bad-format", args: []string{"check", "--format", "yaml", "."}},
		{name: "check-invalid-config", args: []string{"check", "$TMP"}, setup: func(t *testing.T, tmp string) {
			write(t, filepath.Join(tmp, ".github", "imagebot.yml"), "checks:\n  nope: off\n")
		}},
		{name: "check-base-outside-git", args: []string{"check", "--base", "HEAD", "$TMP"}},
		{name: "check-base-no-commits", args: []string{"check", "--base", "HEAD", "$TMP"}, setup: func(t *testing.T, tmp string) {
			git(t, tmp, "init", "-q")
		}},
		{name: "check-base-unknown-ref", args: []string{"check", "--base", "no-such-ref", "$TMP"}, setup: func(t *testing.T, tmp string) {
			commitRepo(t, tmp, compliant)
		}},
		{name: "check-base-outage", args: []string{"check", "$TMP", "--base", "HEAD"}, setup: func(t *testing.T, tmp string) {
			commitRepo(t, tmp, compliant)
			copyDir(t, outage, tmp)
		}},
		{name: "diff-outage", args: []string{"diff", filepath.Join(compliant, "conda-lock.yml"), filepath.Join(outage, "conda-lock.yml")}},
		{name: "diff-outage-json", args: []string{"diff", "--format", "json", filepath.Join(compliant, "conda-lock.yml"), filepath.Join(outage, "conda-lock.yml")}},
		{name: "diff-no-change", args: []string{"diff", filepath.Join(outage, "conda-lock.yml"), filepath.Join(outage, "conda-lock.yml")}},
		{name: "diff-one-argument", args: []string{"diff", "a"}},
		{name: "diff-a-directory", args: []string{"diff", repos, repos}},
		{name: "diff-missing-file", args: []string{"diff", "nope.lock", "nope.lock"}},
		{name: "diff-not-a-lock", args: []string{"diff", "$TMP/garbage.lock", "$TMP/garbage.lock"}, setup: func(t *testing.T, tmp string) {
			write(t, filepath.Join(tmp, "garbage.lock"), "\x00\x01binary\xff")
		}},
		{name: "corpus-check-dubois-stem", corpus: true, args: []string{"check", "$CORPUS/dubois-stem"}},
		{name: "corpus-check-geodepot", corpus: true, args: []string{"check", "$CORPUS/geodepot"}},
		{name: "corpus-check-cryo-hub-image", corpus: true, args: []string{"check", "$CORPUS/cryo-hub-image"}},
		{name: "corpus-diff-lock-history", corpus: true, args: []string{"diff",
			"$CORPUS/cryo-lock-history/conda-lock.6a2dccd.yml", "$CORPUS/cryo-lock-history/conda-lock.fa9d846.yml"}},
		{name: "corpus-check-base-lock-history", corpus: true, args: []string{"check", "--base", "HEAD", "$TMP"},
			setup: func(t *testing.T, tmp string) {
				history := fixtures.CorpusPath(t, "cryo-lock-history")
				write(t, filepath.Join(tmp, "environment.yml"), string(fixtures.ReadCorpus(t, "cryo-hub-image/environment.yml")))
				write(t, filepath.Join(tmp, "conda-lock.yml"), read(t, filepath.Join(history, "conda-lock.6a2dccd.yml")))
				git(t, tmp, "init", "-q")
				git(t, tmp, "add", ".")
				git(t, tmp, "commit", "-q", "-m", "base")
				write(t, filepath.Join(tmp, "conda-lock.yml"), read(t, filepath.Join(history, "conda-lock.fa9d846.yml")))
			}},
	}
}

// TestCommandLine runs each command line of cliCases and compares what it
// prints with its golden file; `go test -run TestCommandLine -update`
// rewrites them. No line of any output may end in a space, and a usage
// error is one line on stderr.
func TestCommandLine(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("the command line tests need git")
	}
	for _, tc := range cliCases() {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			// git must not find a repository above the temporary folder.
			t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(tmp))
			corpus := ""
			if tc.corpus {
				corpus = fixtures.CorpusPath(t, "")
			}
			if tc.setup != nil {
				tc.setup(t, tmp)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				a = strings.ReplaceAll(a, "$TMP", tmp)
				args[i] = strings.ReplaceAll(a, "$CORPUS", corpus)
			}
			code, stdout, stderr := runCmd(t, args...)
			got := transcript(tc.args, code, stdout, stderr)
			if corpus != "" {
				got = strings.ReplaceAll(got, corpus, "$CORPUS")
			}
			got = strings.ReplaceAll(got, tmp, "$TMP")
			golden := filepath.Join("testdata", "cli", tc.name+".golden")
			if *update {
				write(t, golden, got)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestCommandLine -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("the output differs from %s (go test -run TestCommandLine -update rewrites it); got\n%s", golden, got)
			}
			for i, line := range strings.Split(stdout, "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("stdout line %d ends in a space: %q", i+1, line)
				}
			}
			if code == exitUsage && len(tc.args) > 0 && strings.Count(stderr, "\n") != 1 {
				t.Errorf("a usage error prints exactly one line; got %q", stderr)
			}
		})
	}
}

// transcript is a golden file's text: the command, its exit status, and
// what it printed.
func transcript(args []string, code int, stdout, stderr string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "$ %s\nexit %d\n", strings.Join(append([]string{"imagebot"}, args...), " "), code)
	if stdout != "" {
		fmt.Fprintf(&b, "--- stdout\n%s", stdout)
	}
	if stderr != "" {
		fmt.Fprintf(&b, "--- stderr\n%s", stderr)
	}
	return b.String()
}

// TestHelpFlags: -h, -help and --help print the same help and exit 0.
func TestHelpFlags(t *testing.T) {
	for _, cmd := range []string{"check", "diff"} {
		_, want, _ := runCmd(t, cmd, "--help")
		for _, h := range []string{"-h", "-help", "--help"} {
			code, stdout, stderr := runCmd(t, cmd, ".", h)
			if code != 0 || stdout != want || stderr != "" {
				t.Errorf("imagebot %s . %s: exit %d, stderr %q, stdout\n%s", cmd, h, code, stderr, stdout)
			}
		}
	}
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// commitRepo makes dir a git repository whose one commit holds from's files.
func commitRepo(t *testing.T, dir, from string) {
	t.Helper()
	copyDir(t, from, dir)
	git(t, dir, "init", "-q")
	git(t, dir, "add", ".")
	git(t, dir, "commit", "-q", "-m", "base")
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
