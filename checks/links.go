package checks

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// MaxLinks bounds how many symbolic links one path may pass through, as
// Linux's ELOOP does.
const MaxLinks = 40

// MaxLinkTarget is the longest link target followed, in bytes: Linux's
// PATH_MAX less its terminating NUL.
const MaxLinkTarget = 4095

// ErrLinkTooLong is what a ReadLink returns, instead of a target, for a
// link it knows to be longer than MaxLinkTarget bytes without reading it.
var ErrLinkTooLong = errors.New("symbolic link target longer than 4095 bytes")

// ReadLink tells ResolveLinks what one slash-separated path of a tree is:
// a symbolic link (its target, as written, and true), or a file or a
// directory (false). A path the tree does not hold is an error wrapping
// fs.ErrNotExist; any other error (a failed read) is passed on as it is.
type ReadLink func(name string) (target string, isLink bool, err error)

// LinkProblem says why a path's symbolic links cannot be followed.
type LinkProblem int

const (
	// LinkOutside: a link leaves the repository (an absolute target, or
	// one that climbs above the root).
	LinkOutside LinkProblem = iota + 1
	// LinkLoop: the path passes through more than MaxLinks links.
	LinkLoop
	// LinkDangling: the links lead to a path the repository does not hold.
	LinkDangling
	// LinkTooLong: a link's target is longer than MaxLinkTarget bytes.
	LinkTooLong
	// LinkToDirectory: the links lead to a directory, not a file
	// (ResolveListed; ResolveLinks returns the directory).
	LinkToDirectory
)

// LinkError is ResolveLinks' error for a path whose symbolic links it
// cannot follow; the checks report it as a finding, never as silence.
type LinkError struct {
	Path    string // the path resolved
	Link    string // the link at fault
	Target  string // its target, as written ("" for LinkTooLong)
	Leads   string // for LinkDangling and LinkToDirectory: the path the links lead to
	Problem LinkProblem
}

func (e *LinkError) Error() string {
	switch e.Problem {
	case LinkOutside:
		return fmt.Sprintf("%s is a symbolic link to %s, outside the repository", e.Link, e.Target)
	case LinkLoop:
		return fmt.Sprintf("%s is a symbolic link to %s, and following it passes through more than %d symbolic links", e.Link, e.Target, MaxLinks)
	case LinkTooLong:
		return fmt.Sprintf("%s is a symbolic link whose target is longer than %d bytes", e.Link, MaxLinkTarget)
	case LinkToDirectory:
		return fmt.Sprintf("%s is a symbolic link to %s, %sa directory, not a file", e.Link, e.Target, e.leadsTo("which is "))
	}
	return fmt.Sprintf("%s is a symbolic link to %s, %sdoes not exist in the repository", e.Link, e.Target, e.leadsTo("which "))
}

// leadsTo names the path the links lead to when it is not the target as
// written: "which leads to real/x.yml, which ".
func (e *LinkError) leadsTo(which string) string {
	if e.Leads == "" || e.Leads == path.Join(path.Dir(e.Link), e.Target) {
		return which
	}
	return "which leads to " + e.Leads + ", " + which
}

// ResolveLinks follows the symbolic links in a slash-separated path of a
// tree, component by component, as the kernel does, and returns the path
// inside the tree that it names, with no link left in it ("." for the
// root). A link that leaves the tree, more than MaxLinks links, a target
// longer than MaxLinkTarget bytes, and links that lead nowhere are
// *LinkError. A path
// that is missing without passing through a link, and every error of
// readLink other than a missing path and ErrLinkTooLong, are returned as
// readLink gave them.
func ResolveLinks(p string, readLink ReadLink) (string, error) {
	real, _, err := resolveLinks(p, readLink)
	return real, err
}

