package rollout

import (
	"context"
	"fmt"
	"time"

	"github.com/imagebot/imagebot/bot/store"
)

// maxWriteRaces bounds how often one write is retried over a document
// that others keep changing.
const maxWriteRaces = 8

// A rollout's document has one main writer, the round, and two others
// that may write while a round runs: a newer merge marks it superseded
// (Newer), and a maintainer's command asks for a round (Requests). Every
// write goes through SwapRollout, over the document as the writer read it,
// so that none of them is lost.

// document is a rollout's stored record as a round last read or wrote it.
type document struct {
	rollouts Rollouts
	rec      store.RolloutRecord
}

// save writes r. When another writer changed the document since it was
// read, save takes what they wrote into r and writes again; others reports
// that it did.
func (d *document) save(ctx context.Context, r *Rollout, now time.Time) (others bool, err error) {
	for range maxWriteRaces {
		next := d.rec
		next.Active, next.Document, next.UpdatedAt = r.State == Tracking, r.marshal(), now
		swapped, err := d.rollouts.SwapRollout(ctx, next, d.rec.Document)
		if err != nil {
			return others, err
		}
		if swapped {
			d.rec = next
			return others, nil
		}
		cur, ok, err := d.rollouts.Rollout(ctx, r.Repo, r.Number)
		switch {
		case err != nil:
			return others, err
		case !ok:
			return others, fmt.Errorf("the rollout of %s#%d is gone", r.Repo, r.Number)
		}
		theirs, err := unmarshal(cur.Document)
		if err != nil {
			return others, fmt.Errorf("rollout document: %w", err)
		}
		r.Newer = max(r.Newer, theirs.Newer)
		r.Requests = max(r.Requests, theirs.Requests)
		d.rec, others = cur, true
	}
	return others, fmt.Errorf("the rollout of %s#%d changed %d times while imagebot wrote it", r.Repo, r.Number, maxWriteRaces)
}

// change applies edit to a rollout's document and writes it, over a fresh
// read whenever another writer got there first. found is false when the
// pull request has no rollout.
func change(ctx context.Context, rollouts Rollouts, repo string, number int, now time.Time, edit func(*Rollout)) (found bool, err error) {
	for range maxWriteRaces {
		rec, ok, err := rollouts.Rollout(ctx, repo, number)
		if err != nil || !ok {
			return false, err
		}
		r, err := unmarshal(rec.Document)
		if err != nil {
			return true, fmt.Errorf("rollout of %s#%d: %w", repo, number, err)
		}
		edit(r)
		next := rec
		next.Document, next.UpdatedAt = r.marshal(), now
		swapped, err := rollouts.SwapRollout(ctx, next, rec.Document)
		if err != nil || swapped {
			return true, err
		}
	}
	return true, fmt.Errorf("the rollout of %s#%d changed %d times while imagebot wrote it", repo, number, maxWriteRaces)
}
