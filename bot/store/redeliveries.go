package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimRedelivery records that imagebot asks GitHub, at at, to deliver again
// the webhook delivery guid (its X-GitHub-Delivery id), whose attempt
// hookDeliveryID failed. claimed is false, and nothing changes, when it was
// asked for already: by an earlier sweep, or by another replica at the same
// time. Record the claim before asking, so that no two sweeps ask twice.
func (s *Store) ClaimRedelivery(ctx context.Context, guid string, hookDeliveryID int64, at time.Time) (claimed bool, err error) {
	res, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO redeliveries (guid, hook_delivery_id, requested_at) VALUES ($1, $2, $3) ON CONFLICT (guid) DO NOTHING`,
		guid, hookDeliveryID, at.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("claim the redelivery of %s: %w", guid, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("claim the redelivery of %s: %w", guid, err)
	}
	return n == 1, nil
}

// ReleaseRedelivery forgets the claim on guid, when asking GitHub failed, so
// that a later sweep asks again.
func (s *Store) ReleaseRedelivery(ctx context.Context, guid string) error {
	if _, err := s.conn(ctx).ExecContext(ctx, `DELETE FROM redeliveries WHERE guid = $1`, guid); err != nil {
		return fmt.Errorf("release the redelivery of %s: %w", guid, err)
	}
	return nil
}

// DeleteRedeliveriesBefore forgets the redeliveries asked for before t, and
// returns how many it forgot.
func (s *Store) DeleteRedeliveriesBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.conn(ctx).ExecContext(ctx, `DELETE FROM redeliveries WHERE requested_at < $1`, t.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete redeliveries before %s: %w", t.Format(time.RFC3339), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete redeliveries before %s: %w", t.Format(time.RFC3339), err)
	}
	return n, nil
}
