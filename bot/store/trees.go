package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// TreeEntry is one file in a recursive git tree listing: its path from the
// repository root, its blob SHA, its size in bytes, and whether it is a
// symbolic link (whose blob is the link's target).
type TreeEntry struct {
	Path string `json:"path"`
	SHA  string `json:"sha"`
	Size int64  `json:"size"`
	Link bool   `json:"link,omitempty"`
}

// Tree returns the cached recursive listing of the git tree sha, in the order
// it was put; ok is false when it is not cached. An empty listing is returned
// as an empty, non-nil slice.
func (s *Store) Tree(ctx context.Context, sha string) (entries []TreeEntry, ok bool, err error) {
	var encoded string
	err = s.conn(ctx).QueryRowContext(ctx, `SELECT entries FROM trees WHERE sha = $1`, sha).Scan(&encoded)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("tree %s: %w", sha, err)
	}
	if err := json.Unmarshal([]byte(encoded), &entries); err != nil {
		return nil, false, fmt.Errorf("tree %s: %w", sha, err)
	}
	return entries, true, nil
}

// PutTree caches the recursive listing of the git tree sha, as one JSON
// value. A tree's listing never changes for its SHA, so a tree already
// cached is left as it is.
func (s *Store) PutTree(ctx context.Context, sha string, entries []TreeEntry) error {
	if entries == nil {
		entries = []TreeEntry{}
	}
	encoded, err := json.Marshal(entries)
	if err != nil {
		return fmt.Errorf("put tree %s: %w", sha, err)
	}
	_, err = s.conn(ctx).ExecContext(ctx,
		`INSERT INTO trees (sha, entries) VALUES ($1, $2) ON CONFLICT (sha) DO NOTHING`, sha, string(encoded))
	if err != nil {
		return fmt.Errorf("put tree %s: %w", sha, err)
	}
	return nil
}
