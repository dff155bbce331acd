package gitref

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// repo makes a git repository in a new folder and returns it. git must
// not see a repository above the temporary folder.
func repo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("the gitref tests need git")
	}
	dir := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(dir))
	run(t, dir, "init", "-q")
	return dir
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (path → content; "" deletes) and commits them,
// returning the commit's id.
func commit(t *testing.T, dir string, files map[string]string) string {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if content == "" {
			if err := os.Remove(full); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run(t, dir, "add", "-A")
	run(t, dir, "commit", "-q", "--allow-empty", "-m", "change")
	return run(t, dir, "rev-parse", "HEAD")
}

func TestTreeAtARevision(t *testing.T) {
	dir := repo(t)
	first := commit(t, dir, map[string]string{
		"environment.yml":         "dependencies: [python=3.11]\n",
		"conda-lock.yml":          "version: 1\n",
		"README.md":               "not read by the checks\n",
		"images/r/Dockerfile":     "FROM r\n",
		"images/r/notes.txt":      "not read\n",
		".github/workflows/b.yml": "on: push\n",
	})
	commit(t, dir, map[string]string{"environment.yml": "dependencies: [python=3.12]\n", "conda-lock.yml": ""})
	// The working tree differs from both commits.
	if err := os.WriteFile(filepath.Join(dir, "environment.yml"), []byte("dependencies: [python=3.13]\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, dir, ref string
		paths          []string
		files          map[string]string
	}{
		{"the first commit, by id", dir, first,
			[]string{".github/workflows/b.yml", "conda-lock.yml", "environment.yml", "images/r/Dockerfile"},
			map[string]string{"environment.yml": "dependencies: [python=3.11]\n", "conda-lock.yml": "version: 1\n"}},
		{"HEAD, where the lock is gone", dir, "HEAD",
			[]string{".github/workflows/b.yml", "environment.yml", "images/r/Dockerfile"},
			map[string]string{"environment.yml": "dependencies: [python=3.12]\n"}},
		{"a relative ref", dir, "HEAD~1",
			[]string{".github/workflows/b.yml", "conda-lock.yml", "environment.yml", "images/r/Dockerfile"},
			map[string]string{"conda-lock.yml": "version: 1\n"}},
		{"seen from a subfolder, paths are relative to it", filepath.Join(dir, "images", "r"), "HEAD",
			[]string{"Dockerfile"},
			map[string]string{"Dockerfile": "FROM r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := Open(context.Background(), tt.dir, tt.ref)
			if err != nil {
				t.Fatal(err)
			}
			if got := tree.Paths(); !reflect.DeepEqual(got, tt.paths) {
				t.Errorf("Paths() = %q, want %q", got, tt.paths)
			}
			for p, want := range tt.files {
				got, err := tree.ReadFile(p)
				if err != nil || string(got) != want {
					t.Errorf("ReadFile(%s) = %q, %v; want %q", p, got, err, want)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	notGit := t.TempDir()
	t.Setenv("GIT_CEILING_DIRECTORIES", filepath.Dir(notGit))
	empty := repo(t)
	withCommit := repo(t)
	commit(t, withCommit, map[string]string{"environment.yml": "dependencies: []\n"})
	tests := []struct {
		name, dir, ref, want string
	}{
		{"not a git repository", notGit, "HEAD", notGit + " is not in a git repository"},
		{"no commits yet", empty, "HEAD", "the git repository of " + empty + " has no commits yet"},
		{"an unknown ref", withCommit, "no-such-branch", `"no-such-branch" is not a commit in the git repository of ` + withCommit},
		{"a ref that reads as an option", withCommit, "--output=/tmp/x", `"--output=/tmp/x" is not a git ref`},
		{"an empty ref", withCommit, "", `"" is not a git ref`},
		{"a tree, not a commit", withCommit, "HEAD^{tree}", `"HEAD^{tree}" is not a commit in the git repository of ` + withCommit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := Open(context.Background(), tt.dir, tt.ref)
			if err == nil {
				t.Fatalf("Open = %v, want an error", tree.Paths())
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got  %s\n want %s", err, tt.want)
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := repo(t)
	big := strings.Repeat("a", maxSize+1)
	commit(t, dir, map[string]string{"environment.yml": "dependencies: []\n", "big/conda-lock.yml": big})
	tree, err := Open(context.Background(), dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("big/conda-lock.yml is %d bytes; the limit is %d", maxSize+1, maxSize)
	if _, err := tree.ReadFile("big/conda-lock.yml"); err == nil || err.Error() != want {
		t.Errorf("a file over the limit: %v", err)
	}
	if _, err := tree.ReadFile("missing.lock"); err == nil || !strings.HasPrefix(err.Error(), "git cat-file: ") {
		t.Errorf("a missing file: %v", err)
	}
}
