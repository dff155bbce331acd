package rollout

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/imagebot/imagebot/bot/rollout/hubapi"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// The tracker tests run rounds one at a time, as the poll job does, on a
// clock they move by hand: against the fake GitHub, a store, client-go's
// fake clientset, and stand-ins for the registry and the hub's metrics.

const (
	newIndex  = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	newAMD64  = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	oldDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001"
	image     = "quay.io/example-hub/notebook"
)

const rigConfig = `hubs:
  - name: prod
    url: https://hub.example.org
    kubernetes: {namespace: jhub}
    configRepo:
      repository: example-hub/infrastructure
      path: config/prod.values.yaml
      key: jupyterhub.singleuser.image.tag
      openPullRequest: true
    metrics: {tokenEnv: PROD_HUB_TOKEN}
    healthy: {window: 30m, failures: 2}
repositories:
  - repository: example-hub/notebook
    image: quay.io/example-hub/notebook
    workflow: Build
    hubs: [prod]
`

// rig is one tracker test's world.
type rig struct {
	t       *testing.T
	gh      *fakegithub.Server
	repo    *fakegithub.Repo
	infra   *fakegithub.Repo
	st      *store.Store
	cluster *fake.Clientset
	reg     *fakeRegistry
	spawns  *fakeSpawns
	now     time.Time
	tracker *Tracker
}

type clients struct{ gh *github.Client }

func (c clients) NewAppClient() (*github.Client, error)               { return c.gh, nil }
func (c clients) NewInstallationClient(int64) (*github.Client, error) { return c.gh, nil }

// fakeRegistry resolves the new tag once it is pushed; block, when set,
// holds Resolve until it is closed.
type fakeRegistry struct {
	mu     sync.Mutex
	pushed bool
	block  chan struct{}
	calls  chan struct{}
}

func (f *fakeRegistry) Resolve(ctx context.Context, ref string) (registry.Digests, error) {
	f.mu.Lock()
	pushed, block := f.pushed, f.block
	f.mu.Unlock()
	if block != nil {
		f.calls <- struct{}{}
		<-block
	}
	if !pushed {
		return registry.Digests{}, registry.ErrNotFound
	}
	return registry.Digests{Digest: newIndex, Platform: newAMD64}, nil
}

// fakeSpawns is a hub's spawn counters.
type fakeSpawns struct {
	mu  sync.Mutex
	now hubapi.Spawns
	err error
}

func (f *fakeSpawns) Spawns(context.Context, *operator.Hub) (hubapi.Spawns, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now, f.err
}

func (f *fakeSpawns) set(success, failure int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = hubapi.Spawns{Success: success, Failure: failure}
}

func newRig(t *testing.T, config string) *rig {
	t.Helper()
	fixtures.OpenAPIPath(t)
	x := &rig{t: t, now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), cluster: fake.NewClientset(),
		reg: &fakeRegistry{}, spawns: &fakeSpawns{}}
	x.gh = fakegithub.New(t, fakegithub.WithClock(func() time.Time { return x.now }))
	x.repo = x.gh.AddRepo("example-hub", "notebook")
	x.infra = x.gh.AddRepo("example-hub", "infrastructure")
	x.gh.AddInstallation(42, "example-hub", x.repo, x.infra)
	x.repo.Commit("main", map[string]string{"README.md": "# notebook\n"})
	x.infra.Commit("main", map[string]string{"config/prod.values.yaml": "jupyterhub:\n  singleuser:\n    image:\n      name: " + image + "\n      tag: \"old000000000\"\n"})
	client := github.NewClient(&http.Client{}).WithAuthToken(x.gh.InstallationToken(42))
	base, err := url.Parse(x.gh.URL())
	if err != nil {
		t.Fatal(err)
	}
	client.BaseURL = base
	cfg, err := operator.Parse([]byte(config))
	if err != nil {
		t.Fatal(err)
	}
	x.st = storetest.Open(t, store.SQLite)
	x.tracker = &Tracker{Config: cfg, Clients: clients{client}, Rollouts: x.st, Comments: x.st,
		Registry: x.reg, Spawns: x.spawns, Now: func() time.Time { return x.now },
		Clusters: &KubeClusters{NewClient: func(string, string, bool) (kubernetes.Interface, error) { return x.cluster, nil }},
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil))}
	return x
}

