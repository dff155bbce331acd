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
// node_modules directories.
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
		if d.Type().IsRegular() && Wanted(p) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// Size stats a file.
func (t fsTree) Size(p string) (int64, bool) {
	fi, err := fs.Stat(t.fsys, p)
	if err != nil {
		return 0, false
	}
	return fi.Size(), true
}

func (t fsTree) ReadFile(p string) ([]byte, error) {
	f, err := t.fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read one byte past the limit so that callers can tell a file that
	// is too large from one that fits exactly.
	return io.ReadAll(io.LimitReader(f, maxFileSize+1))
}
