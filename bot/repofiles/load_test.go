package repofiles

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/fakegithub"
)

// wantedMain is what the checks read of mainFiles.
func wantedMain() map[string]string {
	out := maps.Clone(mainFiles)
	delete(out, "README.md")
	return out
}

// with returns files with some paths set and others deleted.
func with(files map[string]string, set map[string]string, deleted ...string) map[string]string {
	out := maps.Clone(files)
	maps.Copy(out, set)
	for _, p := range deleted {
		delete(out, p)
	}
	return out
}

const newLock = "version: 1\nmetadata: {}\npackage: [{name: python}]\n"

func TestLoad(t *testing.T) {
	big := strings.Repeat("x", lock.MaxSize+1)
	huge := strings.Repeat("x", lock.MaxSize+1<<20)
	pages := map[string]string{"conda-lock.yml": newLock}
	for i := range 299 {
		pages[fmt.Sprintf("docs/page-%03d.md", i)] = fmt.Sprintf("page %d\n", i)
	}
	for _, tc := range []struct {
		name        string
		main        map[string]string // default mainFiles
		change      func(r *fakegithub.Repo)
		client      func(http.RoundTripper) http.RoundTripper
		wantBase    map[string]string // path → content or "error: …"; default wantedMain()
		wantHead    map[string]string
		wantChanged []string
		wantReads   []string
	}{
		{
			name:        "a lock changes",
			change:      func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) },
			wantHead:    with(wantedMain(), map[string]string{"conda-lock.yml": newLock}),
			wantChanged: []string{"conda-lock.yml"},
			wantReads:   ops(2, 6), // both trees (the lock may have become a link), five files, and the lock's new blob
		},
		{
			name:        "only a file the checks do not read changes",
			change:      func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"README.md": "# new\n"}) },
			wantHead:    wantedMain(),
			wantChanged: nil,
			wantReads:   ops(1, 5), // the head's files are the merge base's blobs
		},
		{
			name: "a file moves",
			change: func(r *fakegithub.Repo) {
				r.Commit("feature", map[string]string{"requirements.txt": mainFiles["docs/requirements.txt"]}, "docs/requirements.txt")
			},
			wantHead:    with(wantedMain(), map[string]string{"requirements.txt": mainFiles["docs/requirements.txt"]}, "docs/requirements.txt"),
			wantChanged: []string{"docs/requirements.txt", "requirements.txt"},
			wantReads:   ops(2, 5), // a rename keeps its blob
		},
		{
			name: "a lock is renamed to a name the checks do not read",
			change: func(r *fakegithub.Repo) {
				r.Commit("feature", map[string]string{"conda-lock.yml.bak": mainFiles["conda-lock.yml"]}, "conda-lock.yml")
			},
			wantHead:    with(wantedMain(), nil, "conda-lock.yml"),
			wantChanged: []string{"conda-lock.yml"},
			wantReads:   ops(1, 5),
		},
		{
			name:        "a file is removed",
			change:      func(r *fakegithub.Repo) { r.Commit("feature", nil, "Dockerfile") },
			wantHead:    with(wantedMain(), nil, "Dockerfile"),
			wantChanged: []string{"Dockerfile"},
			wantReads:   ops(1, 5),
		},
		{
			name:        "a file is added",
			change:      func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"pixi.lock": "version: 6\n"}) },
			wantHead:    with(wantedMain(), map[string]string{"pixi.lock": "version: 6\n"}),
			wantChanged: []string{"pixi.lock"},
			wantReads:   ops(2, 6),
		},
		{
			name:        "the comparison lists GitHub's maximum of 300 files: the head's tree is read",
			change:      func(r *fakegithub.Repo) { r.Commit("feature", pages) },
			wantHead:    with(wantedMain(), map[string]string{"conda-lock.yml": newLock}),
			wantChanged: []string{"conda-lock.yml"},
			wantReads:   ops(2, 6),
		},
		{
			name:   "the comparison gives a wanted file without its blob id: the head's tree is read",
			change: func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) },
			client: rewrite(func(p string) bool { return strings.Contains(p, "/compare/") }, func(body map[string]any) {
				for _, f := range body["files"].([]any) {
					f.(map[string]any)["sha"] = nil
				}
			}),
			wantHead:    with(wantedMain(), map[string]string{"conda-lock.yml": newLock}),
			wantChanged: []string{"conda-lock.yml"},
			wantReads:   ops(2, 6),
		},
		{
			name:   "a merge base file larger than the limit is not fetched",
			main:   with(mainFiles, map[string]string{"conda-lock.yml": big}),
			change: func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"environment.yml": "name: demo\n"}) },
			wantBase: with(wantedMain(), map[string]string{
				"conda-lock.yml": fmt.Sprintf("error: conda-lock.yml is %d bytes, larger than the 64 MiB imagebot reads", lock.MaxSize+1),
			}),
			wantHead: with(wantedMain(), map[string]string{
				"environment.yml": "name: demo\n",
				"conda-lock.yml":  fmt.Sprintf("error: conda-lock.yml is %d bytes, larger than the 64 MiB imagebot reads", lock.MaxSize+1),
			}),
			wantChanged: []string{"environment.yml"},
			wantReads:   ops(2, 5),
		},
		{
			name:   "an added file larger than the limit is refused by the size the head's tree lists",
			change: func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"big.lock": big}) },
			wantHead: with(wantedMain(), map[string]string{
				"big.lock": fmt.Sprintf("error: big.lock is %d bytes, larger than the 64 MiB imagebot reads", lock.MaxSize+1),
			}),
			wantChanged: []string{"big.lock"},
			wantReads:   ops(2, 5),
		},
		{
			name:   "a file far larger than the limit, listed as small, stops its download at the limit",
			change: func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"big.lock": huge}) },
			client: rewrite(func(p string) bool { return strings.Contains(p, "/git/trees/") }, func(body map[string]any) {
				for _, e := range body["tree"].([]any) {
					if e.(map[string]any)["path"] == "big.lock" {
						e.(map[string]any)["size"] = 1
					}
				}
			}),
			wantHead: with(wantedMain(), map[string]string{
				"big.lock": "error: big.lock is larger than the 64 MiB imagebot reads",
			}),
			wantChanged: []string{"big.lock"},
			wantReads:   ops(2, 6),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, cmpOr(tc.main, mainFiles), tc.client)
			base, head := w.pull(tc.change)
			cache := newMemCache()
			snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
			if err != nil {
				t.Fatal(err)
			}
			if snap.MergeBase != base {
				t.Errorf("merge base %s, want %s", snap.MergeBase, base)
			}
			if got, want := readAll(snap.Base), cmpOr(tc.wantBase, wantedMain()); !maps.Equal(got, want) {
				t.Errorf("base\n%v\nwant\n%v", got, want)
			}
			if got := readAll(snap.Head); !maps.Equal(got, tc.wantHead) {
				t.Errorf("head\n%v\nwant\n%v", got, tc.wantHead)
			}
			if !slices.Equal(snap.Changed, tc.wantChanged) {
				t.Errorf("changed %q, want %q", snap.Changed, tc.wantChanged)
			}
			if got := w.readOps(); !slices.Equal(got, tc.wantReads) {
				t.Errorf("reads %q, want %q", got, tc.wantReads)
			}
			if snap.Reads != len(tc.wantReads) {
				t.Errorf("snapshot counted %d reads, want %d", snap.Reads, len(tc.wantReads))
			}
			if len(w.srv.Writes()) != 0 {
				t.Errorf("Load wrote: %v", w.srv.Writes())
			}
		})
	}
}

