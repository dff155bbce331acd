package store

import (
	"context"
	"fmt"
	"time"
)

// RecordDelivery records the webhook delivery id (GitHub's X-GitHub-Delivery
// header) received at now, and reports whether it is fresh: false means the
// id was recorded before (GitHub redelivered it) and the first record is kept
// unchanged.
func (s *Store) RecordDelivery(ctx context.Context, id, event, action string, now time.Time) (fresh bool, err error) {
	res, err := s.conn(ctx).ExecContext(ctx,
		`INSERT INTO deliveries (id, event, action, received_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO NOTHING`,
		id, event, action, now.UnixMilli())
	if err != nil {
		return false, fmt.Errorf("record delivery %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record delivery %s: %w", id, err)
	}
	return n == 1, nil
}

// DeliverySeen reports whether a delivery id was recorded.
func (s *Store) DeliverySeen(ctx context.Context, id string) (bool, error) {
	var n int
	if err := s.conn(ctx).QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE id = $1`, id).Scan(&n); err != nil {
		return false, fmt.Errorf("look up delivery %s: %w", id, err)
	}
	return n > 0, nil
}

// DeleteDeliveriesBefore forgets the deliveries received before t (to the
// millisecond), and returns how many it forgot. A delivery id forgotten this
// way counts as fresh again.
func (s *Store) DeleteDeliveriesBefore(ctx context.Context, t time.Time) (int64, error) {
	res, err := s.conn(ctx).ExecContext(ctx, `DELETE FROM deliveries WHERE received_at < $1`, t.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("delete deliveries before %s: %w", t.Format(time.RFC3339), err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("delete deliveries before %s: %w", t.Format(time.RFC3339), err)
	}
	return n, nil
}
