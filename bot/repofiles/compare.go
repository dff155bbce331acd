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

// apply changes a copy of the merge base's entries as the comparison lists:
// removed files go, renamed files lose their previous name, and every other
// status (added, modified, copied, changed, unchanged) writes the file's head
// blob. Only wanted paths are kept. A file whose blob is the same as one of
// the merge base's keeps that blob's size; others have unknownSize. It
// reports false when a wanted file comes without its blob id, so that the
// head cannot be built from the comparison.
func apply(base []Entry, files []*github.CommitFile) ([]Entry, bool) {
	byPath := make(map[string]Entry, len(base))
	sizes := make(map[string]int64, len(base))
	for _, e := range base {
		byPath[e.Path] = e
		sizes[e.SHA] = e.Size
	}
	for _, f := range files {
		name := f.GetFilename()
		switch f.GetStatus() {
		case "removed":
			delete(byPath, name)
			continue
		case "renamed":
			delete(byPath, f.GetPreviousFilename())
		}
		if !checks.Wanted(name) {
			continue
		}
		sha := f.GetSHA()
		if sha == "" {
			return nil, false
		}
		size, known := sizes[sha]
		if !known {
			size = unknownSize
		}
		byPath[name] = Entry{Path: name, SHA: sha, Size: size}
	}
	out := make([]Entry, 0, len(byPath))
	for _, e := range byPath {
		out = append(out, e)
	}
	return out, true
}
