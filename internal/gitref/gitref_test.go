package gitref

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks"
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
	if _, err := tree.ReadFile("missing.lock"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}

// TestSymlinks: a wanted file that is a symbolic link in the revision is
// read through it when it stays below the directory; one that leaves it,
// loops or leads nowhere is a *checks.LinkError.
func TestSymlinks(t *testing.T) {
	dir := repo(t)
	for p, target := range map[string]string{
		"conda-lock.yml": "locks/x.yml", "l": "locks", "via.lock": "l/x.yml", "sub/up.lock": "../locks/x.yml",
		"out.lock": "../../etc/passwd", "sub/out.lock": "../../x", "gone.lock": "locks/y.yml", "dir.lock": "locks",
		"a.lock": "b.lock", "b.lock": "a.lock",
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(dir, p)); err != nil {
			t.Fatal(err)
		}
	}
	commit(t, dir, map[string]string{"locks/x.yml": "version: 1\n", "sub/README": "x\n"})
	for _, tt := range []struct {
		dir, path, want string
	}{
		{dir, "conda-lock.yml", "version: 1\n"},
		{dir, "via.lock", "version: 1\n"},
		{dir, "sub/up.lock", "version: 1\n"},
		{dir, "out.lock", "error: out.lock is a symbolic link to ../../etc/passwd, outside the repository"},
		{dir, "gone.lock", "error: gone.lock is a symbolic link to locks/y.yml, which does not exist in the repository"},
		{dir, "dir.lock", "error: dir.lock is a symbolic link to locks, which is a directory, not a file"},
		{dir, "a.lock", "error: a.lock is a symbolic link to b.lock, and following it passes through more than 40 symbolic links"},
		// Seen from sub, sub is the root that links may not leave.
		{filepath.Join(dir, "sub"), "up.lock", "error: up.lock is a symbolic link to ../locks/x.yml, outside the repository"},
	} {
		tree, err := Open(context.Background(), tt.dir, "HEAD")
		if err != nil {
			t.Fatal(err)
		}
		data, err := tree.ReadFile(tt.path)
		got := string(data)
		var linkErr *checks.LinkError
		if errors.As(err, &linkErr) {
			got = "error: " + err.Error()
		} else if err != nil {
			t.Errorf("ReadFile(%s) = %v, want a *checks.LinkError", tt.path, err)
		}
		if got != tt.want {
			t.Errorf("ReadFile(%s) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
