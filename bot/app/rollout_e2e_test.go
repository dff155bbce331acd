package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/imagebot/imagebot/bot/rollout"
	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
	"github.com/imagebot/imagebot/internal/testregistry"
)

// The rollout end-to-end tests run the assembled App in process against
// the fake GitHub, a real registry (in-process, and Debian's
// docker-registry when installed) and client-go's fake clientset, and
// deliver real (edited) webhook payloads to it.

const secret = "rollout-e2e-secret"

// world is one test's GitHub, registry, clusters and App.
type world struct {
	t        *testing.T
	gh       *fakegithub.Server
	repo     *fakegithub.Repo
	infra    *fakegithub.Repo
	host     string // the registry
	image    string
	clusters map[string]*fake.Clientset
	srv      *httptest.Server
	logs     *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newWorld starts the App with an operator configuration built by cfg
// from the registry host; opts replace parts of the App after the test's
// own (a poll every 100 ms).
func newWorld(t *testing.T, host string, cfg func(image string) string, opts ...Option) *world {
	fixtures.OpenAPIPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, host: host, image: host + "/example-hub/notebook", logs: &syncBuffer{},
		clusters: map[string]*fake.Clientset{"staging": fake.NewClientset(), "prod": fake.NewClientset()}}
	w.gh = fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey))
	w.repo = w.gh.AddRepo("example-hub", "notebook")
	w.infra = w.gh.AddRepo("example-hub", "infrastructure")
	w.gh.AddInstallation(42, "example-hub", w.repo, w.infra)
	w.repo.Commit("main", map[string]string{"README.md": "# notebook image\n"})
	w.infra.Commit("main", map[string]string{"config/prod.values.yaml": "jupyterhub:\n  singleuser:\n    image:\n      name: " + w.image + "\n      # the image tag, bumped per rollout\n      tag: \"old0000000000\"\n"})

	dir := t.TempDir()
	configPath := filepath.Join(dir, "imagebot.yml")
	if err := os.WriteFile(configPath, []byte(cfg(w.image)), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &settings.Settings{AppID: 1, WebhookSecret: []byte(secret), APIURL: w.gh.URL(),
		PrivateKey:  pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		DatabaseURL: filepath.Join(dir, "imagebot.db"), ConfigPath: configPath,
		JobTimeout: 10 * time.Second, RescueAfter: time.Minute, PollInterval: 20 * time.Millisecond}
	logger := slog.New(slog.NewTextHandler(w.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clusters := &rollout.KubeClusters{NewClient: func(kubeconfig, context string, _ bool) (kubernetes.Interface, error) {
		return w.clusters[context], nil
	}}
	resolver := registry.NewResolver(registry.WithInsecureRegistries(host),
		registry.WithTransport(&http.Transport{DialContext: testregistry.DialLoopback}))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := New(ctx, s, logger, append([]Option{WithClusters(clusters), WithRegistry(resolver),
		WithPollSchedule(func(int) time.Duration { return 100 * time.Millisecond })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	w.srv = httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		w.srv.Close()
		stop, done := context.WithTimeout(context.Background(), 10*time.Second)
		defer done()
		a.Stop(stop)
		cancel()
		if t.Failed() {
			t.Logf("imagebot logs:\n%s", w.logs.String())
		}
	})
	return w
}

const twoHubs = `hubs:
  - name: staging
    url: https://staging.hub.example.org
    kubernetes:
      context: staging
      namespace: jhub
    healthy: {window: 2s}
  - name: prod
    url: https://hub.example.org
    kubernetes:
      context: prod
      namespace: jhub
    configRepo:
      repository: example-hub/infrastructure
      path: config/prod.values.yaml
      key: jupyterhub.singleuser.image.tag
      openPullRequest: true
    healthy: {window: 2s}
repositories:
  - repository: example-hub/notebook
    image: %s
    workflow: Build and push container image
    hubs: [staging, prod]
    timeout: %s
    configureWithin: %s
`

// deliver posts a signed webhook.
func (w *world) deliver(event string, payload []byte) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/api/github/webhooks", bytes.NewReader(payload))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("%s-%d", event, time.Now().UnixNano()))
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), payload))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		w.t.Fatalf("%s delivery: status %d", event, resp.StatusCode)
	}
}

