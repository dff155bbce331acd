package hubprobe

import "testing"

func TestTally(t *testing.T) {
	tests := []struct {
		name string
		obs  Observation
		want Tally
	}{
		{
			name: "nothing observed",
			want: Tally{},
		},
		{
			name: "every server restarted onto the new build",
			obs: Observation{
				Servers: []Server{
					{Pod: "jupyter-alice", Node: "user-pool-a", Digest: newIndex},
					{Pod: "jupyter-bob", Node: "user-pool-b", Digest: newAMD64},
				},
				Pullers: []Puller{
					{Pod: "continuous-image-puller-4xkqz", Node: "user-pool-a", Digest: newAMD64},
					{Pod: "continuous-image-puller-9tbwm", Node: "user-pool-b", Digest: newIndex},
				},
			},
			want: Tally{Live: true, New: 2, NodesWithNew: 2, NodesTotal: 2},
		},
		{
			name: "pulled everywhere, no user restarted yet",
			obs: Observation{
				Servers: []Server{
					{Pod: "jupyter-alice", Node: "user-pool-a", Digest: oldIndex},
					{Pod: "jupyter-bob", Node: "user-pool-a", Digest: oldAMD64},
				},
				Pullers: []Puller{
					{Pod: "continuous-image-puller-4xkqz", Node: "user-pool-a", Digest: newIndex},
					{Pod: "hook-image-puller-7lh2d", Node: "user-pool-a", Digest: newIndex},
				},
			},
			want: Tally{Live: false, Old: 2, NodesWithNew: 1, NodesTotal: 1},
		},
		{
			name: "a server on the new build counts its node without a puller there",
			obs: Observation{
				Servers: []Server{{Pod: "jupyter-alice", Node: "user-pool-c", Digest: newAMD64}},
				Pullers: []Puller{{Pod: "continuous-image-puller-4xkqz", Node: "user-pool-a", Digest: oldIndex}},
			},
			want: Tally{Live: true, New: 1, NodesWithNew: 1, NodesTotal: 2},
		},
		{
			name: "an unscheduled server counts no node",
			obs: Observation{
				Servers: []Server{{Pod: "jupyter-alice"}},
				Pullers: []Puller{{Pod: "continuous-image-puller-r8vnp", Node: "user-pool-c"}},
			},
			want: Tally{Starting: 1, NodesTotal: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			isNew := func(digest string) bool {
				if digest == "" {
					t.Error("isNew asked about a server or puller that has no digest yet")
				}
				return isNewBuild(digest)
			}
			if got := tt.obs.Tally(isNew); got != tt.want {
				t.Errorf("Tally = %+v, want %+v", got, tt.want)
			}
		})
	}
}
