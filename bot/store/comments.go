package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CommentRecord is the one sticky comment of a Kind (such as
// "dependency-diff" or "rollout") that imagebot keeps on issue or pull
// request Number of Repo.
//
// ID is GitHub's comment id. It is 0 in an intent record, written before the
// comment is created and replaced after: an intent found later means the
// comment may or may not exist, and is to be looked up once. BodyHash
// identifies the body last written, so that an unchanged body is not written
// again. HadChanges says whether that body reported any changes, so that the
// workflow can tell a comment that must be updated once they are gone (a
// stale comment must not stay) from one that never reported any.
type CommentRecord struct {
	Repo       string
	Number     int
	Kind       string
	ID         int64
	BodyHash   string
	HadChanges bool
}

// Comment returns the record of the kind comment on number of repo; ok is
// false when there is none.
func (s *Store) Comment(ctx context.Context, repo string, number int, kind string) (rec CommentRecord, ok bool, err error) {
	rec = CommentRecord{Repo: repo, Number: number, Kind: kind}
	err = s.conn(ctx).QueryRowContext(ctx,
		`SELECT comment_id, body_hash, had_changes FROM comments WHERE repo = $1 AND number = $2 AND kind = $3`,
		repo, number, kind).Scan(&rec.ID, &rec.BodyHash, &rec.HadChanges)
	if errors.Is(err, sql.ErrNoRows) {
		return CommentRecord{}, false, nil
	}
	if err != nil {
		return CommentRecord{}, false, fmt.Errorf("%s comment on %s#%d: %w", kind, repo, number, err)
	}
	return rec, true, nil
}

// PutComment records rec, replacing any record for the same Repo, Number and
// Kind, an intent or not.
func (s *Store) PutComment(ctx context.Context, rec CommentRecord) error {
	_, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO comments (repo, number, kind, comment_id, body_hash, had_changes) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (repo, number, kind) DO UPDATE SET comment_id = excluded.comment_id, body_hash = excluded.body_hash, had_changes = excluded.had_changes`,
		rec.Repo, rec.Number, rec.Kind, rec.ID, rec.BodyHash, rec.HadChanges)
	if err != nil {
		return fmt.Errorf("put %s comment on %s#%d: %w", rec.Kind, rec.Repo, rec.Number, err)
	}
	return nil
}
