// Package hubconfig reads the image a hub's values file points at, in the
// operator's infrastructure repository on GitHub, and optionally opens the
// pull request that points it at a new image (Bump), or back at the one it
// ran before (Rollback).
//
// A value is found by a key path (yamledit.KeyPath), through aliases and
// merge keys. A bump edits only that value's text, so the file's comments
// and formatting stay as they are.
//
// It reaches GitHub through go-github only, and must not depend on the
// rollout tracker, the store, or any other imagebot package than operator
// and yamledit.
package hubconfig

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/yamledit"
)

// Value is what a values file says at a key path.
type Value struct {
	// Raw is the scalar's value, unquoted: a tag or a full image reference.
	Raw string
	// Line is the scalar's line in the file; for a value reached through an
	// alias, the line of its anchor.
	Line int
	// HTMLURL links to the file on GitHub at that line.
	HTMLURL string
	// BlobSHA is the git blob id of the file as it was read.
	BlobSHA string
}

// Read reads the value at the key path cr.Key (see yamledit.KeyPath) in the
// file cr.Path of cr.Repository ("owner/name"), at cr.Ref (a branch, tag or
// commit; "" for the default branch). A file without that value gives a
// *yamledit.KeyError, which names the file, the line, and the step of the key path
// that is missing.
func Read(ctx context.Context, gh *github.Client, cr operator.ConfigRepo) (Value, error) {
	repo, ref, path := cr.Repository, cr.Ref, cr.Path
	kp, err := yamledit.ParseKeyPath(cr.Key)
	if err != nil {
		return Value{}, err
	}
	owner, name, err := splitRepo(repo)
	if err != nil {
		return Value{}, err
	}
	f, err := getFile(ctx, gh, owner, name, ref, path)
	if err != nil {
		return Value{}, err
	}
	node, err := yamledit.Find(f.data, kp, path)
	if err != nil {
		return Value{}, err
	}
	return Value{Raw: node.Value, Line: node.Line, HTMLURL: fmt.Sprintf("%s#L%d", f.htmlURL, node.Line), BlobSHA: f.sha}, nil
}

// file is a file read through the contents API.
type file struct {
	data    []byte
	sha     string // the blob id
	htmlURL string
}

// getFile reads a file through the contents API, which serves files of up
// to 1 MB.
func getFile(ctx context.Context, gh *github.Client, owner, name, ref, path string) (*file, error) {
	where := fmt.Sprintf("%s in %s/%s", path, owner, name)
	if ref != "" {
		where += " at " + ref
	}
	fc, _, _, err := gh.Repositories.GetContents(ctx, owner, name, path, &github.RepositoryContentGetOptions{Ref: ref})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", where, err)
	}
	if fc == nil {
		return nil, fmt.Errorf("read %s: it is a directory, not a values file", where)
	}
	content, err := fc.GetContent()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", where, err)
	}
	return &file{data: []byte(content), sha: fc.GetSHA(), htmlURL: fc.GetHTMLURL()}, nil
}

// splitRepo splits "owner/name".
func splitRepo(repo string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("%q is not a repository owner/name", repo)
	}
	return owner, name, nil
}
