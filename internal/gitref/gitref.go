// Package gitref serves the files of a git revision as a checks.Tree, for
// `imagebot check --base REF`. It reads the repository with the git
// command line and never checks anything out or runs repository code.
package gitref

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/lock"
)

// Tree is the tree of one revision, seen from a directory inside the
// repository: paths are relative to that directory, which is the root that
// symbolic links may not leave.
type Tree struct {
	ctx     context.Context
	dir     string
	paths   []string
	entries map[string]entry  // every file and link below dir
	dirs    map[string]bool   // the directories below dir, "." among them
	targets map[string]string // the link targets read so far, by path
}

// entry is a file (mode 100644 or 100755) or a symbolic link (120000) of
// the revision.
type entry struct {
	oid  string
	size int64
	link bool
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
	out, err = git(ctx, dir, "ls-tree", "-r", "-l", "-z", commit, "--", ".")
	if err != nil {
		return nil, fmt.Errorf("list files of %s: %w", ref, err)
	}
	t := &Tree{ctx: ctx, dir: dir, entries: map[string]entry{}, dirs: map[string]bool{".": true}, targets: map[string]string{}}
	for _, line := range strings.Split(string(out), "\x00") {
		// <mode> SP <type> SP <object> SP+ <size> TAB <path>
		meta, p, ok := strings.Cut(line, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 4 || fields[1] != "blob" {
			continue
		}
		size, err := strconv.ParseInt(fields[3], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("list files of %s: size of %s: %w", ref, p, err)
		}
		switch fields[0] {
		case "100644", "100755":
			t.entries[p] = entry{oid: fields[2], size: size}
		case "120000":
			t.entries[p] = entry{oid: fields[2], size: size, link: true}
		default:
			continue
		}
		for d := path.Dir(p); !t.dirs[d]; d = path.Dir(d) {
			t.dirs[d] = true
		}
		if checks.Wanted(p) {
			t.paths = append(t.paths, p)
		}
	}
	sort.Strings(t.paths)
	return t, nil
}

// Paths lists the wanted files of the revision.
func (t *Tree) Paths() []string { return t.paths }

// ReadFile reads one file of the revision, through symbolic links as
// checks.ResolveListed follows them, refusing files larger than maxSize
// before reading them.
func (t *Tree) ReadFile(p string) ([]byte, error) {
	e, ok := t.entries[p]
	if !ok {
		return nil, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
	}
	if e.link {
		real, err := checks.ResolveListed(p, listing{t})
		if err != nil {
			return nil, err
		}
		e = t.entries[real]
	}
	if e.size > maxSize {
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", p, e.size, maxSize)
	}
	return git(t.ctx, t.dir, "cat-file", "blob", e.oid)
}

// listing is a revision as checks.ResolveListed follows links in it.
type listing struct{ t *Tree }

func (l listing) Entry(name string) (int64, bool, bool) {
	e, ok := l.t.entries[name]
	return e.size, e.link, ok
}

func (l listing) IsDir(name string) bool { return l.t.dirs[name] }

// Target reads a link's target from its blob, once.
func (l listing) Target(name string) (string, error) {
	if target, ok := l.t.targets[name]; ok {
		return target, nil
	}
	data, err := git(l.t.ctx, l.t.dir, "cat-file", "blob", l.t.entries[name].oid)
	if err != nil {
		return "", err
	}
	l.t.targets[name] = string(data)
	return string(data), nil
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