// merge merges a pull request and records its rollout, as the merge's
// webhook does; it returns the pull request's number and merge SHA.
func (x *rig) merge(branch string) (int, string) {
	x.t.Helper()
	x.repo.Commit(branch, map[string]string{"environment.yml": "dependencies: [python=3.12]\n# " + branch + "\n"})
	number := x.repo.OpenPull(branch, "main")
	sha := x.repo.MergePull(number, "maintainer")
	h := &Events{Config: x.tracker.Config, Rollouts: x.st, Queue: &wakes{}, Now: func() time.Time { return x.now }}
	ev := fixtures.EditedWebhook(x.t, "pull_request", "closed", map[string]any{
		"installation.id": 42, "repository.full_name": "example-hub/notebook", "repository.name": "notebook",
		"repository.owner.login": "example-hub", "number": number, "pull_request.number": number,
		"pull_request.merged": true, "pull_request.merge_commit_sha": sha, "pull_request.merged_at": x.now.Format(time.RFC3339)})
	e, err := webhook.NewEvent("pull_request", "d", ev)
	if err != nil {
		x.t.Fatal(err)
	}
	if err := h.Handle(context.Background(), e); err != nil {
		x.t.Fatal(err)
	}
	return number, sha
}

// run runs the poll job once, as River would, and returns how long it
// asks to wait before the next run (-1: it ended).
func (x *rig) run(number int, recheck bool) time.Duration {
	x.t.Helper()
	next, err := x.work(number, recheck)
	if err != nil {
		x.t.Fatalf("round: %v", err)
	}
	return next
}

// work is run for another goroutine than the test's.
func (x *rig) work(number int, recheck bool) (time.Duration, error) {
	w := &PollWorker{Tracker: x.tracker}
	err := w.Work(context.Background(), &river.Job[PollArgs]{JobRow: &rivertype.JobRow{ID: 1},
		Args: PollArgs{Repo: "example-hub/notebook", Number: number, Installation: 42, Recheck: recheck}})
	var snooze *rivertype.JobSnoozeError
	switch {
	case errors.As(err, &snooze):
		return snooze.Duration, nil
	case err != nil:
		return 0, err
	}
	return -1, nil
}

// rollout reads the stored rollout.
func (x *rig) rollout(number int) *Rollout {
	x.t.Helper()
	rec, ok, err := x.st.Rollout(context.Background(), "example-hub/notebook", number)
	if err != nil || !ok {
		x.t.Fatalf("no rollout #%d: %v", number, err)
	}
	r, err := unmarshal(rec.Document)
	if err != nil {
		x.t.Fatal(err)
	}
	return r
}

func (x *rig) comment(number int) string {
	for _, c := range x.gh.Comments("example-hub/notebook", number) {
		if strings.HasSuffix(c.Body, Marker) {
			return c.Body
		}
	}
	return ""
}

// statuses lists a hub's deployment statuses, as "state: description".
func (x *rig) statuses(sha string) []string {
	var out []string
	for _, d := range x.gh.Deployments("example-hub/notebook") {
		if d.SHA == sha {
			for _, s := range d.Statuses {
				out = append(out, s.State+": "+s.Description)
			}
		}
	}
	return out
}

// writes lists the GitHub writes since the last call, by operation.
func (x *rig) writes() []string {
	var out []string
	for _, c := range x.gh.Writes() {
		out = append(out, c.OperationID)
	}
	x.gh.Reset()
	return out
}

func (x *rig) pods(pods ...*corev1.Pod) {
	x.t.Helper()
	for _, p := range pods {
		c := x.cluster.CoreV1().Pods("jhub")
		if _, err := c.Get(context.Background(), p.Name, metav1.GetOptions{}); err == nil {
			if _, err := c.Update(context.Background(), p, metav1.UpdateOptions{}); err != nil {
				x.t.Fatal(err)
			}
			continue
		}
		if _, err := c.Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			x.t.Fatal(err)
		}
	}
}

