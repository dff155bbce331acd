package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Pull is what imagebot last heard of a pull request: its head and base
// commits and whether it is a draft, so that a job can tell it has gone
// stale without asking GitHub.
type Pull struct {
	Repo      string // "owner/name"
	Number    int
	HeadSHA   string
	BaseSHA   string
	Draft     bool
	UpdatedAt time.Time
}

// PutPull records a pull request's state as of p.UpdatedAt. A write older
// than the recorded one is ignored, so a webhook delivered late cannot
// roll the head back; at an equal time the later write wins. A write of
// the state recorded already (head, base and draft) changes nothing, its
// time included: the time kept is that of the last change, and deliveries
// that repeat a state rewrite no row.
func (s *Store) PutPull(ctx context.Context, p Pull) error {
	_, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO pulls (repo, number, head_sha, base_sha, draft, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (repo, number) DO UPDATE SET head_sha = excluded.head_sha, base_sha = excluded.base_sha,
			draft = excluded.draft, updated_at = excluded.updated_at
		WHERE pulls.updated_at <= excluded.updated_at
			AND (pulls.head_sha, pulls.base_sha, pulls.draft) <> (excluded.head_sha, excluded.base_sha, excluded.draft)`,
		p.Repo, p.Number, p.HeadSHA, p.BaseSHA, p.Draft, p.UpdatedAt.UnixMilli())
	if err != nil {
		return fmt.Errorf("put %s#%d: %w", p.Repo, p.Number, err)
	}
	return nil
}

// Pull returns what was last recorded of a pull request; ok is false when
// nothing was.
func (s *Store) Pull(ctx context.Context, repo string, number int) (p Pull, ok bool, err error) {
	var at int64
	err = s.conn(ctx).QueryRowContext(ctx,
		`SELECT head_sha, base_sha, draft, updated_at FROM pulls WHERE repo = $1 AND number = $2`, repo, number).
		Scan(&p.HeadSHA, &p.BaseSHA, &p.Draft, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Pull{}, false, nil
	}
	if err != nil {
		return Pull{}, false, fmt.Errorf("%s#%d: %w", repo, number, err)
	}
	p.Repo, p.Number, p.UpdatedAt = repo, number, time.UnixMilli(at)
	return p, true, nil
}
