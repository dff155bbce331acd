package fakegithub

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// This file models a repository's git objects with real object ids: a blob is
// sha1("blob <len>\x00" + content), and trees and commits are hashed from git's own
// encodings, so every id equals what git computes for the same content, names, dates and
// messages.

// gitCommit is a commit with a flattened snapshot of its files.
type gitCommit struct {
	sha     string
	tree    string
	parents []string
	message string
	name    string // author and committer name
	email   string
	when    time.Time
	files   map[string]string // path → blob id
	links   map[string]bool   // the paths of files that are symbolic links (their blob is the target)
}

// treeEntry is one entry of a git tree.
type treeEntry struct {
	name string
	mode string // "100644", "120000" (a symbolic link) or "40000", as git writes them
	sha  string
}

func (e treeEntry) isTree() bool { return e.mode == "40000" }

// hashObject is git's object id of an object of kind with content.
func hashObject(kind string, content []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(content))
	h.Write(content)
	return hex.EncodeToString(h.Sum(nil))
}

// BlobSHA is git's object id for a file with content, as `git hash-object` prints it.
func BlobSHA(content string) string { return hashObject("blob", []byte(content)) }

// writeTree stores the trees for a flattened file set, of which the paths in links are
// symbolic links, and returns the root tree's id.
func (r *Repo) writeTree(files map[string]string, links map[string]bool) string {
	var tree []treeEntry
	subdirs := map[string]map[string]string{}
	subLinks := map[string]map[string]bool{}
	for path, sha := range files {
		dir, rest, nested := strings.Cut(path, "/")
		if !nested {
			mode := "100644"
			if links[path] {
				mode = "120000"
			}
			tree = append(tree, treeEntry{name: dir, mode: mode, sha: sha})
			continue
		}
		if subdirs[dir] == nil {
			subdirs[dir], subLinks[dir] = map[string]string{}, map[string]bool{}
		}
		subdirs[dir][rest], subLinks[dir][rest] = sha, links[path]
	}
	for name, sub := range subdirs {
		tree = append(tree, treeEntry{name: name, mode: "40000", sha: r.writeTree(sub, subLinks[name])})
	}
	// git orders entries by name, comparing a tree's name as if it ended in "/".
	sortKey := func(e treeEntry) string {
		if e.isTree() {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(tree, func(i, j int) bool { return sortKey(tree[i]) < sortKey(tree[j]) })
	var body []byte
	for _, e := range tree {
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, e.mode+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	sha := hashObject("tree", body)
	r.trees[sha] = tree
	return sha
}

// writeCommit stores a commit of files, of which the paths in links are symbolic links, on
// parents and returns its id.
func (r *Repo) writeCommit(files map[string]string, links map[string]bool, parents []string, message, name, email string, when time.Time) string {
	tree := r.writeTree(files, links)
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	stamp := fmt.Sprintf("%d +0000", when.Unix())
	fmt.Fprintf(&b, "author %s <%s> %s\n", name, email, stamp)
	fmt.Fprintf(&b, "committer %s <%s> %s\n", name, email, stamp)
	fmt.Fprintf(&b, "\n%s\n", message)
	sha := hashObject("commit", []byte(b.String()))
	r.commits[sha] = &gitCommit{
		sha: sha, tree: tree, parents: parents, message: message,
		name: name, email: email, when: when.UTC(), files: files, links: links,
	}
	return sha
}

var hexID = regexp.MustCompile(`^[0-9a-f]{7,40}$`)

// resolve turns a ref as the API accepts it (a branch name, heads/x, refs/heads/x,
// tags/x, refs/tags/x, or a full or abbreviated commit id) into a commit id.
func (r *Repo) resolve(ref string) (string, bool) {
	for _, full := range []string{"refs/heads/" + ref, "refs/" + ref, ref, "refs/tags/" + ref} {
		if sha, ok := r.refs[full]; ok {
			return sha, true
		}
	}
	if !hexID.MatchString(ref) {
		return "", false
	}
	if _, ok := r.commits[ref]; ok {
		return ref, true
	}
	found := ""
	for sha := range r.commits {
		if strings.HasPrefix(sha, ref) {
			if found != "" {
				return "", false
			}
			found = sha
		}
	}
	return found, found != ""
}

// ancestors returns the commits reachable from sha, itself included.
func (r *Repo) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[c] || r.commits[c] == nil {
			continue
		}
		seen[c] = true
		stack = append(stack, r.commits[c].parents...)
	}
	return seen
}

// mergeBase is the nearest common ancestor of a and b (breadth-first from b), or "" when
// their histories are unrelated.
func (r *Repo) mergeBase(a, b string) string {
	fromA := r.ancestors(a)
	queue, seen := []string{b}, map[string]bool{}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] || r.commits[c] == nil {
			continue
		}
		seen[c] = true
		if fromA[c] {
			return c
		}
		queue = append(queue, r.commits[c].parents...)
	}
	return ""
}

