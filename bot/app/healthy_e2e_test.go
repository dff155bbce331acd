package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/imagebot/imagebot/internal/testhub"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// The healthy stage end to end: a merged pull request goes live on a hub
// that is a real JupyterHub (Debian's 3.0, see internal/testhub), whose
// spawns then fail or succeed; its pods come from client-go's fake
// clientset.

// realHub is the operator's configuration of one hub, prod, whose API is a
// real JupyterHub's, with its metrics token in IMAGEBOT_TEST_HUB_TOKEN.
const realHub = `hubs:
  - name: prod
    url: https://hub.example.org
    apiURL: %s
    kubernetes:
      context: prod
      namespace: jhub
    configRepo:
      repository: example-hub/infrastructure
      path: config/prod.values.yaml
      key: jupyterhub.singleuser.image.tag
      openPullRequest: true
    metrics:
      tokenEnv: IMAGEBOT_TEST_HUB_TOKEN
    healthy:
      window: %s
      failures: 2
repositories:
  - repository: example-hub/notebook
    image: %s
    workflow: Build and push container image
    hubs: [prod]
`

// crashLooping is a user server whose container exits with code 1 and is
// started again and again.
func crashLooping(name, node, image, imageID string) *corev1.Pod {
	p := userServer(name, node, image, imageID)
	st := &p.Status.ContainerStatuses[0]
	st.Ready = false
	st.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff", Message: "back-off restarting failed container"}}
	st.LastTerminationState = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"}}
	return p
}

// toLive takes a merge through build, push and imagebot's bump of prod's
// values file (merged by the operator) to live: live is the user server
// that runs the new image. It returns the merged pull request's number,
// its merge SHA and the new image's reference.
func (w *world) toLive(live func(ref, imageID string) *corev1.Pod) (int, string, string) {
	t := w.t
	t.Helper()
	old := w.image + ":old0000000000"
	w.pods("prod", puller("node-a", old, w.image+"@"+oldDigest), userServer("alice", "node-a", old, w.image+"@"+oldDigest))
	number, sha := w.merge("sqlite", "Add geopandas")
	w.build(sha, "completed", "success", 0)
	ref := w.image + ":" + sha[:12]
	index, _ := testregistry.PushMultiArch(t, ref)
	w.eventually(time.Minute, "the bump pull request", func() bool {
		return strings.Contains(w.comment(number), "(https://github.com/example-hub/infrastructure/pull/1)")
	})
	w.infra.MergePull(1, "operator")
	w.pods("prod", puller("node-a", ref, w.image+"@"+index), live(ref, w.image+"@"+index))
	w.eventually(time.Minute, "live, and the healthy stage watching", func() bool {
		return strings.Contains(w.comment(number), "| ✅ | 20") && strings.Contains(w.comment(number), "watching servers start until")
	})
	return number, sha, ref
}