func server(name, imageRef, imageID string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "jhub", Labels: map[string]string{"component": "singleuser-server"}},
		Spec:       corev1.PodSpec{NodeName: "node-a", Containers: []corev1.Container{{Name: "notebook", Image: imageRef}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
			{Name: "notebook", Image: imageRef, ImageID: imageID, Ready: true,
				State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}},
	}
}

// crashing is a server whose container exits with code and is restarted
// again and again.
func crashing(name, imageRef, imageID string, code int32) *corev1.Pod {
	p := server(name, imageRef, imageID)
	st := &p.Status.ContainerStatuses[0]
	st.Ready = false
	st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}}
	st.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: "Error"}}
	return p
}

func puller(imageRef, imageID string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "continuous-image-puller-a", Namespace: "jhub", Labels: map[string]string{"component": "continuous-image-puller"}},
		Spec: corev1.PodSpec{NodeName: "node-a", InitContainers: []corev1.Container{{Name: "image-pull-singleuser", Image: imageRef}},
			Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.9"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, InitContainerStatuses: []corev1.ContainerStatus{
			{Name: "image-pull-singleuser", Image: imageRef, ImageID: imageID}}},
	}
}

// toLive takes a merged rollout through built, published and configured
// (merging imagebot's bump pull request) to live, with the old image on
// the hub before, and returns the new image's reference.
func (x *rig) toLive(number int, sha string, live *corev1.Pod) string {
	x.t.Helper()
	old := image + ":old000000000"
	x.pods(puller(old, image+"@"+oldDigest), server("alice", old, image+"@"+oldDigest))
	x.spawns.set(40, 3)
	x.run(number, false)
	x.repo.PutWorkflowRun(fakegithub.WorkflowRun{Name: "Build", HeadSHA: sha, HeadBranch: "main", Status: "completed", Conclusion: "success"})
	x.reg.pushed = true
	x.now = x.now.Add(time.Minute)
	x.run(number, false)
	if r := x.rollout(number); r.Hubs[0].BumpURL == "" {
		x.t.Fatalf("no bump pull request: %+v", r.Hubs[0])
	}
	x.infra.MergePull(1, "operator")
	newRef := image + ":" + sha[:12]
	x.pods(puller(newRef, image+"@"+newIndex), live)
	x.now = x.now.Add(time.Minute)
	x.run(number, false)
	if r := x.rollout(number); r.Hubs[0].LiveAt.IsZero() || r.Hubs[0].Health == nil {
		x.t.Fatalf("not live and watched: %+v", r.Hubs[0])
	}
	return newRef
}

func TestHealthyStageFails(t *testing.T) {
	x := newRig(t, rigConfig)
	number, sha := x.merge("sqlite")
	newRef := x.toLive(number, sha, crashing("bob", image+":"+sha[:12], image+"@"+newAMD64, 1))
	live := x.now
	r := x.rollout(number)
	if hl := r.Hubs[0].Health; hl.Since != live || hl.Until != live.Add(30*time.Minute) || hl.Verdict != "" || len(hl.Pods) != 1 {
		t.Fatalf("health after live: %+v", hl)
	}
	if r.Hubs[0].Before.Value != "old000000000" || r.Hubs[0].Before.Digest != oldDigest {
		t.Errorf("before: %+v", r.Hubs[0].Before)
	}

	// Two spawns fail; one pod crash loops with exit code 1.
	x.spawns.set(40, 5)
	x.pods(crashing("carol", newRef, image+"@"+newIndex, 1))
	x.now = x.now.Add(20 * time.Second)
	if next := x.run(number, false); next != -1 {
		t.Errorf("the failing rollout goes on (next round in %s)", next)
	}
	r = x.rollout(number)
	hl := r.Hubs[0].Health
	if r.State != Failing || hl.Verdict != Unhealthy || hl.Failed != 2 || len(hl.Pods) != 2 || hl.At != x.now {
		t.Fatalf("state %s, health %+v", r.State, hl)
	}
	words := "2 of 2 servers started since 09:02 UTC failed on the new image (exit code 1)"
	body := x.comment(number)
	for _, want := range []string{
		"### 🚀 imagebot: rollout of `" + newRef + "`\n\n**Failing** on hub `prod`: " + words + ".\n\n> ↩️ Roll back hub `prod`: merge [the rollback pull request](https://github.com/example-hub/infrastructure/pull/2), which sets the hub's configuration back to `old000000000`: the image `sha256:000000000000`, which ran there before.\n",
		"| Healthy: [prod](https://hub.example.org) | ❌ | 2026-11-24 09:02 UTC | " + words + " · [rollback pull request](https://github.com/example-hub/infrastructure/pull/2) |",
		"> ⚠️ Revert #1 in this repository (the **Revert** button on [the pull request](https://github.com/example-hub/notebook/pull/1)), so that the next merge does not publish the failing image again",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks\n%s\n%s", want, body)
		}
	}
	statuses := x.statuses(sha)
	if last := statuses[len(statuses)-1]; last != "failure: Failing: "+words {
		t.Errorf("deployment statuses %q", statuses)
	}
	rollback := x.gh.Pull("example-hub/infrastructure", 2)
	if rollback.Head != "imagebot/rollback-prod-"+sha[:12] || !strings.Contains(rollback.Title, "roll back") {
		t.Errorf("rollback pull request %+v", rollback)
	}
	if content, _ := x.infra.File(rollback.Head, "config/prod.values.yaml"); !strings.Contains(content, `tag: "old000000000"`) {
		t.Errorf("the rollback branch holds\n%s", content)
	}

	// A maintainer looks again: nothing new is opened or said.
	x.writes()
	x.now = x.now.Add(time.Hour)
	x.run(number, true)
	if w := x.writes(); len(w) != 0 {
		t.Errorf("a recheck of the failed rollout wrote %q", w)
	}
}

