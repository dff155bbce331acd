package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Blob returns the content of the git blob sha from the cache; ok is false
// when it is not cached. Empty content is returned as an empty, non-nil slice.
func (s *Store) Blob(ctx context.Context, sha string) (data []byte, ok bool, err error) {
	err = s.conn(ctx).QueryRowContext(ctx, `SELECT data FROM blobs WHERE sha = $1`, sha).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("blob %s: %w", sha, err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, true, nil
}

// PutBlob caches the content of the git blob sha. A blob's content never
// changes for its SHA, so a blob already cached is left as it is.
func (s *Store) PutBlob(ctx context.Context, sha string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO blobs (sha, data) VALUES ($1, $2) ON CONFLICT (sha) DO NOTHING`, sha, data)
	if err != nil {
		return fmt.Errorf("put blob %s: %w", sha, err)
	}
	return nil
}