func cmpOr(m, def map[string]string) map[string]string {
	if m == nil {
		return def
	}
	return m
}

// TestLoadAgain follows one pull request through pushes with one cache: each
// step reads only what the cache lacks.
func TestLoadAgain(t *testing.T) {
	w := newWorld(t, mainFiles, nil)
	base, head := w.pull(func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) })
	number := 1
	cache := newMemCache()
	pages := map[string]string{}
	for i := range 300 {
		pages[fmt.Sprintf("docs/page-%03d.md", i)] = fmt.Sprintf("page %d\n", i)
	}
	for _, step := range []struct {
		name      string
		push      func(r *fakegithub.Repo)
		wantReads []string
	}{
		{name: "first load", wantReads: ops(2, 6)},
		{name: "the same head again: everything is cached", wantReads: ops(0, 0)},
		{
			name: "a push changes the lock",
			push: func(r *fakegithub.Repo) {
				r.Commit("feature", map[string]string{"conda-lock.yml": newLock + "# again\n"})
			},
			wantReads: ops(1, 1), // the new head's tree: the lock may have become a link
		},
		{
			name:      "main moves on: the merge base stays",
			push:      func(r *fakegithub.Repo) { r.Commit("main", map[string]string{"README.md": "# moved\n"}) },
			wantReads: ops(0, 0),
		},
		{
			name:      "a push of 300 files: the head's tree is read",
			push:      func(r *fakegithub.Repo) { r.Commit("feature", pages) },
			wantReads: ops(1, 0),
		},
		{name: "the same head again: its tree is cached too", wantReads: ops(0, 0)},
	} {
		t.Run(step.name, func(t *testing.T) {
			if step.push != nil {
				step.push(w.repo)
				pr := w.srv.Pull(w.repo.FullName(), number)
				base, head = pr.BaseSHA, pr.HeadSHA
			}
			w.srv.Reset()
			snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
			if err != nil {
				t.Fatal(err)
			}
			uncached, _, err := snap.Uncached()
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Count(strings.Join(step.wantReads, " "), "git/get-blob"); uncached != want {
				t.Errorf("Uncached = %d files, want %d (the blobs reading will fetch)", uncached, want)
			}
			readAll(snap.Base)
			readAll(snap.Head)
			if got := w.readOps(); !slices.Equal(got, step.wantReads) {
				t.Errorf("reads %q, want %q", got, step.wantReads)
			}
			if snap.Reads != len(step.wantReads) {
				t.Errorf("snapshot counted %d reads, want %d", snap.Reads, len(step.wantReads))
			}
		})
	}
}

