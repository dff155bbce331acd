package hubapi

import (
	"os"
	"strings"
	"testing"
)

func TestParseSpawns(t *testing.T) {
	real, err := os.ReadFile("testdata/jupyterhub-3.0.0.metrics")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, page, prefix string
		want               Spawns
		wantErr            string
	}{
		{name: "JupyterHub 3.0.0 after one failed spawn (it counts that failure twice)", page: string(real), prefix: "jupyterhub",
			want: Spawns{Success: 0, Failure: 2}},
		{name: "a histogram", prefix: "jupyterhub", page: `# TYPE jupyterhub_server_spawn_duration_seconds histogram
jupyterhub_server_spawn_duration_seconds_bucket{le="+Inf",status="success"} 7.0
jupyterhub_server_spawn_duration_seconds_count{status="success"} 7.0
jupyterhub_server_spawn_duration_seconds_sum{status="success"} 21.5
jupyterhub_server_spawn_duration_seconds_bucket{le="+Inf",status="failure"} 3.0
jupyterhub_server_spawn_duration_seconds_count{status="failure"} 3.0
jupyterhub_server_spawn_duration_seconds_sum{status="failure"} 90.0
jupyterhub_server_spawn_duration_seconds_bucket{le="+Inf",status="throttled"} 4.0
jupyterhub_server_spawn_duration_seconds_count{status="throttled"} 4.0
jupyterhub_server_spawn_duration_seconds_sum{status="throttled"} 0.1
`, want: Spawns{Success: 7, Failure: 3}},
		{name: "another prefix (JupyterHub 5's metrics_prefix)", prefix: "hub2", page: `# TYPE hub2_server_spawn_duration_seconds histogram
hub2_server_spawn_duration_seconds_bucket{le="+Inf",status="success"} 1
hub2_server_spawn_duration_seconds_count{status="success"} 1
hub2_server_spawn_duration_seconds_sum{status="success"} 2
`, want: Spawns{Success: 1}},
		{name: "no type: the _count samples", prefix: "jupyterhub", page: `jupyterhub_server_spawn_duration_seconds_count{status="success"} 5
jupyterhub_server_spawn_duration_seconds_count{status="failure"} 2
`, want: Spawns{Success: 5, Failure: 2}},
		{name: "the wrong prefix", prefix: "jh", page: string(real),
			wantErr: `its /hub/metrics has no jh_server_spawn_duration_seconds: check the metrics prefix ("jh") in imagebot's configuration`},
		{name: "not the text format", prefix: "jupyterhub", page: "<html>Sign in</html>\n",
			wantErr: "its /hub/metrics is not in Prometheus's text format: text format parsing error in line 1: "},
		{name: "a negative count", prefix: "jupyterhub", page: `jupyterhub_server_spawn_duration_seconds_count{status="failure"} -1
`, wantErr: "its /hub/metrics counts -1 spawns, which is no count"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseSpawns(strings.NewReader(tt.page), tt.prefix)
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case got != tt.want:
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzParseSpawns(f *testing.F) {
	real, err := os.ReadFile("testdata/jupyterhub-3.0.0.metrics")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	f.Add([]byte("jupyterhub_server_spawn_duration_seconds_count{status=\"failure\"} 1e300\n"))
	f.Add([]byte("# TYPE jupyterhub_server_spawn_duration_seconds summary\njupyterhub_server_spawn_duration_seconds_count{status=\"success\"} NaN\n"))
	f.Fuzz(func(t *testing.T, page []byte) {
		s, err := ParseSpawns(strings.NewReader(string(page)), "jupyterhub")
		if err == nil && (s.Success < 0 || s.Failure < 0) {
			t.Fatalf("negative counts %+v", s)
		}
	})
}