// merge opens and merges a pull request and delivers pull_request.closed.
func (w *world) merge(branch, title string) (number int, sha string) {
	w.repo.Commit(branch, map[string]string{"environment.yml": "dependencies:\n  - python=3.12\n# " + title + "\n"})
	number = w.repo.OpenPull(branch, "main", fakegithub.PullTitle(title))
	sha = w.repo.MergePull(number, "maintainer")
	w.deliver("pull_request", fixtures.EditedWebhook(w.t, "pull_request", "closed", map[string]any{
		"installation.id": 42, "repository.name": "notebook", "repository.full_name": "example-hub/notebook",
		"repository.owner.login": "example-hub", "number": number, "pull_request.number": number,
		"pull_request.title": title, "pull_request.merged": true, "pull_request.merge_commit_sha": sha,
		"pull_request.merged_at": time.Now().UTC().Format(time.RFC3339),
	}))
	return number, sha
}

// build sets the build workflow's run and delivers workflow_run.
func (w *world) build(sha, status, conclusion string, id int64) int64 {
	run := w.repo.PutWorkflowRun(fakegithub.WorkflowRun{ID: id, Name: "Build and push container image", HeadSHA: sha,
		HeadBranch: "main", Status: status, Conclusion: conclusion})
	w.deliver("workflow_run", fixtures.EditedWebhook(w.t, "workflow_run", "completed", map[string]any{
		"installation.id": 42, "repository.name": "notebook", "repository.full_name": "example-hub/notebook",
		"repository.owner.login": "example-hub", "workflow_run.head_sha": sha, "workflow_run.id": run.ID,
		"workflow_run.status": status, "workflow_run.conclusion": conclusion, "workflow_run.name": run.Name,
	}))
	return run.ID
}

func (w *world) comment(number int) string {
	for _, c := range w.gh.Comments("example-hub/notebook", number) {
		if strings.HasSuffix(c.Body, rollout.Marker) {
			return c.Body
		}
	}
	return ""
}

// rounds counts the rollout rounds the App has logged.
func (w *world) rounds() int { return strings.Count(w.logs.String(), "rollout round") }

// nextRound waits until another round ends.
func (w *world) nextRound() {
	w.t.Helper()
	n := w.rounds()
	deadline := time.Now().Add(time.Minute)
	for w.rounds() == n {
		if time.Now().After(deadline) {
			w.t.Fatal("timed out waiting for a rollout round")
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (w *world) eventually(within time.Duration, what string, ok func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	w.t.Fatalf("timed out waiting for %s", what)
}

// statuses returns each hub's deployment statuses for a merge commit.
func (w *world) statuses(sha string) map[string][]string {
	out := map[string][]string{}
	for _, d := range w.gh.Deployments("example-hub/notebook") {
		if d.SHA != sha {
			continue
		}
		for _, s := range d.Statuses {
			out[d.Environment] = append(out[d.Environment], s.State)
		}
	}
	return out
}

func last(states []string) string {
	if len(states) == 0 {
		return ""
	}
	return states[len(states)-1]
}

// pods put user servers and image pullers into a hub's fake cluster.
func (w *world) pods(hub string, pods ...*corev1.Pod) {
	w.t.Helper()
	for _, p := range pods {
		c := w.clusters[hub].CoreV1().Pods("jhub")
		if _, err := c.Get(context.Background(), p.Name, metav1.GetOptions{}); err == nil {
			if _, err := c.Update(context.Background(), p, metav1.UpdateOptions{}); err != nil {
				w.t.Fatal(err)
			}
			continue
		}
		if _, err := c.Create(context.Background(), p, metav1.CreateOptions{}); err != nil {
			w.t.Fatal(err)
		}
	}
}

func userServer(name, node, image, imageID string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "jhub", Labels: map[string]string{"component": "singleuser-server", "hub.jupyter.org/username": name}},
		Spec:       corev1.PodSpec{NodeName: node, Containers: []corev1.Container{{Name: "notebook", Image: image}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{
			{Name: "notebook", Image: image, ImageID: imageID, Ready: true}}},
	}
}

func puller(node, image, imageID string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "continuous-image-puller-" + node, Namespace: "jhub", Labels: map[string]string{"component": "continuous-image-puller"}},
		Spec: corev1.PodSpec{NodeName: node, InitContainers: []corev1.Container{{Name: "image-pull-singleuser", Image: image}},
			Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.9"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, InitContainerStatuses: []corev1.ContainerStatus{
			{Name: "image-pull-singleuser", Image: image, ImageID: imageID}}},
	}
}