func TestHealthyStagePasses(t *testing.T) {
	x := newRig(t, rigConfig)
	number, sha := x.merge("xarray")
	x.toLive(number, sha, server("bob", image+":"+sha[:12], image+"@"+newAMD64))
	since := x.now
	// Three servers start well during the window; the stage waits for its end.
	x.spawns.set(43, 3)
	for x.now.Before(since.Add(30 * time.Minute)) {
		x.now = x.now.Add(time.Minute)
		x.run(number, false)
		if r := x.rollout(number); x.now.Before(since.Add(30*time.Minute)) && (r.State != Tracking || r.Hubs[0].Health.Verdict != "") {
			t.Fatalf("%s into the window: state %s, health %+v", x.now.Sub(since), r.State, r.Hubs[0].Health)
		}
	}
	r := x.rollout(number)
	if r.State != Live || r.Hubs[0].Health.Verdict != Healthy || r.Hubs[0].Health.Succeeded != 3 {
		t.Fatalf("after the window: state %s, health %+v", r.State, r.Hubs[0].Health)
	}
	statuses := x.statuses(sha)
	want := []string{
		"queued: Waiting for the build",
		"in_progress: Pushed; waiting for the hub's configuration to point at it",
		"in_progress: Live; watching servers start on the new image until 09:32 UTC",
		"success: Healthy: 3 servers started on the new image since 09:02 UTC, none failed",
	}
	if strings.Join(statuses, "\n") != strings.Join(want, "\n") {
		t.Errorf("deployment statuses\n%s\nwant\n%s", strings.Join(statuses, "\n"), strings.Join(want, "\n"))
	}
	body := x.comment(number)
	for _, want := range []string{"**Live and healthy** on prod since 2026-11-24 09:32 UTC.",
		"| Healthy: [prod](https://hub.example.org) | ✅ | 2026-11-24 09:32 UTC | 3 servers started since 09:02 UTC, none failed |"} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks %q:\n%s", want, body)
		}
	}
}

// TestRollbackToPreviousRollout: the rollback names the image of the
// previous rollout that was healthy on the hub.
func TestRollbackToPreviousRollout(t *testing.T) {
	x := newRig(t, rigConfig)
	first, firstSHA := x.merge("first")
	x.toLive(first, firstSHA, server("bob", image+":"+firstSHA[:12], image+"@"+newAMD64))
	x.now = x.now.Add(31 * time.Minute)
	x.run(first, false)
	if r := x.rollout(first); r.State != Live {
		t.Fatalf("first rollout: %s", r.State)
	}
	x.now = x.now.Add(time.Hour)
	second, _ := x.merge("second")
	x.run(second, false)
	r := x.rollout(second)
	if b := r.Hubs[0].Before; b.Rollout != first || b.Digest != newIndex || b.Tag != firstSHA[:12] {
		t.Errorf("before the second rollout: %+v", b)
	}
}