// commitsBetween lists the commits reachable from head but not from base, parents before
// children.
func (r *Repo) commitsBetween(base, head string) []*gitCommit {
	exclude := r.ancestors(base)
	var out []*gitCommit
	done := map[string]bool{}
	var visit func(string)
	visit = func(sha string) {
		if done[sha] || exclude[sha] || r.commits[sha] == nil {
			return
		}
		done[sha] = true
		for _, p := range r.commits[sha].parents {
			visit(p)
		}
		out = append(out, r.commits[sha])
	}
	visit(head)
	return out
}

// fileChange is one entry of a diff between two snapshots.
type fileChange struct {
	filename  string
	previous  string // the old name of a renamed file
	status    string // added, removed, modified, renamed
	sha       string // blob id after the change; for a removed file, before it
	additions int
	deletions int
}

// diff compares two snapshots. A removed file and an added file with the same blob id
// form a rename, as git's exact rename detection does. Entries are ordered by filename.
func (r *Repo) diff(from, to map[string]string) []fileChange {
	var changes []fileChange
	removedByBlob := map[string][]string{}
	for path, sha := range from {
		if _, ok := to[path]; !ok {
			removedByBlob[sha] = append(removedByBlob[sha], path)
		}
	}
	for _, paths := range removedByBlob {
		sort.Strings(paths)
	}
	var added []string
	for path, sha := range to {
		old, existed := from[path]
		switch {
		case !existed:
			added = append(added, path)
		case old != sha:
			adds, dels := lineChanges(string(r.blobs[old]), string(r.blobs[sha]))
			changes = append(changes, fileChange{filename: path, status: "modified", sha: sha, additions: adds, deletions: dels})
		}
	}
	sort.Strings(added)
	for _, path := range added {
		sha := to[path]
		if olds := removedByBlob[sha]; len(olds) > 0 {
			removedByBlob[sha] = olds[1:]
			changes = append(changes, fileChange{filename: path, previous: olds[0], status: "renamed", sha: sha})
			continue
		}
		adds, _ := lineChanges("", string(r.blobs[sha]))
		changes = append(changes, fileChange{filename: path, status: "added", sha: sha, additions: adds})
	}
	for sha, paths := range removedByBlob {
		for _, path := range paths {
			_, dels := lineChanges(string(r.blobs[sha]), "")
			changes = append(changes, fileChange{filename: path, status: "removed", sha: sha, deletions: dels})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].filename < changes[j].filename })
	return changes
}

// lineChanges counts the lines only in after (additions) and only in before (deletions),
// comparing the two as multisets of lines. It equals git's counts whenever no line moved.
func lineChanges(before, after string) (additions, deletions int) {
	count := map[string]int{}
	for _, l := range splitLines(before) {
		count[l]++
	}
	for _, l := range splitLines(after) {
		if count[l] > 0 {
			count[l]--
		} else {
			additions++
		}
	}
	for _, n := range count {
		deletions += n
	}
	return additions, deletions
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