const oldDigest = "sha256:0000000000000000000000000000000000000000000000000000000000000001"

func TestRolloutToLive(t *testing.T) {
	testregistry.ForEach(t, func(t *testing.T, host string) {
		w := newWorld(t, host, func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
		old := w.image + ":old0000000000"
		w.pods("staging", puller("node-a", old, w.image+"@"+oldDigest), userServer("alice", "node-a", old, "docker-pullable://"+w.image+"@"+oldDigest))
		w.pods("prod", puller("node-b", old, w.image+"@"+oldDigest))

		number, sha := w.merge("sqlite", "Pin sqlite and libsqlite together")
		tag := sha[:12]
		w.eventually(time.Minute, "the rollout comment and two deployments", func() bool {
			return strings.Contains(w.comment(number), "waiting for the build") && len(w.statuses(sha)) == 2
		})

		// built: the workflow runs and succeeds.
		run := w.build(sha, "in_progress", "", 0)
		w.eventually(time.Minute, "the build in progress", func() bool { return strings.Contains(w.comment(number), "is in progress") })
		w.build(sha, "completed", "success", run)
		w.eventually(time.Minute, "the build done", func() bool {
			return strings.Contains(w.comment(number), "| Built | ✅ |")
		})

		// published: the image is pushed as a multi-arch index.
		index, amd64 := testregistry.PushMultiArch(t, w.image+":"+tag)
		w.eventually(time.Minute, "the digest", func() bool { return strings.Contains(w.comment(number), index[:19]) })

		// configured: imagebot opens the bump on prod's values file; the
		// operator merges it; staging's pullers move to the new tag.
		var bump fakegithub.PullRequest
		w.eventually(time.Minute, "the bump pull request", func() bool {
			for n := 1; n <= 3; n++ {
				if strings.Contains(w.comment(number), fmt.Sprintf("infrastructure/pull/%d", n)) {
					bump = w.gh.Pull("example-hub/infrastructure", n)
					return true
				}
			}
			return false
		})
		w.infra.MergePull(bump.Number, "operator")
		newRef := w.image + ":" + tag
		w.pods("staging", puller("node-a", newRef, w.image+"@"+amd64))
		w.pods("prod", puller("node-b", newRef, "docker-pullable://"+w.image+"@"+index))
		w.eventually(time.Minute, "both hubs configured", func() bool {
			return strings.Count(w.comment(number), "points at the new image") == 2
		})
		// While nothing changes, a round reads prod's values file and
		// writes nothing: the comment and the deployment statuses stand.
		// Counts are taken right after a round ends, so that none is cut
		// in two.
		w.nextRound()
		w.nextRound()
		reads, writes, rounds := installationCalls(w.gh.Reads()), installationCalls(w.gh.Writes()), w.rounds()
		for range 3 {
			w.nextRound()
		}
		rounds = w.rounds() - rounds
		reads, writes = installationCalls(w.gh.Reads())-reads, installationCalls(w.gh.Writes())-writes
		if writes != 0 || reads != rounds {
			t.Errorf("steady rounds: %d rounds made %d reads and %d writes; want one read each and no writes", rounds, reads, writes)
		}

		// live: a server starts on each hub, on either digest.
		w.pods("staging", userServer("bob", "node-a", newRef, w.image+"@"+amd64))
		w.pods("prod", userServer("carol", "node-b", newRef, "docker-pullable://"+w.image+"@"+index))
		w.eventually(time.Minute, "live and healthy on both hubs", func() bool {
			return strings.Contains(w.comment(number), "**Live and healthy** on staging, prod")
		})

		body := w.comment(number)
		for _, want := range []string{
			"| Merged | ✅ | 20", fmt.Sprintf("(https://github.com/example-hub/notebook/commit/%s)", sha),
			"[Build and push container image &#35;1](https://github.com/example-hub/notebook/actions/runs/",
			"| Published | ✅ | 20", "linux/amd64 `" + amd64[:19] + "`",
			"| Configured: [staging](https://staging.hub.example.org) | ✅ | 20",
			"| Configured: [prod](https://hub.example.org) | ✅ | 20", "[bump pull request](https://github.com/example-hub/infrastructure/pull/",
			"| Live: [staging](https://staging.hub.example.org) | ✅ | 20", "1 server on the new image, 1 on older ones",
			"| Live: [prod](https://hub.example.org) | ✅ | 20",
			"| Healthy: [staging](https://staging.hub.example.org) | ✅ | 20", "| Healthy: [prod](https://hub.example.org) | ✅ | 20",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("the comment lacks %q:\n%s", want, body)
			}
		}
		if n := len(w.gh.Comments("example-hub/notebook", number)); n != 1 {
			t.Errorf("%d comments on the merged pull request, want the one rollout comment", n)
		}
		w.eventually(time.Minute, "deployments in success", func() bool {
			s := w.statuses(sha)
			return last(s["staging"]) == "success" && last(s["prod"]) == "success"
		})
		for hub, states := range w.statuses(sha) {
			if states[0] != "queued" || !contains(states, "in_progress") {
				t.Errorf("%s statuses %v: want queued, in_progress, …, success", hub, states)
			}
		}
	})
}

