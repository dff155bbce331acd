package checks

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"envs/prod", "envs/prod"},
		{"linux-64", "linux-64"},
		{"conda-lock.yml", "conda-lock.yml"},
		{"env$(touch PWNED)", "'env$(touch PWNED)'"},
		{"my env", "'my env'"},
		{"it's", `'it'\''s'`},
		{"`id`;x", "'`id`;x'"},
		{"a\nb", "'a\nb'"},
		{"", "''"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		got := shellQuote(tt.in)
		if got != tt.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// A POSIX shell reads the quoted word back as the original text
		// and runs nothing in it.
		cmd := exec.Command("/bin/sh", "-c", "printf %s "+got)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sh -c printf %%s %s: %v", got, err)
		}
		if string(out) != tt.in {
			t.Errorf("sh read %q back as %q", got, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Errorf("a quoted path ran a command")
	}
}

// TestFixCommandsQuotePaths: a spec in a directory whose name is a
// command substitution gets a fix that cds into it, and runs nothing.
func TestFixCommandsQuotePaths(t *testing.T) {
	tree := Files{"env$(touch PWNED)/environment.yml": []byte("channels: [conda-forge]\ndependencies:\n  - python=3.12\n")}
	got := findingsOf(Check(tree), LockfilePresent)
	want := "Create the lock and commit it: `cd 'env$(touch PWNED)' && conda-lock lock -f environment.yml -p linux-64 --kind explicit`; then install the environment from the lock in the image build."
	if len(got) != 1 || got[0].Fix != want {
		t.Fatalf("findings = %+v\nwant one with fix %s", got, want)
	}
	cmd := strings.TrimSuffix(strings.TrimPrefix(want, "Create the lock and commit it: `"), "`; then install the environment from the lock in the image build.")
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "env$(touch PWNED)"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Run the cd part only: the shell enters the directory by its name.
	cd, _, _ := strings.Cut(cmd, " && ")
	sh := exec.Command("/bin/sh", "-c", cd+" && pwd")
	sh.Dir = dir
	out, err := sh.Output()
	if err != nil {
		t.Fatalf("%s: %v", cd, err)
	}
	if filepath.Base(strings.TrimSpace(string(out))) != "env$(touch PWNED)" {
		t.Errorf("%s entered %s", cd, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
		t.Errorf("the fix command ran the substitution in the path")
	}
}