// Listing is a tree known from a listing, as git lists one (a GitHub tree,
// `git ls-tree`): its files and symbolic links, and the directories they
// are in.
type Listing interface {
	// Entry looks up a file or a link: its size in bytes (for a link, its
	// target's length) and whether it is a link; ok is false when the
	// listing holds neither.
	Entry(name string) (size int64, isLink, ok bool)
	// IsDir reports whether name is a directory of the listing ("." is
	// the root).
	IsDir(name string) bool
	// Target reads a link's target. ResolveListed calls it only for links
	// of at most MaxLinkTarget bytes.
	Target(name string) (string, error)
}

// ResolveListed is ResolveLinks on a Listing; links that lead to a
// directory are a *LinkError too (LinkToDirectory).
func ResolveListed(p string, l Listing) (string, error) {
	real, first, err := resolveLinks(p, func(name string) (string, bool, error) {
		size, isLink, ok := l.Entry(name)
		switch {
		case !ok && l.IsDir(name):
			return "", false, nil
		case !ok:
			return "", false, fmt.Errorf("%s: %w", name, fs.ErrNotExist)
		case !isLink:
			return "", false, nil
		case size > MaxLinkTarget:
			return "", true, ErrLinkTooLong
		}
		target, err := l.Target(name)
		return target, true, err
	})
	if err == nil && first != nil && l.IsDir(real) {
		first.Leads, first.Problem = real, LinkToDirectory
		return "", first
	}
	return real, err
}

// resolveLinks is ResolveLinks, which also returns the first link it
// followed (nil if none), for errors that name it. A link's target is
// followed component by component, as the kernel does: ".." is the parent
// of the directory reached so far, which holds no link, so "sub/../x"
// where sub is a link to a/b names a/x, not x.
func resolveLinks(p string, readLink ReadLink) (string, *LinkError, error) {
	var first *LinkError  // the first link followed, for loops and dead ends
	var links [][2]string // the links followed and their targets, which components come from
	resolved := ""        // the directories followed, none of them a link
	rest := components(path.Clean(p), -1)
	for hops := 0; len(rest) > 0; {
		part := rest[0]
		rest = rest[1:]
		switch {
		case part.name == "" || part.name == ".":
			continue
		case part.name == ".." && resolved == "" && part.link < 0:
			return "", first, fmt.Errorf("%s: %w", p, fs.ErrNotExist)
		case part.name == ".." && resolved == "":
			from := links[part.link]
			return "", first, &LinkError{Path: p, Link: from[0], Target: from[1], Problem: LinkOutside}
		case part.name == "..":
			if resolved = path.Dir(resolved); resolved == "." {
				resolved = ""
			}
			continue
		}
		next := path.Join(resolved, part.name)
		target, isLink, err := readLink(next)
		switch {
		case errors.Is(err, ErrLinkTooLong):
			return "", first, &LinkError{Path: p, Link: next, Problem: LinkTooLong}
		case err != nil && first != nil && errors.Is(err, fs.ErrNotExist):
			leads := []string{next}
			for _, c := range rest {
				leads = append(leads, c.name)
			}
			first.Problem, first.Leads = LinkDangling, path.Join(leads...)
			return "", first, first
		case err != nil:
			return "", first, err
		case !isLink:
			resolved = next
			continue
		case len(target) > MaxLinkTarget:
			return "", first, &LinkError{Path: p, Link: next, Problem: LinkTooLong}
		}
		if first == nil {
			first = &LinkError{Path: p, Link: next, Target: target}
		}
		if hops++; hops > MaxLinks {
			first.Problem = LinkLoop
			return "", first, first
		}
		if path.IsAbs(target) {
			return "", first, &LinkError{Path: p, Link: next, Target: target, Problem: LinkOutside}
		}
		links = append(links, [2]string{next, target})
		rest = append(components(target, len(links)-1), rest...) // relative to the link's directory, resolved
	}
	if resolved == "" {
		return ".", first, nil // the root
	}
	return resolved, first, nil
}

// component is one name of a path being resolved, and the index of the
// link whose target it comes from (-1: the path itself).
type component struct {
	name string
	link int
}

func components(p string, link int) []component {
	names := strings.Split(p, "/")
	out := make([]component, len(names))
	for i, n := range names {
		out[i] = component{n, link}
	}
	return out
}
