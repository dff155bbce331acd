package store

import (
	"context"
	"fmt"
)

// RequestHelp records that someone asked for the list of commands on pull
// request number of repo (`/imagebot help`): its sticky comment shows them
// from then on. Asking again changes nothing.
func (s *Store) RequestHelp(ctx context.Context, repo string, number int) error {
	_, err := s.db.ExecContext(ctx,
		`INSERT INTO help_requests (repo, number) VALUES ($1, $2) ON CONFLICT (repo, number) DO NOTHING`, repo, number)
	if err != nil {
		return fmt.Errorf("record help request on %s#%d: %w", repo, number, err)
	}
	return nil
}

// HelpRequested reports whether RequestHelp was called for the pull request.
func (s *Store) HelpRequested(ctx context.Context, repo string, number int) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx,
		`SELECT count(*) FROM help_requests WHERE repo = $1 AND number = $2`, repo, number).Scan(&n); err != nil {
		return false, fmt.Errorf("help request on %s#%d: %w", repo, number, err)
	}
	return n > 0, nil
}
