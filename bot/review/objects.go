package review

import (
	"context"

	"github.com/imagebot/imagebot/bot/repofiles"
	"github.com/imagebot/imagebot/bot/store"
)

// ObjectStore keeps immutable git objects by SHA: the store's side of
// repofiles' cache.
type ObjectStore interface {
	Blob(ctx context.Context, sha string) ([]byte, bool, error)
	PutBlob(ctx context.Context, sha string, data []byte) error
	Tree(ctx context.Context, sha string) ([]store.TreeEntry, bool, error)
	PutTree(ctx context.Context, sha string, entries []store.TreeEntry) error
}

// objectCache adapts an ObjectStore to repofiles.Cache.
type objectCache struct{ ObjectStore }

func (c objectCache) Tree(ctx context.Context, sha string) ([]repofiles.Entry, bool, error) {
	entries, ok, err := c.ObjectStore.Tree(ctx, sha)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make([]repofiles.Entry, len(entries))
	for i, e := range entries {
		out[i] = repofiles.Entry{Path: e.Path, SHA: e.SHA, Size: e.Size, Link: e.Link}
	}
	return out, true, nil
}

func (c objectCache) PutTree(ctx context.Context, sha string, entries []repofiles.Entry) error {
	out := make([]store.TreeEntry, len(entries))
	for i, e := range entries {
		out[i] = store.TreeEntry{Path: e.Path, SHA: e.SHA, Size: e.Size, Link: e.Link}
	}
	return c.ObjectStore.PutTree(ctx, sha, out)
}