func TestLoadFails(t *testing.T) {
	lockChange := func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) }
	for _, tc := range []struct {
		name      string
		client    func(http.RoundTripper) http.RoundTripper
		cache     func(c *memCache)
		shas      func(base, head string) (string, string)
		wantErr   func(err error, base, head string) bool
		wantReads []string
	}{
		{
			name: "GitHub cannot list the merge base's tree whole",
			client: rewrite(func(p string) bool { return strings.Contains(p, "/git/trees/") }, func(body map[string]any) {
				body["truncated"] = true
			}),
			wantErr:   func(err error, _, _ string) bool { return errors.Is(err, ErrTreeTruncated) },
			wantReads: ops(1, 0),
		},
		{
			name: "an unknown head",
			shas: func(base, _ string) (string, string) { return base, strings.Repeat("0", 40) },
			wantErr: func(err error, base, _ string) bool {
				return strings.HasPrefix(err.Error(), "compare "+base+"..."+strings.Repeat("0", 40)+": GET ") &&
					strings.HasSuffix(err.Error(), ": 404 Not Found []")
			},
			wantReads: ops(0, 0),
		},
		{
			name:      "the cache fails",
			cache:     func(c *memCache) { c.failTrees = errCacheDown },
			wantErr:   func(err error, _, _ string) bool { return errors.Is(err, errCacheDown) },
			wantReads: ops(0, 0),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, mainFiles, tc.client)
			base, head := w.pull(lockChange)
			cache := newMemCache()
			if tc.cache != nil {
				tc.cache(cache)
			}
			if tc.shas != nil {
				base, head = tc.shas(base, head)
			}
			snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
			if err == nil || snap != nil {
				t.Fatalf("Load = %v, %v; want an error", snap, err)
			}
			if !tc.wantErr(err, base, head) {
				t.Errorf("error %v", err)
			}
			if got := w.readOps(); !slices.Equal(got, tc.wantReads) {
				t.Errorf("reads %q, want %q", got, tc.wantReads)
			}
			if len(cache.treePuts) != 0 {
				t.Errorf("trees cached: %q", cache.treePuts)
			}
		})
	}
}

