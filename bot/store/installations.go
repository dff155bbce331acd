package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// Installation is a GitHub App installation: the account (user or
// organisation) that installed imagebot, and whether the installation is
// usable. Active is false once it is suspended or deleted.
type Installation struct {
	ID      int64
	Account string
	Active  bool
}

// PutInstallation records in, replacing what was recorded for its ID. It
// leaves the installation's repositories alone.
func (s *Store) PutInstallation(ctx context.Context, in Installation) error {
	_, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO installations (id, account, active) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET account = excluded.account, active = excluded.active`,
		in.ID, in.Account, in.Active)
	if err != nil {
		return fmt.Errorf("put installation %d: %w", in.ID, err)
	}
	return nil
}

// InstallationActive reports whether installation id is active, and whether
// it is known at all (known is false, and active with it, when it was never
// put).
func (s *Store) InstallationActive(ctx context.Context, id int64) (active, known bool, err error) {
	err = s.conn(ctx).QueryRowContext(ctx, `SELECT active FROM installations WHERE id = $1`, id).Scan(&active)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("installation %d: %w", id, err)
	}
	return active, true, nil
}

// AddInstallationRepos records that installation id covers the repositories
// fullNames ("owner/name", kept exactly as given). Repositories already
// recorded stay; the installation itself need not be recorded yet, since
// webhooks may arrive out of order.
func (s *Store) AddInstallationRepos(ctx context.Context, id int64, fullNames []string) error {
	return s.eachInTx(ctx, fullNames, fmt.Sprintf("add repositories to installation %d", id),
		`INSERT INTO installation_repos (installation_id, full_name) VALUES ($1, $2)
		ON CONFLICT (installation_id, full_name) DO NOTHING`, id)
}

// RemoveInstallationRepos records that installation id no longer covers the
// repositories fullNames. Names it did not cover are ignored.
func (s *Store) RemoveInstallationRepos(ctx context.Context, id int64, fullNames []string) error {
	return s.eachInTx(ctx, fullNames, fmt.Sprintf("remove repositories from installation %d", id),
		`DELETE FROM installation_repos WHERE installation_id = $1 AND full_name = $2`, id)
}

// eachInTx runs statement with arguments (id, name) for every name, in one
// transaction: ctx's own (see WithTx), or one of its own.
func (s *Store) eachInTx(ctx context.Context, names []string, what, statement string, id int64) error {
	if outer := TxFrom(ctx); outer != nil {
		return execEach(ctx, outer, names, what, statement, id)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	if err := execEach(ctx, tx, names, what, statement, id); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

func execEach(ctx context.Context, q querier, names []string, what, statement string, id int64) error {
	for _, name := range names {
		if _, err := q.ExecContext(ctx, statement, id, name); err != nil {
			return fmt.Errorf("%s: %s: %w", what, name, err)
		}
	}
	return nil
}

// InstallationRepos returns the full names of the repositories that
// installation id covers, sorted bytewise (in Go, not SQL, since PostgreSQL
// would sort by its collation); none gives nil.
func (s *Store) InstallationRepos(ctx context.Context, id int64) ([]string, error) {
	rows, err := s.conn(ctx).QueryContext(ctx,
		`SELECT full_name FROM installation_repos WHERE installation_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("repositories of installation %d: %w", id, err)
	}
	slices.Sort(names)
	return names, nil
}

// InstallationFor returns the active installation that covers a
// repository ("owner/name", compared without regard to case); ok is false
// when none recorded does.
func (s *Store) InstallationFor(ctx context.Context, fullName string) (id int64, ok bool, err error) {
	err = s.conn(ctx).QueryRowContext(ctx,
		`SELECT r.installation_id FROM installation_repos r JOIN installations i ON i.id = r.installation_id
		WHERE LOWER(r.full_name) = LOWER($1) AND i.active ORDER BY r.installation_id LIMIT 1`, fullName).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("installation of %s: %w", fullName, err)
	}
	return id, true, nil
}
