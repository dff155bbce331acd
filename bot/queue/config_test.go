package queue

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestRiverConfig(t *testing.T) {
	t.Parallel()
	workers := river.NewWorkers()
	river.AddWorker(workers, river.WorkFunc(func(context.Context, *river.Job[testArgs]) error { return nil }))
	custom := &Backoff{Base: time.Minute}
	tests := []struct {
		name              string
		opts              Options
		wantErr           string
		wantQueues        map[string]river.QueueConfig
		wantRescue        time.Duration
		wantTimeout       time.Duration
		wantPolicy        river.ClientRetryPolicy // nil: a Backoff with defaults
		wantPollInterval  time.Duration
		wantFetchCooldown time.Duration
	}{
		{
			name:       "defaults",
			opts:       Options{Workers: workers},
			wantQueues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
			wantRescue: 150 * time.Second, wantTimeout: 2 * time.Minute,
		},
		{
			name: "given values kept",
			opts: Options{
				Workers: workers, Queues: map[string]river.QueueConfig{"rollout": {MaxWorkers: 2}},
				RescueStuckJobsAfter: 3 * time.Second, JobTimeout: time.Second, RetryPolicy: custom,
				PollInterval: 2 * time.Second,
			},
			wantQueues: map[string]river.QueueConfig{"rollout": {MaxWorkers: 2}},
			wantRescue: 3 * time.Second, wantTimeout: time.Second, wantPolicy: custom,
			wantPollInterval: 2 * time.Second, wantFetchCooldown: river.FetchCooldownDefault,
		},
		{
			name:       "a short poll interval lowers the fetch cooldown",
			opts:       Options{Workers: workers, PollInterval: 50 * time.Millisecond},
			wantQueues: map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
			wantRescue: 150 * time.Second, wantTimeout: 2 * time.Minute,
			wantPollInterval: 50 * time.Millisecond, wantFetchCooldown: 50 * time.Millisecond,
		},
		{
			name:    "workers required",
			opts:    Options{},
			wantErr: "new queue: Options.Workers is required",
		},
		{
			name:    "rescue must exceed the job timeout",
			opts:    Options{Workers: workers, RescueStuckJobsAfter: time.Minute},
			wantErr: "new queue: RescueStuckJobsAfter (1m0s) must exceed JobTimeout (2m0s), or running jobs would be rescued",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			config, err := riverConfig(tt.opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("riverConfig: %v", err)
			}
			if len(config.Queues) != len(tt.wantQueues) {
				t.Errorf("Queues = %v, want %v", config.Queues, tt.wantQueues)
			}
			for name, want := range tt.wantQueues {
				if got, ok := config.Queues[name]; !ok || got.MaxWorkers != want.MaxWorkers {
					t.Errorf("Queues[%q] = %+v, want %+v", name, got, want)
				}
			}
			if config.RescueStuckJobsAfter != tt.wantRescue || config.JobTimeout != tt.wantTimeout {
				t.Errorf("RescueStuckJobsAfter, JobTimeout = %s, %s, want %s, %s", config.RescueStuckJobsAfter, config.JobTimeout, tt.wantRescue, tt.wantTimeout)
			}
			if tt.wantPolicy == nil {
				if got, ok := config.RetryPolicy.(*Backoff); !ok || got.Base != 0 || got.Max != 0 || got.Now != nil || got.Rand != nil {
					t.Errorf("RetryPolicy = %#v, want a default Backoff", config.RetryPolicy)
				}
			} else if config.RetryPolicy != tt.wantPolicy {
				t.Errorf("RetryPolicy = %#v, want %#v", config.RetryPolicy, tt.wantPolicy)
			}
			if config.FetchPollInterval != tt.wantPollInterval || config.FetchCooldown != tt.wantFetchCooldown {
				t.Errorf("FetchPollInterval, FetchCooldown = %s, %s, want %s, %s", config.FetchPollInterval, config.FetchCooldown, tt.wantPollInterval, tt.wantFetchCooldown)
			}
			if config.Logger == nil {
				t.Error("Logger is nil")
			}
			if config.Workers != tt.opts.Workers {
				t.Error("Workers not passed through")
			}
		})
	}
}