func TestReadFile(t *testing.T) {
	w := newWorld(t, mainFiles, nil)
	base, head := w.pull(func(r *fakegithub.Repo) { r.Commit("feature", nil, "Dockerfile") })
	snap, err := Load(ctx, w.gh, newMemCache(), owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path     string
		tree     string
		wantErr  error
		wantText string
	}{
		{path: "Dockerfile", tree: "head", wantErr: fs.ErrNotExist, wantText: "Dockerfile: file does not exist"},
		{path: "README.md", tree: "base", wantErr: fs.ErrNotExist, wantText: "README.md: file does not exist"},
	} {
		tr := snap.Base
		if tc.tree == "head" {
			tr = snap.Head
		}
		_, err := tr.ReadFile(tc.path)
		if !errors.Is(err, tc.wantErr) || err.Error() != tc.wantText {
			t.Errorf("%s ReadFile(%s) = %v, want %q", tc.tree, tc.path, err, tc.wantText)
		}
	}
	if snap.Reads != 2 {
		t.Errorf("%d reads for missing files, want 2 (compare and tree)", snap.Reads)
	}
}

// TestReadFileConcurrently reads both trees from many goroutines: each blob
// is still fetched once (run with -race).
func TestReadFileConcurrently(t *testing.T) {
	w := newWorld(t, mainFiles, nil)
	base, head := w.pull(func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) })
	snap, err := Load(ctx, w.gh, newMemCache(), owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(2)
		go func() { defer wg.Done(); readAll(snap.Base) }()
		go func() { defer wg.Done(); readAll(snap.Head) }()
	}
	wg.Wait()
	if got, want := w.readOps(), ops(2, 6); !slices.Equal(got, want) {
		t.Errorf("reads %q, want %q", got, want)
	}
	if snap.Reads != 9 {
		t.Errorf("snapshot counted %d reads, want 9", snap.Reads)
	}
}

// TestLoadCachesTrees checks what the cache receives: the merge base's tree,
// under its tree id, with every file (README.md too, so that the cached
// tree serves any checks.Wanted), the head's under its commit id, and the
// blobs that were read.
func TestLoadCachesTrees(t *testing.T) {
	w := newWorld(t, mainFiles, nil)
	base, head := w.pull(func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) })
	cache := newMemCache()
	snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := snap.Head.ReadFile("conda-lock.yml"); err != nil {
		t.Fatal(err)
	}
	if len(cache.treePuts) != 2 || cache.treePuts[0] == base || cache.treePuts[1] != head {
		t.Fatalf("trees cached under %q, want the merge base's tree id (not the commit id %s), then the head %s", cache.treePuts, base, head)
	}
	got := map[string]Entry{}
	for _, e := range cache.trees[cache.treePuts[0]] {
		got[e.Path] = e
	}
	want := map[string]Entry{}
	for p, content := range mainFiles {
		want[p] = Entry{Path: p, SHA: fakegithub.BlobSHA(content), Size: int64(len(content))}
	}
	if !maps.Equal(got, want) {
		t.Errorf("cached tree\n%v\nwant\n%v", got, want)
	}
	wantBlobs := map[string]string{fakegithub.BlobSHA(newLock): newLock}
	gotBlobs := map[string]string{}
	for sha, data := range cache.blobs {
		gotBlobs[sha] = string(data)
	}
	if !maps.Equal(gotBlobs, wantBlobs) {
		t.Errorf("cached blobs %v, want %v", gotBlobs, wantBlobs)
	}
}

// TestReadFileChecksBlobIDs: content that does not hash to its blob id is
// an error, and is not cached.
func TestReadFileChecksBlobIDs(t *testing.T) {
	tampered := "tampered\n"
	w := newWorld(t, mainFiles, rewrite(func(p string) bool { return strings.Contains(p, "/git/blobs/") }, func(body map[string]any) {
		body["content"] = base64.StdEncoding.EncodeToString([]byte(tampered))
		body["size"] = len(tampered)
	}))
	base, head := w.pull(func(r *fakegithub.Repo) { r.Commit("feature", map[string]string{"conda-lock.yml": newLock}) })
	cache := newMemCache()
	snap, err := Load(ctx, w.gh, cache, owner, name, base, head)
	if err != nil {
		t.Fatal(err)
	}
	_, err = snap.Base.ReadFile("environment.yml")
	want := fmt.Sprintf("environment.yml: blob %s: GitHub sent content whose id is %s",
		fakegithub.BlobSHA(mainFiles["environment.yml"]), fakegithub.BlobSHA(tampered))
	if err == nil || err.Error() != want {
		t.Errorf("ReadFile error %v, want %q", err, want)
	}
	if len(cache.blobs) != 0 {
		t.Errorf("cached %d blobs", len(cache.blobs))
	}
}
