package queue

import (
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// UniqueUntilFinalized returns unique options under which a job is inserted
// only if no job of the same kind with the same args is unfinished:
// available, pending, scheduled, retryable or running. Once that job has
// completed, been discarded or been cancelled, the same args insert a new
// job. Args are compared whole, or by the fields tagged `river:"unique"` if
// any are.
//
// Running is included because River (v0.51.1) requires available, pending,
// running and scheduled in any ByState it is given; only retryable may be
// left out. A job must therefore read the latest state (a pull request's
// head, say) when it runs, since an insert made while it runs is dropped;
// put what identifies new work (the head SHA) in its unique args.
func UniqueUntilFinalized() river.UniqueOpts {
	return river.UniqueOpts{
		ByArgs: true,
		ByState: []rivertype.JobState{
			rivertype.JobStateAvailable,
			rivertype.JobStatePending,
			rivertype.JobStateRetryable,
			rivertype.JobStateRunning,
			rivertype.JobStateScheduled,
		},
	}
}
