package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// CheckRunRecord is the Check Run that imagebot made for one check (Name, a
// check id such as "lockfile-present") on one commit (SHA) of Repo.
//
// ID is GitHub's Check Run id. It is 0 in an intent record, which the PR
// workflow writes before it asks GitHub to create the Check Run, and replaces
// with the real id after: an intent found later means the Check Run may or
// may not exist, and is to be looked up once before creating another.
// OutputHash identifies the output last sent, so that an unchanged output is
// not sent again.
type CheckRunRecord struct {
	Repo       string
	SHA        string
	Name       string
	ID         int64
	OutputHash string
}

// CheckRun returns the record for check name on commit sha of repo; ok is
// false when there is none.
func (s *Store) CheckRun(ctx context.Context, repo, sha, name string) (rec CheckRunRecord, ok bool, err error) {
	rec = CheckRunRecord{Repo: repo, SHA: sha, Name: name}
	err = s.conn(ctx).QueryRowContext(ctx,
		`SELECT check_run_id, output_hash FROM check_runs WHERE repo = $1 AND head_sha = $2 AND name = $3`,
		repo, sha, name).Scan(&rec.ID, &rec.OutputHash)
	if errors.Is(err, sql.ErrNoRows) {
		return CheckRunRecord{}, false, nil
	}
	if err != nil {
		return CheckRunRecord{}, false, fmt.Errorf("check run %s on %s@%s: %w", name, repo, sha, err)
	}
	return rec, true, nil
}

// PutCheckRun records rec, replacing any record for the same Repo, SHA and
// Name, an intent or not.
func (s *Store) PutCheckRun(ctx context.Context, rec CheckRunRecord) error {
	_, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO check_runs (repo, head_sha, name, check_run_id, output_hash) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (repo, head_sha, name) DO UPDATE SET check_run_id = excluded.check_run_id, output_hash = excluded.output_hash`,
		rec.Repo, rec.SHA, rec.Name, rec.ID, rec.OutputHash)
	if err != nil {
		return fmt.Errorf("put check run %s on %s@%s: %w", rec.Name, rec.Repo, rec.SHA, err)
	}
	return nil
}
