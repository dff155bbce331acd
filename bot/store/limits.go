package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InstallationTurn is one call's turn at an installation: what GitHub's rate
// limits ask of the installation's next call, read and written while no other
// process takes a turn at it. Its methods are valid only inside the fn that
// Store.InstallationTurn runs.
type InstallationTurn struct {
	q           turnDB
	id          int64
	pausedUntil time.Time
}

// turnDB is what a turn's statements run on: the pool (SQLite) or the
// transaction that holds the turn's lock (PostgreSQL).
type turnDB interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// InstallationTurn runs fn as the installation's only turn among every
// process sharing the database, and gives it the installation's pause and
// write log. On PostgreSQL the turn is a transaction holding a
// transaction-scoped advisory lock on the installation (keyed within the
// schema), so the lock is let go when fn returns or when the connection dies;
// what fn records commits when it returns nil, even if ctx has ended by then.
// Waiting for the lock ends with ctx. On SQLite, which one process uses, the
// statements run on the Store's connection as fn makes them and the caller
// takes turns in process.
func (s *Store) InstallationTurn(ctx context.Context, installation int64, fn func(ctx context.Context, t *InstallationTurn) error) error {
	if s.dialect != Postgres {
		t := &InstallationTurn{q: s.db, id: installation}
		if err := t.readPause(ctx); err != nil {
			return err
		}
		return fn(ctx, t)
	}
	// The transaction outlives ctx so that a pause GitHub asked for during
	// fn is kept even when the caller has given up by then.
	tx, err := s.db.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return fmt.Errorf("installation %d: begin turn: %w", installation, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+advisoryKey+`)`, fmt.Sprintf("installation %d", installation)); err != nil {
		return fmt.Errorf("installation %d: wait for turn: %w", installation, err)
	}
	t := &InstallationTurn{q: tx, id: installation}
	if err := t.readPause(ctx); err != nil {
		return err
	}
	if err := fn(ctx, t); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("installation %d: end turn: %w", installation, err)
	}
	return nil
}

func (t *InstallationTurn) readPause(ctx context.Context) error {
	until, err := pausedUntil(ctx, t.q, t.id)
	t.pausedUntil = until
	return err
}

// PausedUntil is when the installation's pause ends; zero when it was never
// paused.
func (t *InstallationTurn) PausedUntil() time.Time { return t.pausedUntil }

// Pause pauses the installation's calls until until, rounded up to the
// millisecond (so that the pause never ends before until). A pause never
// shortens one already recorded.
func (t *InstallationTurn) Pause(ctx context.Context, until time.Time) error {
	if rounded := until.Truncate(time.Millisecond); rounded.Before(until) {
		until = rounded.Add(time.Millisecond)
	}
	if !until.After(t.pausedUntil) {
		return nil
	}
	_, err := t.q.ExecContext(context.WithoutCancel(ctx),
		`INSERT INTO installation_pauses (installation_id, paused_until) VALUES ($1, $2)
		ON CONFLICT (installation_id) DO UPDATE SET paused_until = excluded.paused_until
		WHERE installation_pauses.paused_until < excluded.paused_until`,
		t.id, until.UnixMilli())
	if err != nil {
		return fmt.Errorf("pause installation %d: %w", t.id, err)
	}
	t.pausedUntil = until
	return nil
}

// NthLatestWrite returns the time of the installation's n-th most recent
// recorded write (n ≥ 1); ok is false when fewer than n are recorded.
func (t *InstallationTurn) NthLatestWrite(ctx context.Context, n int) (at time.Time, ok bool, err error) {
	var ms int64
	err = t.q.QueryRowContext(ctx,
		`SELECT written_at FROM installation_writes WHERE installation_id = $1 ORDER BY written_at DESC LIMIT 1 OFFSET $2`,
		t.id, n-1).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("writes of installation %d: %w", t.id, err)
	}
	return time.UnixMilli(ms), true, nil
}

// RecordWrite records a write made at at, and forgets the installation's
// writes made before forgetBefore.
func (t *InstallationTurn) RecordWrite(ctx context.Context, at, forgetBefore time.Time) error {
	ctx = context.WithoutCancel(ctx)
	if _, err := t.q.ExecContext(ctx,
		`INSERT INTO installation_writes (installation_id, written_at) VALUES ($1, $2)`, t.id, at.UnixMilli()); err != nil {
		return fmt.Errorf("record a write of installation %d: %w", t.id, err)
	}
	if _, err := t.q.ExecContext(ctx,
		`DELETE FROM installation_writes WHERE installation_id = $1 AND written_at < $2`, t.id, forgetBefore.UnixMilli()); err != nil {
		return fmt.Errorf("forget writes of installation %d: %w", t.id, err)
	}
	return nil
}

// InstallationPausedUntil returns when the installation's pause ends; zero
// when it was never paused. It takes no turn: it is for jobs to look before
// they start.
func (s *Store) InstallationPausedUntil(ctx context.Context, installation int64) (time.Time, error) {
	return pausedUntil(ctx, s.db, installation)
}

func pausedUntil(ctx context.Context, q turnDB, installation int64) (time.Time, error) {
	var ms int64
	err := q.QueryRowContext(ctx, `SELECT paused_until FROM installation_pauses WHERE installation_id = $1`, installation).Scan(&ms)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("pause of installation %d: %w", installation, err)
	}
	return time.UnixMilli(ms), nil
}
