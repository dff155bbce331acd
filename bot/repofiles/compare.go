package repofiles

import (
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/checks"
)

// compareFileCap is the most files GitHub's comparison lists; a listing of
// this length may have been cut short.
const compareFileCap = 300

// comparePageSize asks for the comparison's paginated form, in which the
// files (all of them, up to compareFileCap) come with the first page.
const comparePageSize = 100

// comparison is what a pull request changes, as GitHub's three-dot compare
// lists it.
type comparison struct {
	mergeBase     string // the merge base commit
	mergeBaseTree string // its tree
	files         []*github.CommitFile
	htmlURL       string // the compare view
}

// compare lists the changes from the merge base of base and head to head:
// one read.
func (r *reader) compare(base, head string) (*comparison, error) {
	r.snap.Reads++
	c, _, err := r.gh.Repositories.CompareCommits(r.ctx, r.owner, r.repo, base, head, &github.ListOptions{PerPage: comparePageSize})
	if err != nil {
		return nil, fmt.Errorf("compare %s...%s: %w", base, head, err)
	}
	mb := c.GetMergeBaseCommit()
	out := &comparison{mergeBase: mb.GetSHA(), mergeBaseTree: mb.GetCommit().GetTree().GetSHA(), files: c.Files, htmlURL: c.GetHTMLURL()}
	if out.mergeBase == "" || out.mergeBaseTree == "" {
		return nil, fmt.Errorf("compare %s...%s: GitHub named no merge base commit and tree", base, head)
	}
	return out, nil
}

// writesWanted reports whether the comparison writes a file the checks
// read: adds, modifies, renames or copies it. Its listing gives no file
// modes, so only the head's tree tells whether such a file is a symbolic
// link.
func writesWanted(files []*github.CommitFile) bool {
	for _, f := range files {
		if f.GetStatus() != "removed" && checks.Wanted(f.GetFilename()) {
			return true
		}
	}
	return false
}

// apply is the head's wanted files when the comparison writes none of them
// (see writesWanted): the merge base's wanted entries, less those the
// comparison removes or renames away.
func apply(base []Entry, files []*github.CommitFile) []Entry {
	gone := map[string]bool{}
	for _, f := range files {
		switch f.GetStatus() {
		case "removed":
			gone[f.GetFilename()] = true
		case "renamed":
			gone[f.GetPreviousFilename()] = true
		}
	}
	var out []Entry
	for _, e := range base {
		if !gone[e.Path] {
			out = append(out, e)
		}
	}
	return out
}
