package queue

import (
	"time"

	"github.com/riverqueue/river"
)

// PeriodicJob is a job that runs every Every, once across every replica
// sharing the database: River elects one replica leader (and another when it
// dies or stops), and only the leader inserts periodic jobs, which any
// replica may then work. The leader inserts one as soon as it is elected,
// then one every Every. An insert is skipped while an equal job is
// unfinished (UniqueUntilFinalized), so a change of leader never makes two
// run at once.
type PeriodicJob struct {
	Args  river.JobArgs
	Every time.Duration
}

// periodicJobs turns jobs into River's periodic jobs.
func periodicJobs(jobs []PeriodicJob) []*river.PeriodicJob {
	var out []*river.PeriodicJob
	for _, j := range jobs {
		args := j.Args
		out = append(out, river.NewPeriodicJob(river.PeriodicInterval(j.Every), func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{UniqueOpts: UniqueUntilFinalized()}
		}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
	}
	return out
}