func TestRolloutStallsOnLatest(t *testing.T) {
	host := testregistry.InProcess(t)
	w := newWorld(t, host, func(image string) string {
		return fmt.Sprintf(`hubs:
  - name: staging
    url: https://staging.hub.example.org
    kubernetes:
      context: staging
      namespace: jhub
repositories:
  - repository: example-hub/notebook
    image: %s
    workflow: Build and push container image
    hubs: [staging]
    timeout: 4s
    configureWithin: 1s
`, image)
	})
	latest := w.image + ":latest"
	w.pods("staging", puller("node-a", latest, w.image+"@"+oldDigest), puller("node-b", latest, w.image+"@"+oldDigest),
		userServer("alice", "node-a", latest, w.image+"@"+oldDigest))
	number, sha := w.merge("bump", "Add xarray")
	w.build(sha, "completed", "success", 0)
	testregistry.PushMultiArch(t, w.image+":"+sha[:12])
	w.eventually(time.Minute, "the rollout to time out", func() bool {
		return strings.Contains(w.comment(number), "**Stopped following** after 4s")
	})
	body := w.comment(number)
	want := fmt.Sprintf("Hub `staging` follows the mutable tag `%s`, and 2 of its 2 nodes still hold the old image, so user servers keep starting from the old digest until the nodes pull again. Pin the hub to `%s:%s` in its configuration.", latest, w.image, sha[:12])
	if !strings.Contains(body, want) {
		t.Errorf("the comment lacks the guidance\n%s\n%s", want, body)
	}
	w.eventually(time.Minute, "the deployment in failure", func() bool { return last(w.statuses(sha)["staging"]) == "failure" })
}

