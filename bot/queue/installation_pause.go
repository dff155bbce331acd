package queue

import (
	"context"
	"encoding/json"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/store"
)

// installationPause is worker middleware that keeps a job of a paused
// installation from starting: while the installation's pause (recorded in
// the store when GitHub answered one of its calls with a rate limit, on any
// replica) lasts, the job snoozes until it ends, spending no attempt. The
// calls themselves are held back by the GitHub client too; this spares a
// job's start-up work and its logs.
//
// A job's installation is the "installation_id" or "installation" field of
// its JSON args; jobs without one are never held.
type installationPause struct {
	river.MiddlewareDefaults
	st  *store.Store
	now func() time.Time
}

func (m *installationPause) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	if installation := jobInstallation(job.EncodedArgs); installation != 0 {
		until, err := m.st.InstallationPausedUntil(ctx, installation)
		if err != nil {
			return err
		}
		if wait := until.Sub(m.now()); wait > 0 {
			return Snooze(wait)
		}
	}
	return doInner(ctx)
}

// jobInstallation reads the installation a job acts for from its args; 0
// when they name none.
func jobInstallation(args []byte) int64 {
	var a struct {
		InstallationID int64 `json:"installation_id"`
		Installation   int64 `json:"installation"`
	}
	if json.Unmarshal(args, &a) != nil {
		return 0
	}
	if a.InstallationID != 0 {
		return a.InstallationID
	}
	return a.Installation
}
