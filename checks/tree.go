package checks

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
)

// Tree is a repository's files at one revision: the App serves it from the
// GitHub API, the command line from a directory or a git ref.
type Tree interface {
	// Paths lists the slash-separated paths of the files in the tree.
	Paths() []string
	// ReadFile returns the content of one file.
	ReadFile(path string) ([]byte, error)
}

// Sizer is a Tree that knows a file's size before reading it (a
// directory's stat, a git tree's entry). Check then refuses a file that
// is too large, or does not fit the run's budget, without reading it.
type Sizer interface {
	// Size returns a file's size in bytes; false when it is not known.
	Size(path string) (int64, bool)
}

// Files is a Tree held in memory.
type Files map[string][]byte

// Paths lists the files in sorted order.
func (f Files) Paths() []string {
	out := make([]string, 0, len(f))
	for p := range f {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// ReadFile returns a file's content.
func (f Files) ReadFile(path string) ([]byte, error) {
	data, ok := f[path]
	if !ok {
		return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
	}
	return data, nil
}

// Size returns a file's length.
func (f Files) Size(path string) (int64, bool) {
	data, ok := f[path]
	return int64(len(data)), ok
}

// FS adapts a file system (os.DirFS of a checkout) to a Tree. It lists
// only the files the checks read (see Wanted), skipping .git and
// node_modules directories. A wanted name that is a symbolic link is
// listed, and read through the link when the link (and every link on its
// way) stays inside the tree; a link that leaves the tree or leads nowhere
// (see ResolveLinks), a named pipe or a device is listed too, and reading
// it is an error that says so, so that it becomes a finding instead of
// silence. Links are followed on file
// systems that implement fs.ReadLinkFS (os.DirFS does).
func FS(fsys fs.FS) Tree { return fsTree{fsys} }

type fsTree struct{ fsys fs.FS }

func (t fsTree) Paths() []string {
	var out []string
	_ = fs.WalkDir(t.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return fs.SkipDir
			}
			return nil
		}
		if Wanted(p) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Size stats a file, through links that stay inside the tree.
func (t fsTree) Size(p string) (int64, bool) {
	real, err := t.resolve(p)
	if err != nil {
		return 0, false
	}
	fi, err := fs.Stat(t.fsys, real)
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	return fi.Size(), true
}

func (t fsTree) ReadFile(p string) ([]byte, error) {
	real, err := t.resolve(p)
	if err != nil {
		return nil, err
	}
	// Stat before opening: opening a named pipe would wait for a writer.
	fi, err := fs.Stat(t.fsys, real)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, not a regular file", p, describeMode(fi.Mode()))
	}
	f, err := t.fsys.Open(real)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read one byte past the limit so that callers can tell a file that
	// is too large from one that fits exactly.
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}

// resolve follows the symbolic links in a path (see ResolveLinks) and
// returns the path inside the tree it names.
func (t fsTree) resolve(p string) (string, error) {
	if _, ok := t.fsys.(fs.ReadLinkFS); !ok {
		return p, nil
	}
	return ResolveLinks(p, func(name string) (string, bool, error) {
		fi, err := fs.Lstat(t.fsys, name)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return "", false, err
		}
		target, err := fs.ReadLink(t.fsys, name)
		return target, true, err
	})
}

// describeMode names a file type that is not a regular file.
func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a file of type " + m.Type().String()
}
