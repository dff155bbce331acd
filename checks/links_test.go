package checks

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
)

// linkTree is a tree for ResolveLinks: files and directories (value ""),
// and links (value "-> target").
type linkTree map[string]string

func (t linkTree) readLink(name string) (string, bool, error) {
	v, ok := t[name]
	switch {
	case !ok:
		return "", false, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
	case v == "too long":
		return "", true, ErrLinkTooLong
	case strings.HasPrefix(v, "-> "):
		return strings.TrimPrefix(v, "-> "), true, nil
	}
	return "", false, nil
}

func TestResolveLinks(t *testing.T) {
	tree := linkTree{
		"conda-lock.yml": "-> locks/x.yml", "locks": "", "locks/x.yml": "",
		"real": "", "real/c.lock": "", "dir": "-> real", "via.lock": "-> dir/c.lock",
		"up": "", "up/a.lock": "-> ../locks/x.yml", "dot.lock": "-> ./locks/../locks/x.yml",
		"out.lock": "-> ../../etc/passwd", "abs.lock": "-> /etc/passwd", "deep": "", "deep/out.lock": "-> ../..",
		"a.lock": "-> b.lock", "b.lock": "-> a.lock",
		"gone.lock": "-> locks/y.yml", "gonedir.lock": "-> dir/y.lock", "long.lock": "-> " + strings.Repeat("x", MaxLinkTarget+1),
		"unread.lock": "too long", "self": "-> .", "selfx.lock": "-> self/locks/x.yml",
		"nest": "", "nest/in": "", "nest/in/c.lock": "", "nest/c.lock": "", "c.lock": "", "deepdir": "-> nest/in",
		"upvia.lock": "-> deepdir/../c.lock", "upgone.lock": "-> deepdir/../../x.lock", "climb.lock": "-> deepdir/../../..",
	}
	testResolve(t, "ResolveLinks", func(p string) (string, error) { return ResolveLinks(p, tree.readLink) }, []resolveCase{
		{path: "locks/x.yml", want: "locks/x.yml"},
		{path: "conda-lock.yml", want: "locks/x.yml"},
		{path: "via.lock", want: "real/c.lock"},
		{path: "up/a.lock", want: "locks/x.yml"},
		{path: "dot.lock", want: "locks/x.yml"},
		{path: "selfx.lock", want: "locks/x.yml"},
		{path: "out.lock", wantErr: "out.lock is a symbolic link to ../../etc/passwd, outside the repository"},
		{path: "abs.lock", wantErr: "abs.lock is a symbolic link to /etc/passwd, outside the repository"},
		{path: "deep/out.lock", wantErr: "deep/out.lock is a symbolic link to ../.., outside the repository"},
		{path: "a.lock", wantErr: "a.lock is a symbolic link to b.lock, and following it passes through more than 40 symbolic links"},
		{path: "gone.lock", wantErr: "gone.lock is a symbolic link to locks/y.yml, which does not exist in the repository"},
		{path: "gonedir.lock", wantErr: "gonedir.lock is a symbolic link to dir/y.lock, which leads to real/y.lock, which does not exist in the repository"},
		{path: "long.lock", wantErr: "long.lock is a symbolic link whose target is longer than 4095 bytes"},
		{path: "unread.lock", wantErr: "unread.lock is a symbolic link whose target is longer than 4095 bytes"},
		{path: "missing.lock", wantErr: "missing.lock: file does not exist"},
		{path: "upvia.lock", want: "nest/c.lock"}, // the parent of nest/in, not of deepdir
		{path: "upgone.lock", wantErr: "upgone.lock is a symbolic link to deepdir/../../x.lock, which leads to x.lock, which does not exist in the repository"},
		{path: "climb.lock", wantErr: "climb.lock is a symbolic link to deepdir/../../.., outside the repository"},
	})
}

// resolveCase is a path to resolve, and the path or error wanted.
type resolveCase struct{ path, want, wantErr string }

