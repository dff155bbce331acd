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

// recordDeliveriesPostgres inserts a batch of deliveries passed as arrays,
// one statement whatever the batch's size (so that it is prepared once),
// and returns the ids it inserted.
const recordDeliveriesPostgres = `INSERT INTO deliveries (id, event, action, received_at)
	SELECT id, event, action, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS d (id, event, action)
	ON CONFLICT (id) DO NOTHING RETURNING id`

// RecordDeliveries records many deliveries received at now with one
// statement, as RecordDelivery records one: delivery i has ids[i],
// events[i] and actions[i]. It reports which are fresh: fresh[i] is false
// when ids[i] was recorded before, or earlier in ids. On SQLite a batch
// larger than maxRowsPerInsert takes one statement per maxRowsPerInsert
// deliveries.
func (s *Store) RecordDeliveries(ctx context.Context, ids, events, actions []string, now time.Time) (fresh []bool, err error) {
	if len(events) != len(ids) || len(actions) != len(ids) {
		return nil, fmt.Errorf("record deliveries: %d ids, %d events and %d actions", len(ids), len(events), len(actions))
	}
	inserted := make(map[string]bool, len(ids))
	if s.dialect == SQLite {
		for start := 0; start < len(ids); start += maxRowsPerInsert {
			end := min(start+maxRowsPerInsert, len(ids))
			query, args := sqliteRecordDeliveries(ids[start:end], events[start:end], actions[start:end], now)
			if err := s.insertedIDs(ctx, query, args, inserted); err != nil {
				return nil, fmt.Errorf("record %d deliveries: %w", len(ids), err)
			}
		}
	} else if len(ids) > 0 {
		if err := s.insertedIDs(ctx, recordDeliveriesPostgres, []any{ids, events, actions, now.UnixMilli()}, inserted); err != nil {
			return nil, fmt.Errorf("record %d deliveries: %w", len(ids), err)
		}
	}
	fresh = make([]bool, len(ids))
	for i, id := range ids {
		fresh[i] = inserted[id]
		delete(inserted, id) // a second occurrence is a redelivery
	}
	return fresh, nil
}

// insertedIDs runs an insert that returns the ids it inserted, and adds
// them to inserted.
func (s *Store) insertedIDs(ctx context.Context, query string, args []any, inserted map[string]bool) error {
	rows, err := s.conn(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		inserted[id] = true
	}
	return rows.Err()
}
