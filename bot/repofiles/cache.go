package repofiles

import "context"

// Cache stores immutable git objects by SHA (implemented by the App's store).
// A tree is stored as its files and symbolic links (every blob), under the
// id it was read by: a tree id, or a commit id that names the tree of that
// commit. A blob is stored as its content.
// Get methods report false, with no error, for an id they do not hold.
type Cache interface {
	Blob(ctx context.Context, sha string) ([]byte, bool, error)
	PutBlob(ctx context.Context, sha string, data []byte) error
	Tree(ctx context.Context, sha string) ([]Entry, bool, error)
	PutTree(ctx context.Context, sha string, entries []Entry) error
}

// Entry is one file of a tree.
type Entry struct {
	Path string // slash-separated, from the repository root
	SHA  string // the blob's git object id
	// Size is the blob's size in bytes, as the tree listed it.
	Size int64
	// Link marks a symbolic link (mode 120000): its blob is the link's
	// target.
	Link bool
}
