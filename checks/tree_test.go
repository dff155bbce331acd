package checks

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFSSymlinks: a lock that is a symbolic link inside the repository is
// read through it; a link that leaves the repository, and a named pipe,
// are findings rather than silence.
func TestFSSymlinks(t *testing.T) {
	outage, err := filepath.Abs("../testdata/repos/outage")
	if err != nil {
		t.Fatal(err)
	}
	write := func(dir, name string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) []byte {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(outage, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	link := func(dir, target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("link inside the repository is followed", func(t *testing.T) {
		dir := t.TempDir()
		write(dir, "environment.yml", read("environment.yml"))
		write(dir, "locks/x.yml", read("conda-lock.yml"))
		link(dir, "locks/x.yml", "conda-lock.yml")
		r := Check(FS(os.DirFS(dir)))
		// The outage lock is read through the link: its sqlite/libsqlite
		// conflict is found, and the environment has its lock.
		consistent := findingsOf(r, LockfileConsistent)
		if len(consistent) != 1 || consistent[0].Path != "conda-lock.yml" || consistent[0].Line != 53 {
			t.Errorf("lockfile-consistent: %+v", consistent)
		}
		if present := findingsOf(r, LockfilePresent); len(present) != 0 {
			t.Errorf("lockfile-present: %+v", present)
		}
	})
	t.Run("link through a linked directory", func(t *testing.T) {
		dir := t.TempDir()
		write(dir, "real/conda-lock.yml", read("conda-lock.yml"))
		link(dir, "real", "locks")
		link(dir, "locks/conda-lock.yml", "conda-lock.yml")
		// Both the file and the link to it are read.
		if got := findingsOf(Check(FS(os.DirFS(dir))), LockfileConsistent); len(got) != 2 || got[0].Path != "conda-lock.yml" || got[1].Path != "real/conda-lock.yml" {
			t.Errorf("lockfile-consistent: %+v", got)
		}
	})

	outside := t.TempDir()
	write(outside, "conda-lock.yml", read("conda-lock.yml"))
	for _, tt := range []struct {
		name  string
		setup func(dir string)
		want  Finding
	}{
		{"absolute link out", func(dir string) { link(dir, filepath.Join(outside, "conda-lock.yml"), "conda-lock.yml") },
			Finding{Severity: Error, Path: "conda-lock.yml", Message: "imagebot could not read conda-lock.yml: conda-lock.yml is a symbolic link to " + filepath.Join(outside, "conda-lock.yml") + ", outside the repository"}},
		{"relative link out", func(dir string) { write(dir, "x/README", nil); link(dir, "../../etc/passwd", "x/conda-lock.yml") },
			Finding{Severity: Error, Path: "x/conda-lock.yml", Message: "imagebot could not read x/conda-lock.yml: x/conda-lock.yml is a symbolic link to ../../etc/passwd, outside the repository"}},
		{"link loop", func(dir string) { link(dir, "b.lock", "a.lock"); link(dir, "a.lock", "b.lock") },
			Finding{Severity: Error, Path: "a.lock", Message: "imagebot could not read a.lock: a.lock is a symbolic link to b.lock, and following it passes through more than 40 symbolic links"}},
		{"dangling link", func(dir string) { link(dir, "locks/x.yml", "conda-lock.yml") },
			Finding{Severity: Error, Path: "conda-lock.yml", Message: "imagebot could not read conda-lock.yml: conda-lock.yml is a symbolic link to locks/x.yml, which does not exist in the repository"}},
		{"named pipe", func(dir string) {
			if err := syscall.Mkfifo(filepath.Join(dir, "conda-lock.yml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, Finding{Severity: Error, Path: "conda-lock.yml", Message: "imagebot could not read conda-lock.yml: conda-lock.yml is a named pipe (FIFO), not a regular file"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(dir)
			r := Check(FS(os.DirFS(dir)))
			tt.want.Fix = "Check that the file is a regular file in the repository, then re-run the checks."
			if tt.name != "named pipe" {
				tt.want.Fix = "Commit " + tt.want.Path + " as a regular file, or as a symbolic link to a file inside the repository: `rm -- " +
					tt.want.Path + "`, put the file in its place, then `git add -- " + tt.want.Path + "`."
			}
			got := findingsOf(r, LockfilePresent)
			if len(got) == 0 || got[0] != tt.want || r.Conclusion != Failure {
				t.Errorf("%s: %+v\nwant %+v", r.Conclusion, got, tt.want)
			}
		})
	}
}
