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
	}
	for _, tt := range []struct {
		path, want, wantErr string
	}{
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
	} {
		got, err := ResolveLinks(tt.path, tree.readLink)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ResolveLinks(%s) = %q, %v; want error %q", tt.path, got, err, tt.wantErr)
			}
			var le *LinkError
			if isLinkErr := errors.As(err, &le); isLinkErr == (tt.path == "missing.lock") {
				t.Errorf("ResolveLinks(%s): %T, a *LinkError only when a link is at fault", tt.path, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveLinks(%s) = %q, %v; want %q", tt.path, got, err, tt.want)
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

func TestLinkToDirectory(t *testing.T) {
	for _, tt := range []struct {
		err  LinkError
		want string
	}{
		{LinkError{Link: "conda-lock.yml", Target: "locks", Leads: "locks", Problem: LinkToDirectory},
			"conda-lock.yml is a symbolic link to locks, which is a directory, not a file"},
		{LinkError{Link: "a/conda-lock.yml", Target: "../dir", Leads: "real", Problem: LinkToDirectory},
			"a/conda-lock.yml is a symbolic link to ../dir, which leads to real, which is a directory, not a file"},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%q, want %q", got, tt.want)
		}
	}
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
