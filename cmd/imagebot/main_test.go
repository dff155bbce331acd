package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestRun(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.lock")
	if err := os.WriteFile(garbage, []byte("\x00\x01binary\xff"), 0o644); err != nil {
		t.Fatal(err)
	}
	badConfig := t.TempDir()
	if err := os.MkdirAll(filepath.Join(badConfig, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(badConfig, ".github", "imagebot.yml"), []byte("checks:\n  nope: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring
		stderrLine string // exact stderr, when set
	}{
		{"no arguments", nil, 2, "", ""},
		{"help", []string{"help"}, 0, "imagebot check [--base REF]", ""},
		{"unknown command", []string{"lint"}, 2, "", "imagebot: unknown command \"lint\"; run imagebot help\n"},
		{"outage fails", []string{"check", "../../testdata/repos/outage"}, 1, "sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).", ""},
		{"compliant passes", []string{"check", "../../testdata/repos/compliant"}, 0, "conclusion: success", ""},
		{"markdown", []string{"check", "--format", "markdown", "../../testdata/repos/outage"}, 1, "### imagebot: failure", ""},
		{"bad format", []string{"check", "--format", "yaml", "."}, 2, "", "imagebot: unknown --format \"yaml\"; use text, markdown or json\n"},
		{"missing dir", []string{"check", "no/such/dir"}, 2, "", "imagebot: no/such/dir is not a directory\n"},
		{"two dirs", []string{"check", "a", "b"}, 2, "", "imagebot: check takes at most one directory, got 2 arguments\n"},
		{"unknown flag", []string{"check", "--nope"}, 2, "", "imagebot: check: flag provided but not defined: -nope\n"},
		{"invalid config", []string{"check", badConfig}, 2, "", "imagebot: .github/imagebot.yml:2: unknown key \"nope\" in checks; known keys: dependency-diff, hub-compatible, image-pinned, lockfile-consistent, lockfile-fresh, lockfile-present\n"},
		{"diff", []string{"diff", "../../testdata/repos/compliant/conda-lock.yml", "../../testdata/repos/outage/conda-lock.yml"}, 0, "downgrade      sqlite", ""},
		{"diff one file", []string{"diff", "a"}, 2, "", "imagebot: diff takes two lockfiles, BEFORE and AFTER; got 1 arguments\n"},
		{"diff missing file", []string{"diff", "nope.lock", "nope.lock"}, 2, "", "imagebot: open nope.lock: no such file or directory\n"},
		{"diff garbage", []string{"diff", garbage, garbage}, 2, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCmd(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.stdout, stdout)
			}
			if tt.stderrLine != "" && stderr != tt.stderrLine {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderrLine)
			}
			if code == 2 && tt.args != nil && strings.Count(stderr, "\n") != 1 {
				t.Errorf("usage errors print exactly one line; got %q", stderr)
			}
		})
	}
}

// TestCheckJSONContract decodes the JSON the way a consumer would.
func TestCheckJSONContract(t *testing.T) {
	code, stdout, _ := runCmd(t, "check", "--format", "json", "../../testdata/repos/outage")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var got struct {
		Conclusion string `json:"conclusion"`
		Checks     []struct {
			ID         string `json:"id"`
			Conclusion string `json:"conclusion"`
			Summary    string `json:"summary"`
			Findings   []struct {
				Severity, Path, Message, Fix string
				Line                         int
			} `json:"findings"`
		} `json:"checks"`
	}
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode: %v\n%s", err, stdout)
	}
	var ids []string
	for _, c := range got.Checks {
		ids = append(ids, c.ID+"="+c.Conclusion)
	}
	want := "lockfile-present=success lockfile-fresh=success lockfile-consistent=failure image-pinned=success dependency-diff=skipped"
	if strings.Join(ids, " ") != want || got.Conclusion != "failure" {
		t.Errorf("got %s %v", got.Conclusion, ids)
	}
	f := got.Checks[2].Findings[0]
	if f.Path != "conda-lock.yml" || f.Line != 53 || f.Severity != "error" {
		t.Errorf("finding %+v", f)
	}
}

// TestCheckBase judges a working tree against a git ref, as a pull request.
func TestCheckBase(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	copyDir(t, "../../testdata/repos/compliant", dir)
	git := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "compliant")
	copyDir(t, "../../testdata/repos/outage", dir)

	code, stdout, stderr := runCmd(t, "check", "--base", "HEAD", "--format", "json", dir)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, `"id": "dependency-diff",
      "conclusion": "neutral"`) || !strings.Contains(stdout, "sqlite moves from 3.53.0 to 3.45.1 but its split sibling does not") {
		t.Errorf("dependency-diff missing:\n%s", stdout)
	}
	code, _, stderr = runCmd(t, "check", "--base", "no-such-ref", dir)
	if code != 2 || !strings.Contains(stderr, `--base: "no-such-ref" is not a commit`) {
		t.Errorf("bad ref: exit %d, %q", code, stderr)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
