package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/riverqueue/river/rivertype"
)

// maxHolders bounds holders' memory: past it, the map starts over.
const maxHolders = 4096

// holders remembers, for each unique key a batch inserted, the job that
// held it when the batch committed: the job the batch inserted or, when
// River skipped the insert, the equal job it found. While that job is in
// one of the key's unique states, River would skip another insert of the
// key, so a batch skips it too, after one lookup by id (see
// heldByKnownJob) instead of River's insert. The App's deliveries repeat
// keys often: a push sends pull_request and check_suite deliveries for one
// head.
type holders struct {
	mu  sync.Mutex
	ids map[string]int64
}

// get returns the job last known to hold key.
func (h *holders) get(key string) (int64, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	id, ok := h.ids[key]
	return id, ok
}

// learn records what a committed batch found: for each key, its holder.
func (h *holders) learn(found map[string]int64) {
	if len(found) == 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ids == nil || len(h.ids)+len(found) > maxHolders {
		h.ids = make(map[string]int64, len(found))
	}
	for key, id := range found {
		h.ids[key] = id
	}
}

// jobStateQuery reads one job's state; the id is River's primary key.
const jobStateQuery = `SELECT state FROM river_job WHERE id = $1`

// heldByKnownJob reports whether d's unique key is still held by the job
// holders last saw holding it: that job is still in one of d's unique
// states, which River's unique index covers, so River would skip d. A job
// finished or deleted since (or one holders never saw) leaves d to River.
// Keys without explicit unique states are always left to River.
func (q *Queue) heldByKnownJob(ctx context.Context, tx *sql.Tx, d deferred) (bool, error) {
	if len(d.states) == 0 {
		return false, nil
	}
	id, ok := q.holders.get(d.key)
	if !ok {
		return false, nil
	}
	var state string
	err := tx.QueryRowContext(ctx, jobStateQuery, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read the state of %s job %d: %w", d.params.Args.Kind(), id, err)
	}
	return slices.Contains(d.states, rivertype.JobState(state)), nil
}
