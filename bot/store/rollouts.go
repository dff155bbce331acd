package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// RolloutRecord is the rollout of one merged pull request. The store keys
// and indexes it; Document, the tracker's own state, is opaque to it.
type RolloutRecord struct {
	Repo      string // "owner/name"
	Number    int    // the merged pull request
	MergeSHA  string
	Active    bool // still being followed
	Document  []byte
	CreatedAt time.Time
	UpdatedAt time.Time
}

const rolloutColumns = `repo, number, merge_sha, active, document, created_at, updated_at`

// CreateRollout records a new rollout. created is false, and nothing
// changes, when the pull request has one already (a redelivered merge).
func (s *Store) CreateRollout(ctx context.Context, r RolloutRecord) (created bool, err error) {
	res, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO rollouts (`+rolloutColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (repo, number) DO NOTHING`,
		r.Repo, r.Number, r.MergeSHA, r.Active, string(r.Document), r.CreatedAt.UnixMilli(), r.UpdatedAt.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("create rollout of %s#%d: %w", r.Repo, r.Number, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("create rollout of %s#%d: %w", r.Repo, r.Number, err)
	}
	return n == 1, nil
}

// UpdateRollout replaces a rollout's document and whether it is active.
func (s *Store) UpdateRollout(ctx context.Context, r RolloutRecord) error {
	_, err := s.conn(ctx).ExecContext(ctx,
		`UPDATE rollouts SET active = $1, document = $2, updated_at = $3 WHERE repo = $4 AND number = $5`,
		r.Active, string(r.Document), r.UpdatedAt.UnixMilli(), r.Repo, r.Number)
	if err != nil {
		return fmt.Errorf("update rollout of %s#%d: %w", r.Repo, r.Number, err)
	}
	return nil
}

// SwapRollout replaces a rollout's document and whether it is active, but
// only while its document is still old: swapped is false, and nothing
// changes, when another writer changed the document since old was read.
func (s *Store) SwapRollout(ctx context.Context, r RolloutRecord, old []byte) (swapped bool, err error) {
	res, err := s.conn(ctx).ExecContext(ctx,
		`UPDATE rollouts SET active = $1, document = $2, updated_at = $3 WHERE repo = $4 AND number = $5 AND document = $6`,
		r.Active, string(r.Document), r.UpdatedAt.UnixMilli(), r.Repo, r.Number, string(old))
	if err != nil {
		return false, fmt.Errorf("update rollout of %s#%d: %w", r.Repo, r.Number, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("update rollout of %s#%d: %w", r.Repo, r.Number, err)
	}
	return n == 1, nil
}

// RecentRollouts returns a repository's limit most recently created
// rollouts, ended or not, the newest first.
func (s *Store) RecentRollouts(ctx context.Context, repo string, limit int) ([]RolloutRecord, error) {
	return s.queryRollouts(ctx, `WHERE repo = $1 ORDER BY created_at DESC, number DESC LIMIT $2`, repo, limit)
}

// Rollout returns the rollout of a pull request; ok is false when it has none.
func (s *Store) Rollout(ctx context.Context, repo string, number int) (RolloutRecord, bool, error) {
	rows, err := s.queryRollouts(ctx, `WHERE repo = $1 AND number = $2`, repo, number)
	if err != nil || len(rows) == 0 {
		return RolloutRecord{}, false, err
	}
	return rows[0], true, nil
}

// ActiveRollouts returns a repository's rollouts still being followed,
// oldest first.
func (s *Store) ActiveRollouts(ctx context.Context, repo string) ([]RolloutRecord, error) {
	return s.queryRollouts(ctx, `WHERE repo = $1 AND active ORDER BY created_at, number`, repo)
}

// RolloutsForCommit returns the rollouts of a merge commit, for the
// events (a finished build) that name a commit rather than a pull request.
func (s *Store) RolloutsForCommit(ctx context.Context, repo, sha string) ([]RolloutRecord, error) {
	return s.queryRollouts(ctx, `WHERE repo = $1 AND merge_sha = $2 ORDER BY number`, repo, sha)
}

// EveryActiveRollout returns the rollouts still being followed, in every
// repository, the most recently merged first.
func (s *Store) EveryActiveRollout(ctx context.Context) ([]RolloutRecord, error) {
	return s.queryRollouts(ctx, `WHERE active ORDER BY created_at DESC, repo, number`)
}

func (s *Store) queryRollouts(ctx context.Context, where string, args ...any) ([]RolloutRecord, error) {
	rows, err := s.conn(ctx).QueryContext(ctx, `SELECT `+rolloutColumns+` FROM rollouts `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("rollouts: %w", err)
	}
	defer rows.Close()
	var out []RolloutRecord
	for rows.Next() {
		var r RolloutRecord
		var doc string
		var created, updated int64
		if err := rows.Scan(&r.Repo, &r.Number, &r.MergeSHA, &r.Active, &doc, &created, &updated); err != nil {
			return nil, fmt.Errorf("rollouts: %w", err)
		}
		r.Document, r.CreatedAt, r.UpdatedAt = []byte(doc), time.UnixMilli(created), time.UnixMilli(updated)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("rollouts: %w", err)
	}
	return out, nil
}

// LatestRollouts returns the limit most recently created rollouts of every
// repository, ended or not, the newest first.
func (s *Store) LatestRollouts(ctx context.Context, limit int) ([]RolloutRecord, error) {
	return s.queryRollouts(ctx, `ORDER BY created_at DESC, repo, number DESC LIMIT $1`, limit)
}