func TestRolloutSuperseded(t *testing.T) {
	host := testregistry.InProcess(t)
	w := newWorld(t, host, func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
	first, firstSHA := w.merge("one", "First change")
	w.eventually(time.Minute, "the first rollout", func() bool { return len(w.statuses(firstSHA)) == 2 })
	second, secondSHA := w.merge("two", "Second change")
	w.eventually(time.Minute, "the first rollout superseded", func() bool {
		s := w.statuses(firstSHA)
		return strings.Contains(w.comment(first), fmt.Sprintf("**Superseded** by #%d", second)) &&
			last(s["staging"]) == "inactive" && last(s["prod"]) == "inactive"
	})
	w.eventually(time.Minute, "the second rollout", func() bool {
		return strings.Contains(w.comment(second), "waiting for the build") && len(w.statuses(secondSHA)) == 2
	})
}

func TestRolloutCommand(t *testing.T) {
	host := testregistry.InProcess(t)
	w := newWorld(t, host, func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
	number, _ := w.merge("one", "A change")
	w.eventually(time.Minute, "the rollout comment", func() bool { return w.comment(number) != "" })
	w.repo.SetPermission("maintainer", "write")
	for _, tt := range []struct{ user, association, reaction string }{{"maintainer", "COLLABORATOR", "rocket"}, {"visitor", "CONTRIBUTOR", "confused"}} {
		id := w.repo.AddComment(number, tt.user, "/imagebot rollout")
		w.deliver("issue_comment", fixtures.EditedWebhook(t, "issue_comment", "created", map[string]any{
			"installation.id": 42, "repository.name": "notebook", "repository.full_name": "example-hub/notebook",
			"repository.owner.login": "example-hub", "issue.number": number,
			"issue.pull_request": map[string]any{"url": "https://api.github.com/repos/example-hub/notebook/pulls/" + fmt.Sprint(number)},
			"comment.id":         id, "comment.body": "/imagebot rollout", "comment.user.login": tt.user,
			"comment.author_association": tt.association,
		}))
		w.eventually(time.Minute, tt.user+"'s reaction", func() bool {
			for _, c := range w.gh.Comments("example-hub/notebook", number) {
				if c.ID == id && len(c.Reactions) == 1 {
					if c.Reactions[0].Content != tt.reaction {
						t.Errorf("%s got %q, want %q", tt.user, c.Reactions[0].Content, tt.reaction)
					}
					return true
				}
			}
			return false
		})
	}
	if n := len(w.gh.Comments("example-hub/notebook", number)); n != 3 {
		t.Errorf("%d comments: the command must be answered with a reaction, not a comment", n)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestRolloutBuildFails(t *testing.T) {
	w := newWorld(t, testregistry.InProcess(t), func(image string) string { return fmt.Sprintf(twoHubs, image, "6h", "30m") })
	number, sha := w.merge("broken", "A change that breaks the build")
	w.eventually(time.Minute, "the rollout", func() bool { return len(w.statuses(sha)) == 2 })
	w.build(sha, "completed", "failure", 0)
	w.eventually(time.Minute, "the failed rollout", func() bool {
		s := w.statuses(sha)
		return strings.Contains(w.comment(number), "**Failed:** the build failed") &&
			last(s["staging"]) == "failure" && last(s["prod"]) == "failure"
	})
	body := w.comment(number)
	if !strings.Contains(body, "| Built | ❌ |") || !strings.Contains(body, "The build failed: [Build and push container image &#35;1](https://github.com/example-hub/notebook/actions/runs/") {
		t.Errorf("the comment does not link the failed run:\n%s", body)
	}
}

// installationCalls counts the calls made with an installation token: the
// rollouts' own, without the App's (such as the delivery sweep's listing).
func installationCalls(calls []fakegithub.Call) int {
	n := 0
	for _, c := range calls {
		if c.Installation != 0 {
			n++
		}
	}
	return n
}
