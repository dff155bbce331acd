package repofiles

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/internal/fakegithub"
)

// TestLoadSymlinks: a wanted file that is a symbolic link (mode 120000 in
// the tree) is read through the link when it stays inside the repository;
// one that leaves it, loops or leads nowhere is a *checks.LinkError,
// remembered by Fetch and served after Seal without a call.
func TestLoadSymlinks(t *testing.T) {
	main := with(mainFiles, map[string]string{"locks/x.yml": newLock})
	long := strings.Repeat("d/", checks.MaxLinkTarget/2+1) + "x"
	for _, tc := range []struct {
		name      string
		main      map[string]string // links of main
		links     map[string]string // links the pull request commits
		files     map[string]string // files it commits
		want      string            // head's conda-lock.yml, or "error: …"
		wantReads []string
	}{
		{
			name:      "a link inside the repository is followed",
			links:     map[string]string{"conda-lock.yml": "locks/x.yml"},
			want:      newLock,
			wantReads: ops(2, 7), // five base files, the link's target, and locks/x.yml
		},
		{
			name:      "a link through a linked directory",
			links:     map[string]string{"l": "locks", "conda-lock.yml": "l/x.yml"},
			want:      newLock,
			wantReads: ops(2, 8),
		},
		{
			name:      "the merge base has the link and the pull request changes what it leads to",
			main:      map[string]string{"conda-lock.yml": "locks/x.yml"},
			files:     map[string]string{"locks/x.yml": newLock + "# again\n"},
			want:      newLock + "# again\n",
			wantReads: ops(2, 7), // both trees: only the head's tells where the link leads now
		},
		{
			name:      "a link leaving the repository",
			links:     map[string]string{"conda-lock.yml": "../../etc/passwd"},
			want:      "error: conda-lock.yml is a symbolic link to ../../etc/passwd, outside the repository",
			wantReads: ops(2, 6),
		},
		{
			name:      "a dangling link",
			links:     map[string]string{"conda-lock.yml": "locks/y.yml"},
			want:      "error: conda-lock.yml is a symbolic link to locks/y.yml, which does not exist in the repository",
			wantReads: ops(2, 6),
		},
		{
			name:      "a link to a directory",
			links:     map[string]string{"conda-lock.yml": "locks"},
			want:      "error: conda-lock.yml is a symbolic link to locks, which is a directory, not a file",
			wantReads: ops(2, 6),
		},
		{
			name:      "a link loop",
			links:     map[string]string{"conda-lock.yml": "a.yml", "a.yml": "conda-lock.yml"},
			want:      "error: conda-lock.yml is a symbolic link to a.yml, and following it passes through more than 40 symbolic links",
			wantReads: ops(2, 7),
		},
		{
			name:      "a link target too long is not read",
			links:     map[string]string{"conda-lock.yml": long},
			want:      "error: conda-lock.yml is a symbolic link whose target is longer than 4095 bytes",
			wantReads: ops(2, 5),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, main, nil)
			if tc.main != nil {
				w.repo.CommitLinks("main", tc.main)
			}
			base, head := w.pull(func(r *fakegithub.Repo) {
				if tc.files != nil {
					r.Commit("feature", tc.files)
				}
				if tc.links != nil {
					r.CommitLinks("feature", tc.links)
				}
			})
			w.srv.Reset()
			snap, err := Load(ctx, w.gh, newMemCache(), owner, name, base, head)
			if err != nil {
				t.Fatal(err)
			}
			if err := snap.Fetch(snap.Base.Paths(), snap.Head.Paths()); err != nil {
				t.Fatal(err)
			}
			snap.Seal()
			if got := readAll(snap.Head)["conda-lock.yml"]; got != tc.want {
				t.Errorf("conda-lock.yml = %q, want %q", got, tc.want)
			}
			_, err = snap.Head.ReadFile("conda-lock.yml")
			var linkErr *checks.LinkError
			if errors.As(err, &linkErr) != strings.HasPrefix(tc.want, "error: ") {
				t.Errorf("ReadFile error %v: a *checks.LinkError for every link not followed", err)
			}
			if got := w.readOps(); !slices.Equal(got, tc.wantReads) {
				t.Errorf("reads %q, want %q", got, tc.wantReads)
			}
		})
	}
}

// TestFetchSymlinkFault: a GitHub fault while reading a link's target is
// Fetch's error, for the job to retry, and not where the link leads: the
// next Fetch follows it.
func TestFetchSymlinkFault(t *testing.T) {
	w := newWorld(t, with(mainFiles, map[string]string{"locks/x.yml": newLock}), nil)
	base, head := w.pull(func(r *fakegithub.Repo) { r.CommitLinks("feature", map[string]string{"conda-lock.yml": "locks/x.yml"}) })
	cache := newMemCache()
	snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	w.srv.Fail("git/get-blob", 1, http.StatusBadGateway, nil)
	if err := snap.Fetch(nil, []string{"conda-lock.yml"}); err == nil || !strings.Contains(err.Error(), "fetch conda-lock.yml: ") {
		t.Fatalf("Fetch with a 502 = %v, want the fault", err)
	}
	if err := snap.Fetch(nil, []string{"conda-lock.yml"}); err != nil {
		t.Fatalf("Fetch again: %v", err)
	}
	snap.Seal()
	if data, err := snap.Head.ReadFile("conda-lock.yml"); err != nil || string(data) != newLock {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if n, ok := snap.Head.(checks.Sizer).Size("conda-lock.yml"); !ok || n != int64(len(newLock)) {
		t.Errorf("Size = %d, %v; want the size of locks/x.yml", n, ok)
	}
	// The head's tree is cached with its link.
	got := map[string]bool{}
	for _, e := range cache.trees[head] {
		got[e.Path] = e.Link
	}
	if link, file := got["conda-lock.yml"], got["locks/x.yml"]; !link || file || len(got) != len(mainFiles)+1 {
		t.Errorf("cached head tree (path → link): %v", got)
	}
}
