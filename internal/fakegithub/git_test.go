package fakegithub

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// blobCases are contents whose blob ids git computes; want is `git hash-object` output.
var blobCases = []struct {
	content string
	want    string
}{
	{content: "", want: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
	{content: "hello\n", want: "ce013625030ba8dba906f756967f9e9ca394464a"},
	{content: envV1},
	{content: "ünïcode\n"},
	{content: strings.Repeat("a line of a large lockfile\n", 5000)},
}

func TestBlobSHAEqualsGit(t *testing.T) {
	gitPath, gitErr := exec.LookPath("git")
	for _, tc := range blobCases {
		want := tc.want
		if gitErr == nil {
			cmd := exec.Command(gitPath, "hash-object", "--stdin")
			cmd.Stdin = strings.NewReader(tc.content)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("git hash-object: %v", err)
			}
			if got := strings.TrimSpace(string(out)); want != "" && got != want {
				t.Fatalf("git hash-object = %s, the table says %s", got, want)
			}
			want = strings.TrimSpace(string(out))
		}
		if want == "" {
			continue
		}
		if got := BlobSHA(tc.content); got != want {
			t.Errorf("BlobSHA(%.20q) = %s, want %s", tc.content, got, want)
		}
	}
}

// TestTreeAndCommitIDsEqualGit builds the world's commits with git itself and compares
// the tree and commit ids.
func TestTreeAndCommitIDsEqualGit(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not on PATH")
	}
	w := newWorld(t)
	dir := t.TempDir()
	stamp := "@" + itoa(testStart.Unix()) + " +0000"
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(),
			"GIT_AUTHOR_NAME="+testAuthorName, "GIT_AUTHOR_EMAIL="+testAuthorEmail, "GIT_AUTHOR_DATE="+stamp,
			"GIT_COMMITTER_NAME="+testAuthorName, "GIT_COMMITTER_EMAIL="+testAuthorEmail, "GIT_COMMITTER_DATE="+stamp,
			"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(files map[string]string) {
		for p, content := range files {
			full := filepath.Join(dir, p)
			must(t, os.MkdirAll(filepath.Dir(full), 0o755))
			must(t, os.WriteFile(full, []byte(content), 0o644))
		}
	}
	gitRun("init", "-q")
	for _, step := range []struct {
		name    string
		files   map[string]string
		deleted []string
		parent  string
		want    string
	}{
		{name: "base", files: map[string]string{"environment.yml": envV1, "conda-lock.yml": lockFile, "README.md": readme, ".github/imagebot.yml": config}, want: w.base},
		{name: "head", files: map[string]string{"environment.yml": envV2, "locks/conda-lock.yml": lockFile, "docs/guide.md": guide},
			deleted: []string{"README.md", "conda-lock.yml"}, parent: w.base, want: w.head},
	} {
		write(step.files)
		for _, p := range step.deleted {
			must(t, os.Remove(filepath.Join(dir, p)))
		}
		gitRun("add", "-A")
		tree := gitRun("write-tree")
		equal(t, step.name+" tree", w.repo.commits[step.want].tree, tree)
		args := []string{"commit-tree", tree, "-m", w.repo.commits[step.want].message}
		if step.parent != "" {
			args = append(args, "-p", step.parent)
		}
		equal(t, step.name+" commit", step.want, gitRun(args...))
	}
}

// TestSymlinksEqualGit commits symbolic links with git itself and with CommitLinks: the
// fake's recursive tree lists the same entries as `git ls-tree -r -l` (mode 120000, type
// blob, the target's length as size), under the same tree id, and a link's blob is its
// target.
func TestSymlinksEqualGit(t *testing.T) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not on PATH")
	}
	files := map[string]string{"locks/x.yml": lockFile, "environment.yml": envV1}
	links := map[string]string{"conda-lock.yml": "locks/x.yml", "sub/out.lock": "../../etc/passwd", "dir": "locks"}
	dir := t.TempDir()
	gitRun := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitPath, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	gitRun("init", "-q")
	for p, content := range files {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755))
		must(t, os.WriteFile(filepath.Join(dir, p), []byte(content), 0o644))
	}
	for p, target := range links {
		must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755))
		must(t, os.Symlink(target, filepath.Join(dir, p)))
	}
	gitRun("add", "-A")
	wantTree := gitRun("write-tree")
	var want []string
	for _, line := range strings.Split(gitRun("ls-tree", "-r", "-l", wantTree), "\n") {
		meta, p, _ := strings.Cut(line, "\t")
		want = append(want, strings.Join(append(strings.Fields(meta), p), " "))
	}

	w := newWorld(t)
	repo := w.s.AddRepo(worldOwner, "links")
	repo.Commit("main", files)
	commit := repo.CommitLinks("main", links)
	w.inst.AddRepos(repo)
	tree, _, err := w.c.Git.GetTree(w.ctx, worldOwner, "links", commit, true)
	must(t, err)
	equal(t, "tree id", tree.GetSHA(), wantTree)
	var got []string
	for _, e := range tree.Entries {
		if e.GetType() == "blob" {
			got = append(got, fmt.Sprintf("%s %s %s %d %s", e.GetMode(), e.GetType(), e.GetSHA(), e.GetSize(), e.GetPath()))
		}
	}
	equal(t, "entries", strings.Join(got, "\n"), strings.Join(want, "\n"))
	blob, _, err := w.c.Git.GetBlob(w.ctx, worldOwner, "links", BlobSHA("locks/x.yml"))
	must(t, err)
	content, err := base64.StdEncoding.DecodeString(blob.GetContent())
	must(t, err)
	equal(t, "link blob", string(content), "locks/x.yml")
}