// testResolve runs cases through resolve: a wanted error is a *LinkError,
// but for missing.lock, which no link leads to.
func testResolve(t *testing.T, name string, resolve func(string) (string, error), cases []resolveCase) {
	t.Helper()
	for _, tt := range cases {
		got, err := resolve(tt.path)
		if tt.wantErr == "" {
			if err != nil || got != tt.want {
				t.Errorf("%s(%s) = %q, %v; want %q", name, tt.path, got, err, tt.want)
			}
			continue
		}
		if err == nil || err.Error() != tt.wantErr {
			t.Errorf("%s(%s) = %q, %v; want error %q", name, tt.path, got, err, tt.wantErr)
		}
		var le *LinkError
		if isLinkErr := errors.As(err, &le); isLinkErr == (tt.path == "missing.lock") {
			t.Errorf("%s(%s): %T, a *LinkError only when a link is at fault", name, tt.path, err)
		}
	}
}

// TestResolveLinksPassesFaults: a failed read is no finding; the caller
// gets it as it is, to retry.
func TestResolveLinksPassesFaults(t *testing.T) {
	fault := errors.New("502 Bad Gateway")
	_, err := ResolveLinks("conda-lock.yml", func(string) (string, bool, error) { return "", false, fault })
	if err != fault {
		t.Errorf("error %v, want the read's own", err)
	}
}

// listed is a Listing: files ("" or content), links ("-> target"), and
// the directories their paths imply.
type listed map[string]string

func (l listed) Entry(name string) (int64, bool, bool) {
	v, ok := l[name]
	target, isLink := strings.CutPrefix(v, "-> ")
	if isLink {
		return int64(len(target)), true, ok
	}
	return int64(len(v)), false, ok
}

func (l listed) IsDir(name string) bool {
	for p := range l {
		if name == "." || strings.HasPrefix(p, name+"/") {
			return true
		}
	}
	return false
}

func (l listed) Target(name string) (string, error) { return strings.TrimPrefix(l[name], "-> "), nil }

func TestResolveListed(t *testing.T) {
	tree := listed{
		"locks/x.yml": "", "conda-lock.yml": "-> locks/x.yml", "dir.lock": "-> locks", "l": "-> locks",
		"via.lock": "-> l/../l", "root.lock": "-> .", "gone.lock": "-> l/y.yml",
		"long.lock": "-> " + strings.Repeat("x", MaxLinkTarget+1),
	}
	testResolve(t, "ResolveListed", func(p string) (string, error) { return ResolveListed(p, tree) }, []resolveCase{
		{path: "conda-lock.yml", want: "locks/x.yml"},
		{path: "locks/x.yml", want: "locks/x.yml"},
		{path: "dir.lock", wantErr: "dir.lock is a symbolic link to locks, which is a directory, not a file"},
		{path: "via.lock", wantErr: "via.lock is a symbolic link to l/../l, which leads to locks, which is a directory, not a file"},
		{path: "root.lock", wantErr: "root.lock is a symbolic link to ., which is a directory, not a file"},
		{path: "gone.lock", wantErr: "gone.lock is a symbolic link to l/y.yml, which leads to locks/y.yml, which does not exist in the repository"},
		{path: "long.lock", wantErr: "long.lock is a symbolic link whose target is longer than 4095 bytes"},
	})
}

// FuzzResolveLinks: whatever two links point at, ResolveLinks ends, and
// what it returns is inside the tree.
func FuzzResolveLinks(f *testing.F) {
	f.Add("locks/x.yml", "a.lock")
	f.Add("../x", "/etc")
	f.Add("b.lock", ".")
	f.Fuzz(func(t *testing.T, first, second string) {
		tree := linkTree{"a.lock": "-> " + first, "b.lock": "-> " + second, "locks": "", "locks/x.yml": ""}
		got, err := ResolveLinks("a.lock", tree.readLink)
		if err != nil {
			return
		}
		if got == ".." || strings.HasPrefix(got, "../") || strings.HasPrefix(got, "/") {
			t.Errorf("ResolveLinks = %q, outside the tree", got)
		}
		if _, ok := tree[got]; !ok && got != "." {
			t.Errorf("ResolveLinks = %q, not in the tree", got)
		}
	})
}
