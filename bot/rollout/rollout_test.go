package rollout

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/internal/fixtures"
	"github.com/riverqueue/river"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func base() *Rollout {
	return &Rollout{Repo: "org/image", Number: 7, MergeSHA: "0123456789abcdef0123456789abcdef01234567", MergedAt: t0,
		Image: "quay.io/org/image", Tag: "0123456789ab", Workflow: "Build", Timeout: 6 * time.Hour,
		ConfigureIn: 30 * time.Minute, State: Tracking}
}

func TestGuidance(t *testing.T) {
	published := func(r *Rollout) {
		r.Build = Build{Status: "success", Name: "Build #3", URL: "https://github.com/org/image/actions/runs/3", At: t0.Add(5 * time.Minute)}
		r.Pushed = Published{Digest: "sha256:aa", Platform: "sha256:bb", At: t0.Add(6 * time.Minute)}
	}
	tests := []struct {
		name  string
		setup func(r *Rollout)
		now   time.Time
		want  []string // substrings, one per guidance line, in order
	}{
		{name: "early: nothing to say", setup: func(*Rollout) {}, now: t0.Add(time.Minute)},
		{name: "no build after the grace", setup: func(*Rollout) {}, now: t0.Add(12 * time.Minute),
			want: []string{"No run of the workflow “Build” has started for `0123456` since the merge at 2026-11-24 10:00 UTC."}},
		{name: "build failed", setup: func(r *Rollout) {
			r.State = Failed
			r.Build = Build{Status: "failure", Name: "Build #3", URL: "https://x/runs/3"}
		}, now: t0.Add(time.Minute), want: []string{"The build failed: [Build &#35;3](https://x/runs/3). The image was not pushed"}},
		{name: "tag never pushed", setup: func(r *Rollout) {
			r.Build = Build{Status: "success", At: t0.Add(time.Minute)}
		}, now: t0.Add(20 * time.Minute), want: []string{"The build finished at 2026-11-24 10:01 UTC, but `quay.io/org/image:0123456789ab` is not in the registry."}},
		{name: "hub config not bumped", setup: func(r *Rollout) {
			published(r)
			r.Hubs = []HubRollout{{Name: "prod", ConfigValue: "oldtag", ConfigURL: "https://github.com/org/infra/blob/main/prod.yaml#L6", BumpURL: "https://github.com/org/infra/pull/9"}}
		}, now: t0.Add(50 * time.Minute), want: []string{"Hub `prod` still points at `oldtag` ([the hub's configuration](https://github.com/org/infra/blob/main/prod.yaml#L6)), although the new image was pushed at 2026-11-24 10:06 UTC. Set it to `0123456789ab`. imagebot opened [a pull request](https://github.com/org/infra/pull/9)"}},
		{name: "not yet past configureWithin", setup: func(r *Rollout) {
			published(r)
			r.Hubs = []HubRollout{{Name: "prod", ConfigValue: "oldtag"}}
		}, now: t0.Add(20 * time.Minute)},
		{name: "mutable tag, nodes on the old digest", setup: func(r *Rollout) {
			published(r)
			r.Hubs = []HubRollout{{Name: "staging", ConfigValue: "quay.io/org/image:latest", Mutable: true, Observed: true, NodesWithNew: 1, NodesTotal: 3}}
		}, now: t0.Add(10 * time.Minute), want: []string{"Hub `staging` follows the mutable tag `quay.io/org/image:latest`, and 2 of its 3 nodes still hold the old image"}},
		{name: "a hub that cannot be looked at", setup: func(r *Rollout) {
			published(r)
			r.Hubs = []HubRollout{{Name: "prod", Problem: "imagebot could not list the hub's pods: forbidden", ConfiguredAt: t0}}
		}, now: t0.Add(10 * time.Minute), want: []string{"Hub `prod`: imagebot could not list the hub's pods\\: forbidden. Tell the hub's operator."}},
		{name: "refused hubs", setup: func(r *Rollout) { r.Refused = []string{"other"} }, now: t0,
			want: []string{"`.github/imagebot.yml` names `other`, which the operator has not allowed"}},
		{name: "superseded", setup: func(r *Rollout) { r.State, r.Newer = Superseded, 9 }, now: t0,
			want: []string{"A newer merge, #9, took over"}},
		{name: "timed out", setup: func(r *Rollout) {
			published(r)
			r.State = TimedOut
			r.Hubs = []HubRollout{{Name: "prod", ConfigValue: "oldtag"}}
		}, now: t0.Add(7 * time.Hour), want: []string{"Hub `prod` still points at `oldtag`", "imagebot stopped following this rollout after 6h0m0s (see above)."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.setup(r)
			got := guidance(r, tt.now)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.Contains(got[i], tt.want[i]) {
					t.Errorf("line %d:\n got  %s\n want …%s…", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestHubStatus(t *testing.T) {
	tests := []struct {
		name  string
		setup func(r *Rollout, h *HubRollout)
		state string
		desc  string
	}{
		{"waiting for the build", func(*Rollout, *HubRollout) {}, "queued", "Waiting for the build"},
		{"building", func(r *Rollout, _ *HubRollout) { r.Build.Status = "in_progress" }, "in_progress", "Building the image"},
		{"pushed", func(r *Rollout, _ *HubRollout) { r.Build.Status, r.Pushed.Digest = "success", "sha256:a" }, "in_progress", "Pushed; waiting for the hub's configuration to point at it"},
		{"configured", func(r *Rollout, h *HubRollout) { r.Pushed.Digest, h.ConfiguredAt, h.Observed = "sha256:a", t0, true }, "in_progress", "Configured; waiting for a user server to start on the new image"},
		{"configured, servers unseen", func(r *Rollout, h *HubRollout) { r.Pushed.Digest, h.ConfiguredAt = "sha256:a", t0 }, "success", "The hub's configuration points at the new image"},
		{"live", func(r *Rollout, h *HubRollout) { h.LiveAt, h.New, h.Old = t0, 1, 4 }, "success", "Live: 1 server on the new image, 4 on older ones"},
		{"failed", func(r *Rollout, _ *HubRollout) { r.State = Failed }, "failure", "The build failed; nothing was pushed"},
		{"timed out", func(r *Rollout, _ *HubRollout) { r.State = TimedOut }, "failure", "Timed out before the new image ran on the hub"},
		{"superseded", func(r *Rollout, _ *HubRollout) { r.State, r.Newer = Superseded, 9 }, "inactive", "Superseded by #9"},
	}
	for _, tt := range tests {
		r, h := base(), &HubRollout{Name: "prod"}
		tt.setup(r, h)
		if state, desc := hubStatus(r, h); state != tt.state || desc != tt.desc {
			t.Errorf("%s: got %s %q, want %s %q", tt.name, state, desc, tt.state, tt.desc)
		}
	}
}

func TestAnyMutable(t *testing.T) {
	tests := []struct {
		values []string
		want   bool
	}{
		{[]string{"quay.io/org/image:latest"}, true},
		{[]string{"quay.io/org/image"}, true},
		{[]string{"latest"}, true},
		{[]string{"main"}, true},
		{[]string{"quay.io/org/image:0123456789ab"}, false},
		{[]string{"0123456789ab"}, false},
		{[]string{"quay.io/org/image:latest@sha256:" + strings.Repeat("a", 64)}, false},
		{[]string{"2024-10-03"}, false},
		{[]string{"quay.io/org/image:0123456789ab", "quay.io/org/image:latest"}, true},
		{nil, false},
	}
	for _, tt := range tests {
		if got := anyMutable(tt.values); got != tt.want {
			t.Errorf("anyMutable(%q) = %v, want %v", tt.values, got, tt.want)
		}
	}
}

func TestRunStatus(t *testing.T) {
	tests := []struct{ status, conclusion, want string }{
		{"queued", "", "queued"}, {"in_progress", "", "in_progress"}, {"", "", "queued"},
		{"completed", "success", "success"}, {"completed", "skipped", "success"},
		{"completed", "failure", "failure"}, {"completed", "cancelled", "failure"}, {"completed", "timed_out", "failure"},
	}
	for _, tt := range tests {
		if got := runStatus(tt.status, tt.conclusion); got != tt.want {
			t.Errorf("runStatus(%s, %s) = %s, want %s", tt.status, tt.conclusion, got, tt.want)
		}
	}
}

func TestPollSchedule(t *testing.T) {
	var total time.Duration
	for round := 1; total < 6*time.Hour; round++ {
		total += Poll(round)
		if round > 200 {
			t.Fatalf("a 6h rollout takes more than 200 rounds")
		}
	}
	if Poll(1) != 20*time.Second || Poll(40) != time.Minute || Poll(100) != 5*time.Minute {
		t.Errorf("schedule: %s %s %s", Poll(1), Poll(40), Poll(100))
	}
}

func TestRenderCommentEscapes(t *testing.T) {
	r := base()
	r.Build = Build{Status: "success", Name: "<img src=x> @everyone", URL: "https://github.com/org/image/actions/runs/1", At: t0}
	r.Hubs = []HubRollout{{Name: "prod", URL: "https://hub.example.org", ConfigValue: plainValue("tag`\n<b>")}}
	body := renderComment(r)
	for _, bad := range []string{"<img", "@everyone"} {
		if strings.Contains(body, bad) {
			t.Errorf("the comment contains %q:\n%s", bad, body)
		}
	}
	// A config value stays inside one code span, where HTML is inert.
	if !strings.Contains(body, "points at `tag' <b>`") {
		t.Errorf("the config value is not one code span:\n%s", body)
	}
}

type wakes struct{ args []PollArgs }

func (w *wakes) InsertOrWake(_ context.Context, args river.JobArgs, _ *river.InsertOpts) error {
	w.args = append(w.args, args.(PollArgs))
	return nil
}

func TestEvents(t *testing.T) {
	cfg, err := operator.Parse([]byte(`hubs:
  - name: staging
    url: https://staging.hub.example.org
    kubernetes: {namespace: jhub}
repositories:
  - repository: Codertocat/Hello-World
    image: quay.io/codertocat/hello
    workflow: Build
    hubs: [staging]
`))
	if err != nil {
		t.Fatal(err)
	}
	merged := fixtures.EditedWebhook(t, "pull_request", "closed", map[string]any{
		"pull_request.merged": true, "pull_request.merge_commit_sha": "0123456789abcdef0123456789abcdef01234567", "number": 2, "pull_request.number": 2})
	unmerged := fixtures.EditedWebhook(t, "pull_request", "closed", map[string]any{"pull_request.merged": false})
	otherRepo := fixtures.EditedWebhook(t, "pull_request", "closed", map[string]any{"pull_request.merged": true, "repository.full_name": "someone/else"})
	pkg := fixtures.EditedWebhook(t, "package", "published", map[string]any{"repository.full_name": "Codertocat/Hello-World", "installation.id": 5})
	ctx := context.Background()
	st := storetest.Open(t, store.SQLite)
	q := &wakes{}
	h := &Events{Config: cfg, Rollouts: st, Queue: q, Now: func() time.Time { return t0 }}
	steps := []struct {
		name, event string
		payload     []byte
		wantWakes   int
	}{
		{"a closed, unmerged pull request", "pull_request", unmerged, 0},
		{"a repository the operator did not configure", "pull_request", otherRepo, 0},
		{"a merge starts a rollout", "pull_request", merged, 1},
		{"the same merge redelivered starts nothing more", "pull_request", merged, 0},
		{"a published package wakes the repository's rollouts", "registry_package", pkg, 1},
	}
	for _, s := range steps {
		before := len(q.args)
		e, err := webhook.NewEvent(s.event, "d", s.payload)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := h.Handle(ctx, e); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := len(q.args) - before; got != s.wantWakes {
			t.Errorf("%s: %d jobs inserted or woken, want %d", s.name, got, s.wantWakes)
		}
	}
	rec, ok, err := st.Rollout(ctx, "Codertocat/Hello-World", 2)
	if err != nil || !ok {
		t.Fatalf("no rollout: %v", err)
	}
	r, _ := unmarshal(rec.Document)
	if r.Tag != "0123456789ab" || r.Image != "quay.io/codertocat/hello" || r.State != Tracking || r.Workflow != "Build" {
		t.Errorf("rollout %+v", r)
	}
}

func TestRollbackLines(t *testing.T) {
	failing := &Health{Since: t0, Verdict: Unhealthy, Failed: 3, Pods: []PodFailure{{Pod: "a", Reason: "ErrImagePull"}}}
	tests := []struct {
		name string
		hub  HubRollout
		want string
	}{
		{"pull request opened, previous rollout known",
			HubRollout{Name: "prod", Health: failing, Before: Before{Value: "old", Digest: oldDigestForTest, Rollout: 6, Tag: "abc"},
				Rollback: &Rollback{State: "opened", URL: "https://github.com/org/infra/pull/3"}},
			"Roll back hub `prod`: merge [the rollback pull request](https://github.com/org/infra/pull/3), which sets the hub's configuration back to `old`: the image `sha256:0a0a0a0a0a0a` from #6, which ran there before."},
		{"already restored", HubRollout{Name: "prod", Health: failing, Before: Before{Value: "old"}, Rollback: &Rollback{State: "restored"}},
			"Roll back hub `prod`: its configuration is back at `old` already."},
		{"no pull request: the value, written as the file writes it",
			HubRollout{Name: "prod", Health: failing, ConfigValue: "quay.io/org/image:0123456789ab", ConfigURL: "https://github.com/org/infra/blob/main/prod.yaml#L4", Before: Before{Tag: "fedcba987654", Digest: oldDigestForTest, Rollout: 6}},
			"Roll back hub `prod`: set its configuration back to `quay.io/org/image:fedcba987654` ([the hub's configuration](https://github.com/org/infra/blob/main/prod.yaml#L4)): the image `sha256:0a0a0a0a0a0a` from #6, which ran there before."},
		{"only the digest the hub held", HubRollout{Name: "prod", Health: failing, Before: Before{Digest: oldDigestForTest}},
			"Roll back hub `prod`: point it back at `sha256:0a0a0a0a0a0a`."},
		{"nothing known", HubRollout{Name: "prod", Health: failing},
			"Roll back hub `prod`: point it back at the image it ran before; imagebot did not see which one."},
		{"healthy hubs need none", HubRollout{Name: "prod", Health: &Health{Verdict: Healthy}}, ""},
	}
	for _, tt := range tests {
		r := base()
		r.Hubs = []HubRollout{tt.hub}
		got := strings.Join(rollbackLines(r), "\n")
		if got != tt.want {
			t.Errorf("%s:\n got  %s\n want %s", tt.name, got, tt.want)
		}
	}
}

const oldDigestForTest = "sha256:0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"

func TestFailureWords(t *testing.T) {
	since := time.Date(2026, 11, 24, 9, 14, 0, 0, time.UTC)
	tests := []struct {
		health Health
		want   string
	}{
		{Health{Since: since, Metrics: true, Succeeded: 1, Failed: 2, Pods: []PodFailure{{Pod: "a", Reason: "CrashLoopBackOff", ExitCode: 1}, {Pod: "b", Reason: "Error", ExitCode: 1}}},
			"2 of 3 servers started since 09:14 UTC failed on the new image (exit code 1)"},
		{Health{Since: since, Pods: []PodFailure{{Pod: "a", Reason: "ImagePullBackOff"}, {Pod: "b", Reason: "OOMKilled", ExitCode: 137}, {Pod: "c", Reason: "ErrImagePull"}, {Pod: "d", Reason: "ImagePullBackOff"}}, Running: 1},
			"4 of 5 servers started since 09:14 UTC failed on the new image (ImagePullBackOff; exit code 137; ErrImagePull)"},
		{Health{Since: since, Metrics: true, Succeeded: 0, Failed: 3},
			"3 of 3 servers started since 09:14 UTC failed on the new image"},
	}
	for _, tt := range tests {
		if got := tt.health.failureWords(plain); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

func TestJudge(t *testing.T) {
	until := t0.Add(30 * time.Minute)
	tests := []struct {
		name   string
		health Health
		now    time.Time
		want   Verdict
	}{
		{"one failure is below the threshold", Health{Failed: 1}, t0, ""},
		{"two failures and no success", Health{Failed: 2}, t0, Unhealthy},
		{"two failing pods and no spawn counts", Health{Pods: []PodFailure{{Pod: "a"}, {Pod: "b"}}}, t0, Unhealthy},
		{"two failures but more successes", Health{Failed: 2, Succeeded: 5}, t0, ""},
		{"as many failures as successes", Health{Failed: 3, Succeeded: 3}, t0, ""},
		{"successes and no failure, in the window", Health{Succeeded: 4}, t0.Add(29 * time.Minute), ""},
		{"successes and no failure, window over", Health{Succeeded: 4}, until, Healthy},
		{"a running server and no failure, window over", Health{Running: 1}, until, Healthy},
		{"nothing started, window over: watch on", Health{}, until, ""},
		{"a failure below the threshold, window over: watch on", Health{Failed: 1, Succeeded: 9}, until, ""},
	}
	for _, tt := range tests {
		h := tt.health
		h.Since, h.Until = t0, until
		h.judge(2, tt.now)
		if h.Verdict != tt.want {
			t.Errorf("%s: verdict %q, want %q", tt.name, h.Verdict, tt.want)
		}
	}
}

func TestGrown(t *testing.T) {
	for _, tt := range []struct{ last, now, want int }{{3, 5, 2}, {5, 5, 0}, {5, 2, 2}} {
		if got := grown(tt.last, tt.now); got != tt.want {
			t.Errorf("grown(%d, %d) = %d, want %d (a lower counter is a restarted hub)", tt.last, tt.now, got, tt.want)
		}
	}
}

type fixedVersions map[string]string

func (f fixedVersions) Version(_ context.Context, base string) (string, error) {
	if v, ok := f[base]; ok {
		return v, nil
	}
	return "", errors.New("the hub did not answer")
}

func TestHubVersions(t *testing.T) {
	cfg, err := operator.Parse([]byte(`hubs:
  - {name: staging, url: https://staging.example.org, configRepo: {repository: o/r, path: p, key: k}}
  - {name: prod, url: https://hub.example.org, apiURL: "http://hub.prod.svc:8081/", configRepo: {repository: o/r, path: p, key: k}}
repositories:
  - {repository: org/image, image: quay.io/org/image, workflow: Build, hubs: [staging, prod]}
`))
	if err != nil {
		t.Fatal(err)
	}
	v := &HubVersions{Config: cfg, Versions: fixedVersions{"http://hub.prod.svc:8081": "3.0.0"}}
	ctx := context.Background()
	tests := []struct {
		repo      string
		requested []string
		want      []checks.Hub
	}{
		{"org/image", nil, []checks.Hub{{Name: "staging", Version: ""}, {Name: "prod", Version: "3.0.0"}}},
		{"Org/Image", []string{"prod"}, []checks.Hub{{Name: "prod", Version: "3.0.0"}}},
		{"someone/else", nil, nil},
	}
	for _, tt := range tests {
		if got := v.HubVersions(ctx, tt.repo, tt.requested); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("HubVersions(%s, %v) = %+v, want %+v", tt.repo, tt.requested, got, tt.want)
		}
	}
}
