package rollout

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
)

type activeRollouts []store.RolloutRecord

func (a activeRollouts) EveryActiveRollout(context.Context) ([]store.RolloutRecord, error) {
	return a, nil
}

// pollJobs is an Inserter that holds the unfinished poll jobs by repo and
// number, as River's uniqueness does.
type pollJobs map[string]PollArgs

func (p pollJobs) Insert(_ context.Context, args river.JobArgs, _ *river.InsertOpts) (bool, error) {
	a := args.(PollArgs)
	key := fmt.Sprintf("%s#%d", a.Repo, a.Number)
	if _, ok := p[key]; ok {
		return false, nil
	}
	p[key] = a
	return true, nil
}

func TestResumeGivesEachFollowedRolloutAPollJob(t *testing.T) {
	doc := func(installation int64) []byte {
		return (&Rollout{Installation: installation, State: Tracking}).marshal()
	}
	rollouts := activeRollouts{
		{Repo: "o/polled", Number: 1, Active: true, Document: doc(7)},
		{Repo: "o/lost", Number: 2, Active: true, Document: doc(8)},
		{Repo: "o/broken", Number: 3, Active: true, Document: []byte("{")},
	}
	jobs := pollJobs{"o/polled#1": {Repo: "o/polled", Number: 1, Installation: 7}}
	w := &ResumeWorker{Rollouts: rollouts, Queue: jobs, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := w.Work(context.Background(), &river.Job[ResumeArgs]{}); err != nil {
		t.Fatal(err)
	}
	var got []PollArgs
	for _, a := range jobs {
		got = append(got, a)
	}
	slices.SortFunc(got, func(a, b PollArgs) int { return a.Number - b.Number })
	want := []PollArgs{{Repo: "o/polled", Number: 1, Installation: 7}, {Repo: "o/lost", Number: 2, Installation: 8}}
	if !slices.Equal(got, want) {
		t.Errorf("poll jobs %+v, want %+v", got, want)
	}
}
