// Package gitref serves the files of a git revision as a checks.Tree, for
// `imagebot check --base REF`. It reads the repository with the git
// command line and never checks anything out or runs repository code.
package gitref

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/lock"
)

// Tree is the tree of one revision, seen from a directory inside the
// repository: paths are relative to that directory.
type Tree struct {
	ctx   context.Context
	dir   string
	ref   string
	paths []string
}

// Open resolves ref in the repository that contains dir and lists the
// files below dir that the checks read.
func Open(ctx context.Context, dir, ref string) (*Tree, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return nil, fmt.Errorf("%q is not a git ref", ref)
	}
	if _, err := git(ctx, dir, "rev-parse", "--git-dir"); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("git is not installed, and it reads %s", ref)
		}
		return nil, fmt.Errorf("%s is not in a git repository", dir)
	}
	out, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		if _, headErr := git(ctx, dir, "rev-parse", "--verify", "--quiet", "HEAD"); headErr != nil {
			return nil, fmt.Errorf("the git repository of %s has no commits yet", dir)
		}
		return nil, fmt.Errorf("%q is not a commit in the git repository of %s", ref, dir)
	}
	commit := strings.TrimSpace(string(out))
	out, err = git(ctx, dir, "ls-tree", "-r", "-z", "--name-only", commit, "--", ".")
	if err != nil {
		return nil, fmt.Errorf("list files of %s: %w", ref, err)
	}
	t := &Tree{ctx: ctx, dir: dir, ref: commit}
	for _, p := range strings.Split(string(out), "\x00") {
		if p != "" && checks.Wanted(p) {
			t.paths = append(t.paths, p)
		}
	}
	return t, nil
}

// Paths lists the wanted files of the revision.
func (t *Tree) Paths() []string { return t.paths }

// ReadFile reads one file of the revision, refusing files larger than
// maxSize before reading them.
func (t *Tree) ReadFile(p string) ([]byte, error) {
	obj := t.ref + ":./" + p
	out, err := git(t.ctx, t.dir, "cat-file", "-s", obj)
	if err != nil {
		return nil, err
	}
	size, err := strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("size of %s: %w", p, err)
	}
	if size > maxSize {
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", p, size, maxSize)
	}
	return git(t.ctx, t.dir, "cat-file", "blob", obj)
}

// maxSize is the largest file read from a revision.
const maxSize = lock.MaxSize

func git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %s", args[0], msg)
		}
		return nil, fmt.Errorf("git %s: %w", args[0], err)
	}
	return out, nil
}