func TestHealthyStageFailsOnRealHub(t *testing.T) {
	hub := testhub.Start(t, testhub.Broken)
	t.Setenv("IMAGEBOT_TEST_HUB_TOKEN", hub.MetricsToken)
	const interval = time.Second
	w := newWorld(t, testregistry.InProcess(t), func(image string) string { return fmt.Sprintf(realHub, hub.URL, "30m", image) },
		WithPollSchedule(func(int) time.Duration { return interval }))
	number, sha, _ := w.toLive(func(ref, id string) *corev1.Pod { return crashLooping("bob", "node-a", ref, id) })
	since := w.rolloutHealth(number)

	// Two users start servers; the hub's spawns fail.
	hub.Spawn(t, "carol")
	hub.Spawn(t, "dave")
	var first, failed time.Time
	w.eventually(time.Minute, "the hub to count two failed spawns", func() bool {
		_, failures := hub.Spawns(t)
		if failures > 0 && first.IsZero() {
			first = time.Now()
		}
		failed = time.Now()
		return failures == 2
	})
	words := fmt.Sprintf("2 of 2 servers started since %s failed on the new image (exit code 1)", since)
	w.eventually(time.Minute, "the comment to say failing", func() bool {
		return strings.Contains(w.comment(number), "**Failing** on hub `prod`: "+words+".")
	})
	t.Logf("time to the comment saying failing: %s from the first failed spawn, %s from the second (poll interval %s)",
		time.Since(first).Round(10*time.Millisecond), time.Since(failed).Round(10*time.Millisecond), interval)

	w.eventually(time.Minute, "the deployment in failure", func() bool {
		return last(w.statuses(sha)["prod"]) == "failure"
	})
	if d := w.lastStatus(sha, "prod"); d != "Failing: "+words {
		t.Errorf("deployment status %q", d)
	}
	w.eventually(time.Minute, "the rollback pull request in the comment", func() bool {
		return strings.Contains(w.comment(number), "[the rollback pull request](https://github.com/example-hub/infrastructure/pull/2)")
	})
	body := w.comment(number)
	for _, want := range []string{
		"> ↩️ Roll back hub `prod`: merge [the rollback pull request](https://github.com/example-hub/infrastructure/pull/2), which sets the hub's configuration back to `old0000000000`: the image `sha256:000000000000`, which ran there before.",
		"| Healthy: [prod](https://hub.example.org) | ❌ |",
		"Revert #" + fmt.Sprint(number) + " in this repository (the **Revert** button on [the pull request](https://github.com/example-hub/notebook/pull/" + fmt.Sprint(number) + "))",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment lacks\n%s\n%s", want, body)
		}
	}
	rollback := w.gh.Pull("example-hub/infrastructure", 2)
	if rollback.Head != "imagebot/rollback-prod-"+sha[:12] || rollback.State != "open" {
		t.Errorf("rollback pull request %+v", rollback)
	}
	if content, _ := w.infra.File(rollback.Head, "config/prod.values.yaml"); !strings.Contains(content, `tag: "old0000000000"`) {
		t.Errorf("the rollback branch's values file:\n%s", content)
	}
	if n := w.pullsOpened("example-hub/infrastructure"); n != 2 {
		t.Errorf("%d pull requests on the infrastructure repository, want the bump and one rollback", n)
	}
	if strings.Contains(w.logs.String(), hub.MetricsToken) {
		t.Error("the logs hold the hub's token")
	}
}

func TestHealthyStagePassesOnRealHub(t *testing.T) {
	hub := testhub.Start(t, testhub.Working)
	t.Setenv("IMAGEBOT_TEST_HUB_TOKEN", hub.MetricsToken)
	w := newWorld(t, testregistry.InProcess(t), func(image string) string { return fmt.Sprintf(realHub, hub.URL, "5s", image) },
		WithPollSchedule(func(int) time.Duration { return 500 * time.Millisecond }))
	number, sha, _ := w.toLive(func(ref, id string) *corev1.Pod { return userServer("bob", "node-a", ref, id) })
	since := w.rolloutHealth(number)
	hub.Spawn(t, "carol")
	w.eventually(time.Minute, "the hub to count the spawn", func() bool {
		success, _ := hub.Spawns(t)
		return success == 1
	})
	w.eventually(time.Minute, "the rollout to end live and healthy", func() bool {
		return strings.Contains(w.comment(number), "**Live and healthy** on prod since ")
	})
	if !strings.Contains(w.comment(number), "| Healthy: [prod](https://hub.example.org) | ✅ |") {
		t.Errorf("the comment:\n%s", w.comment(number))
	}
	w.eventually(time.Minute, "the deployment in success", func() bool { return last(w.statuses(sha)["prod"]) == "success" })
	if d, want := w.lastStatus(sha, "prod"), "Healthy: 1 server started on the new image since "+since+", none failed"; d != want {
		t.Errorf("deployment status %q, want %q", d, want)
	}
}

// rolloutHealth reads from the comment when the healthy stage began
// watching ("09:14 UTC").
func (w *world) rolloutHealth(number int) string {
	w.t.Helper()
	body := w.comment(number)
	_, rest, ok := strings.Cut(body, " started since ")
	if !ok || len(rest) < len("09:14 UTC") {
		w.t.Fatalf("the comment does not say since when it watches:\n%s", body)
	}
	return rest[:len("09:14 UTC")]
}

// lastStatus is the description of a hub's last deployment status.
func (w *world) lastStatus(sha, hub string) string {
	for _, d := range w.gh.Deployments("example-hub/notebook") {
		if d.SHA == sha && d.Environment == hub && len(d.Statuses) > 0 {
			return d.Statuses[len(d.Statuses)-1].Description
		}
	}
	return ""
}

// pullsOpened counts the pull requests imagebot opened on a repository.
func (w *world) pullsOpened(repo string) int {
	n := 0
	for _, c := range w.gh.Writes() {
		if c.OperationID == "pulls/create" && strings.HasPrefix(c.Path, "/repos/"+repo+"/") {
			n++
		}
	}
	return n
}
