package queue

import (
	"context"
	"fmt"

	"github.com/imagebot/imagebot/bot/store"
)

// releaseQueries make the jobs left running by a process with a given River
// client ID available again, by dialect: the last entry of a job's
// attempted_by is the client working it. The attempt stays spent, so a job
// that kills its process runs out of attempts instead of looping.
var releaseQueries = map[store.Dialect]string{
	store.Postgres: `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND attempted_by[array_upper(attempted_by, 1)] = $1`,
	store.SQLite: `UPDATE river_job SET state = 'available'
		WHERE state = 'running' AND json_extract(attempted_by, '$[#-1]') = $1`,
}

// releaseOrphans makes the jobs that an earlier process with this Queue's ID
// left running available again, and returns how many. It is called before
// River starts, when that process must be dead: IDs are never shared by live
// processes. Without it, those jobs would wait for River's rescue
// (RescueStuckJobsAfter, plus up to River's 30 s rescue interval).
func (q *Queue) releaseOrphans(ctx context.Context) (int64, error) {
	if q.id == "" {
		return 0, nil
	}
	res, err := q.st.DB().ExecContext(ctx, releaseQueries[q.st.Dialect()], q.id)
	if err != nil {
		return 0, fmt.Errorf("release the jobs of an earlier %s: %w", q.id, err)
	}
	return res.RowsAffected()
}