func TestStallCostsBoundedEdits(t *testing.T) {
	x := newRig(t, rigConfig)
	number, sha := x.merge("stall")
	x.run(number, false)
	x.repo.PutWorkflowRun(fakegithub.WorkflowRun{Name: "Build", HeadSHA: sha, HeadBranch: "main", Status: "completed", Conclusion: "success"})
	x.writes()
	// The tag never reaches the registry: six hours of the poll schedule.
	rounds := 0
	for round := 2; ; round++ {
		x.now = x.now.Add(Poll(round))
		rounds++
		if x.run(number, false) == -1 {
			break
		}
	}
	writes := x.writes()
	t.Logf("%d rounds over %s", rounds, x.now.Sub(x.rollout(number).MergedAt))
	want := []string{
		"repos/create-deployment-status", "issues/update-comment", // the build succeeded
		"issues/update-comment",                                   // ten minutes later: why the tag is missing
		"repos/create-deployment-status", "issues/update-comment", // timed out
	}
	if strings.Join(writes, " ") != strings.Join(want, " ") {
		t.Errorf("%d rounds over %s wrote %q; want %q", rounds, x.now.Sub(x.rollout(number).MergedAt), writes, want)
	}
}

// TestCommandDuringRound: a command that comes while a round runs gets a
// round of its own right after it, and so does a newer merge.
func TestCommandDuringRound(t *testing.T) {
	x := newRig(t, rigConfig)
	number, sha := x.merge("one")
	x.run(number, false)
	x.repo.PutWorkflowRun(fakegithub.WorkflowRun{Name: "Build", HeadSHA: sha, HeadBranch: "main", Status: "completed", Conclusion: "success"})

	during := func(what func()) time.Duration {
		x.reg.mu.Lock()
		x.reg.block, x.reg.calls = make(chan struct{}), make(chan struct{}, 1)
		x.reg.mu.Unlock()
		next := make(chan time.Duration)
		go func() {
			d, err := x.work(number, false)
			if err != nil {
				t.Errorf("round: %v", err)
			}
			next <- d
		}()
		<-x.reg.calls // the round is running
		what()
		x.reg.mu.Lock()
		close(x.reg.block)
		x.reg.block = nil
		x.reg.mu.Unlock()
		return <-next
	}
	if next := during(func() {}); next != 20*time.Second {
		t.Errorf("a round alone waits %s, want the schedule's 20s", next)
	}
	command := &CommandWorker{Tracker: x.tracker, Queue: &wakes{}}
	x.repo.SetPermission("maintainer", "write")
	id := x.repo.AddComment(number, "maintainer", "/imagebot rollout")
	next := during(func() {
		err := command.Work(context.Background(), &river.Job[CommandArgs]{JobRow: &rivertype.JobRow{ID: 2},
			Args: CommandArgs{Repo: "example-hub/notebook", Number: number, Installation: 42, CommentID: id}})
		if err != nil {
			t.Error(err)
		}
	})
	if next != 0 {
		t.Errorf("after a command during the round, the next round comes in %s, want at once", next)
	}
	if r := x.rollout(number); r.Requests != 1 || r.Served != 0 {
		t.Errorf("requests %d, served %d", r.Requests, r.Served)
	}
	if next := x.run(number, false); next != 20*time.Second {
		t.Errorf("the round that answers the command is followed in %s, want 20s", next)
	}
	if r := x.rollout(number); r.Served != 1 {
		t.Errorf("served %d", r.Served)
	}

	// A newer merge while a round runs: the round's write keeps it, and the
	// next round, at once, supersedes.
	var newer int
	if next := during(func() { newer, _ = x.merge("two") }); next != 0 {
		t.Errorf("after a newer merge during the round, the next round comes in %s, want at once", next)
	}
	if r := x.rollout(number); r.Newer != newer {
		t.Fatalf("the round lost the newer merge: %+v", r.Newer)
	}
	x.run(number, false)
	if r := x.rollout(number); r.State != Superseded {
		t.Errorf("state %s, want superseded", r.State)
	}
}
