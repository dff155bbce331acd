package checks

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadDir reads a fixture directory into an in-memory tree.
func loadDir(t testing.TB, dir string) Files {
	t.Helper()
	files := Files{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return files
}

// with returns a copy of a tree with files replaced; a nil value deletes.
func with(base Files, changes map[string]string) Files {
	out := Files{}
	for p, d := range base {
		out[p] = d
	}
	for p, d := range changes {
		if d == "\x00delete" {
			delete(out, p)
			continue
		}
		out[p] = []byte(d)
	}
	return out
}

const deleted = "\x00delete"

// replace edits one file of a tree, failing when old is not in it.
func replace(t testing.TB, tree Files, path, old, new string) string {
	t.Helper()
	s := string(tree[path])
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	return strings.Replace(s, old, new, 1)
}

// summary flattens a report to "id:conclusion" and its findings to
// "severity path:line message", for exact comparison.
func findingsOf(r *Report, id string) []Finding {
	if res := r.Result(id); res != nil {
		return res.Findings
	}
	return nil
}
