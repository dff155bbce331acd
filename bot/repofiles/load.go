package repofiles

import (
	"context"
	"sort"
	"sync"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/checks"
)

// Snapshot is a pull request's files: those of its merge base (what the pull
// request started from) and of its head, restricted to the files
// checks.Wanted accepts. Base and Head fetch each blob at most once between
// them: a file the pull request leaves alone is read once for both.
type Snapshot struct {
	Base, Head checks.Tree
	MergeBase  string // the merge base commit
	// CompareURL is GitHub's page comparing the base with the head (its
	// compare view), for people to follow; "" if GitHub named none.
	CompareURL string
	// Changed lists, sorted, the wanted paths whose content differs between
	// Base and Head, or which exist on one side only (both names of a
	// renamed file).
	Changed []string
	// Reads counts the REST calls made for this snapshot: Load's and those of
	// ReadFile on Base and Head so far. Read it once the trees are no longer
	// in use.
	Reads int

	r          *reader
	base, head *tree
}

// Load lists what a pull request changes and returns the trees of its merge
// base and head, restricted to the files checks.Wanted accepts. baseSHA and
// headSHA are the pull request's base and head commits.
//
// Its reads are one comparison (GET /repos/{owner}/{repo}/compare/{base}...{head}),
// the merge base's tree unless cached (GET /git/trees/{tree}?recursive=1),
// and the head's tree unless cached (GET /git/trees/{head}?recursive=1)
// when the head's wanted files may differ from the merge base's in more
// than removals: when the pull request adds, modifies or renames a wanted
// file (the comparison gives no file modes, and any of them may be a
// symbolic link), when the merge base has a wanted file that is a link
// (where it leads may have changed), or when the comparison lists GitHub's
// maximum of 300 files. Otherwise the head's wanted files are the merge
// base's less those the pull request removes. Blobs are read later, by
// Fetch or ReadFile, from the cache or with one GET /git/blobs/{sha} each:
// a symbolic link's target is a blob too. When everything is cached, a
// Load and every ReadFile after it make exactly one read.
//
// ReadFile on Base and Head uses ctx, so ctx must outlive the trees' use. A
// tree GitHub cannot list whole fails Load with ErrTreeTruncated.
func Load(ctx context.Context, gh *github.Client, cache Cache, owner, repo, baseSHA, headSHA string) (*Snapshot, error) {
	snap := &Snapshot{}
	r := &reader{ctx: ctx, gh: gh, cache: cache, owner: owner, repo: repo, snap: snap, blobs: map[string][]byte{}, tooLarge: map[string]*TooLargeError{}}
	cmp, err := r.compare(baseSHA, headSHA)
	if err != nil {
		return nil, err
	}
	baseListing, err := r.tree(cmp.mergeBaseTree)
	if err != nil {
		return nil, err
	}
	base := wanted(baseListing)
	headListing := apply(base, cmp.files)
	if writesWanted(cmp.files) || hasLink(base) || len(cmp.files) >= compareFileCap {
		if headListing, err = r.tree(headSHA); err != nil {
			return nil, err
		}
	}
	snap.MergeBase = cmp.mergeBase
	snap.CompareURL = cmp.htmlURL
	snap.r, snap.base, snap.head = r, newTree(r, baseListing), newTree(r, headListing)
	snap.Base, snap.Head = snap.base, snap.head
	snap.Changed = changed(base, wanted(headListing))
	return snap, nil
}

// reader fetches one snapshot's git objects. Its methods run either inside
// Load, before the snapshot is shared, or under mu, which ReadFile holds.
type reader struct {
	ctx         context.Context
	gh          *github.Client
	cache       Cache
	owner, repo string
	snap        *Snapshot // whose Reads the reader counts

	mu       sync.Mutex
	blobs    map[string][]byte         // blobs read for this snapshot, by SHA
	tooLarge map[string]*TooLargeError // blobs Fetch found too large, by SHA
	sealed   bool                      // see Seal
}

// changed lists the paths whose blob differs between two sets of entries.
func changed(base, head []Entry) []string {
	before := make(map[string]string, len(base))
	for _, e := range base {
		before[e.Path] = e.SHA
	}
	var out []string
	for _, e := range head {
		if sha, ok := before[e.Path]; !ok || sha != e.SHA {
			out = append(out, e.Path)
		}
		delete(before, e.Path)
	}
	for p := range before {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
