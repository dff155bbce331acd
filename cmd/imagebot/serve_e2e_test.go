package main

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/review"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// The end-to-end tests run the real `imagebot serve` binary against the
// fake GitHub, and deliver real (edited) webhook payloads to it.

const webhookSecret = "e2e-webhook-secret"

// process is one running `imagebot serve` process.
type process struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	logs *bytes.Buffer
}

// env is what every process of one test shares: the fake GitHub, the
// App's key and its database.
type env struct {
	t    *testing.T
	gh   *fakegithub.Server
	pem  string
	db   string
	logs []*bytes.Buffer
}

func newEnv(t *testing.T) *env {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	e := &env{t: t, gh: fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey)), pem: pemText,
		db: filepath.Join(t.TempDir(), "imagebot.db")}
	t.Cleanup(func() {
		if t.Failed() {
			for i, l := range e.logs {
				t.Logf("imagebot process %d logs:\n%s", i, l.String())
			}
		}
	})
	return e
}

// start runs `imagebot serve` and waits until it is healthy.
func (e *env) start() *process {
	t := e.t
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(imagebotBinary(t), "serve")
	cmd.Env = append(os.Environ(),
		"GITHUB_APP_ID=1", "GITHUB_APP_PRIVATE_KEY="+e.pem, "GITHUB_WEBHOOK_SECRET="+webhookSecret,
		"GITHUB_API_URL="+e.gh.URL(), "IMAGEBOT_LISTEN="+addr, "IMAGEBOT_DATABASE_URL="+e.db,
		"IMAGEBOT_JOB_POLL_INTERVAL=50ms", "IMAGEBOT_JOB_TIMEOUT=10s", "IMAGEBOT_JOB_RESCUE_AFTER=12s",
		"IMAGEBOT_LOG_LEVEL=debug")
	logs := &bytes.Buffer{}
	e.logs = append(e.logs, logs)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	a := &process{t: t, cmd: cmd, addr: addr, logs: logs}
	t.Cleanup(func() { a.kill() })
	eventually(t, 20*time.Second, "imagebot to become ready", func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return a
}

// kill ends the process at once, as a crash or an OOM kill would.
func (a *process) kill() {
	if a.cmd.ProcessState == nil {
		a.cmd.Process.Signal(syscall.SIGKILL)
		a.cmd.Wait()
	}
}

// deliver posts a signed webhook and returns the status.
func (a *process) deliver(event, id string, payload []byte, secret string) int {
	req, _ := http.NewRequest(http.MethodPost, "http://"+a.addr+"/api/github/webhooks", bytes.NewReader(payload))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), payload))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("deliver %s: %v", event, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func eventually(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", within, what)
}

// pullRequestEvent is the real pull_request example, pointed at our PR.
func pullRequestEvent(t *testing.T, action string, repo *fakegithub.Repo, number int, head, base string, draft bool) []byte {
	owner, name, _ := strings.Cut(repo.FullName(), "/")
	return fixtures.EditedWebhook(t, "pull_request", action, map[string]any{
		"action":                       action,
		"installation.id":              42,
		"repository.name":              name,
		"repository.full_name":         repo.FullName(),
		"repository.owner.login":       owner,
		"number":                       number,
		"pull_request.number":          number,
		"pull_request.draft":           draft,
		"pull_request.head.sha":        head,
		"pull_request.base.sha":        base,
		"pull_request.head.ref":        "bump",
		"pull_request.base.ref":        "main",
		"pull_request.head.repo":       map[string]any{"full_name": repo.FullName(), "name": name},
		"pull_request.base.repo":       map[string]any{"full_name": repo.FullName(), "name": name},
		"pull_request.state":           "open",
		"pull_request.merged":          false,
		"pull_request.user.login":      "maintainer",
		"pull_request.head.user":       map[string]any{"login": owner},
		"pull_request.base.user":       map[string]any{"login": owner},
		"pull_request.head.label":      owner + ":bump",
		"pull_request.base.label":      owner + ":main",
		"pull_request.html_url":        "https://github.com/" + repo.FullName() + "/pull/" + fmt.Sprint(number),
		"sender.login":                 "maintainer",
		"pull_request.requested_teams": []any{},
	})
}

// conclusions returns "name=conclusion" of the runs on a commit, sorted.
func conclusions(runs []fakegithub.CheckRun) []string {
	var out []string
	for _, r := range runs {
		out = append(out, r.Name+"="+r.Conclusion)
	}
	sort.Strings(out)
	return out
}

// counts are the REST calls made, by kind.
type counts struct{ reads, writes int }

func (c counts) String() string { return fmt.Sprintf("%d reads, %d writes", c.reads, c.writes) }

func callsSince(gh *fakegithub.Server, readsBefore, writesBefore int) counts {
	return counts{len(installationReads(gh)) - readsBefore, len(installationWrites(gh)) - writesBefore}
}

var wantConclusions = []string{
	"dependency-diff=neutral", "image-pinned=success", "lockfile-consistent=failure",
	"lockfile-fresh=success", "lockfile-present=success",
}

func TestServe(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the imagebot binary")
	}
	e := newEnv(t)
	repo := e.gh.AddRepo("example-hub", "notebook")
	e.gh.AddInstallation(42, "example-hub", repo)
	base := repo.Commit("main", fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	head1 := repo.Commit("bump", fixtures.ReadTree(t, "../../testdata/repos/outage"))
	number := repo.OpenPull("bump", "main", fakegithub.PullTitle("Add sqlite"))
	a := e.start()

	// A pull request that changes a lock: five completed Check Runs with
	// the right conclusions and annotations, and one sticky comment.
	r0, w0 := len(installationReads(e.gh)), len(installationWrites(e.gh))
	if got := a.deliver("pull_request", "delivery-1", pullRequestEvent(t, "opened", repo, number, head1, base, false), webhookSecret); got != http.StatusAccepted {
		t.Fatalf("opened: status %d", got)
	}
	eventually(t, 30*time.Second, "five check runs and a comment", func() bool {
		return len(e.gh.CheckRuns(repo.FullName(), head1)) == 5 && len(e.gh.Comments(repo.FullName(), number)) == 1
	})
	opened := callsSince(e.gh, r0, w0)
	runs := e.gh.CheckRuns(repo.FullName(), head1)
	if got := conclusions(runs); strings.Join(got, " ") != strings.Join(wantConclusions, " ") {
		t.Errorf("conclusions %v, want %v", got, wantConclusions)
	}
	for _, r := range runs {
		if r.Status != "completed" {
			t.Errorf("%s is %s, want completed", r.Name, r.Status)
		}
		if r.Name == "lockfile-consistent" {
			if len(r.Annotations) != 1 || r.Annotations[0].Path != "conda-lock.yml" || r.Annotations[0].StartLine != 53 ||
				!strings.Contains(r.Annotations[0].Message, "sqlite 3.45.1 requires libsqlite 3.45.1, but the lock has libsqlite 3.53.0 (linux-64).") {
				t.Errorf("lockfile-consistent annotations: %+v", r.Annotations)
			}
		}
		if r.Name == "dependency-diff" && !strings.Contains(r.Summary, "⚠️ 1 downgrade") {
			t.Errorf("dependency-diff summary:\n%s", r.Summary)
		}
	}
	comment := e.gh.Comments(repo.FullName(), number)[0]
	if !strings.HasSuffix(comment.Body, review.Marker) || !strings.Contains(comment.Body, "[sqlite](https://anaconda.org/conda-forge/sqlite)") {
		t.Errorf("comment:\n%s", comment.Body)
	}
	// Writes: 5 Check Runs and 1 comment. Reads: the compare (the
	// changed-file listing), the merge base's tree, the head's tree (only
	// it tells whether a changed file is a symbolic link), and the 8
	// distinct blobs of the 5 wanted files at the base and the 3 the PR
	// changes.
	if opened.writes != 6 || opened.reads != 11 {
		t.Errorf("opened cost %s; want 11 reads and 6 writes:\n%s", opened, describeCalls(e.gh, r0, w0))
	}

	// The same delivery again changes nothing and writes nothing.
	r1, w1 := len(installationReads(e.gh)), len(installationWrites(e.gh))
	if got := a.deliver("pull_request", "delivery-1", pullRequestEvent(t, "opened", repo, number, head1, base, false), webhookSecret); got != http.StatusAccepted {
		t.Fatalf("redelivery: status %d", got)
	}
	time.Sleep(time.Second)
	if c := callsSince(e.gh, r1, w1); c.reads != 0 || c.writes != 0 {
		t.Errorf("redelivery cost %s; want none", c)
	}

	// A forged signature gets 401 and causes no work.
	if got := a.deliver("pull_request", "delivery-forged", pullRequestEvent(t, "synchronize", repo, number, head1, base, false), "not-the-secret"); got != http.StatusUnauthorized {
		t.Errorf("forged: status %d, want 401", got)
	}

	// A re-run of the same head whose results did not change writes nothing.
	r2, w2 := len(installationReads(e.gh)), len(installationWrites(e.gh))
	rerun := fixtures.EditedWebhook(t, "check_suite", "rerequested", map[string]any{
		"installation.id": 42, "repository.name": "notebook", "repository.full_name": repo.FullName(),
		"repository.owner.login": "example-hub", "check_suite.head_sha": head1,
		"check_suite.pull_requests": []any{map[string]any{"number": number, "id": 1, "url": "https://api.github.com/x",
			"head": map[string]any{"sha": head1, "ref": "bump", "repo": map[string]any{"id": 1, "name": "notebook", "url": "https://api.github.com/x"}},
			"base": map[string]any{"sha": base, "ref": "main", "repo": map[string]any{"id": 1, "name": "notebook", "url": "https://api.github.com/x"}}}},
	})
	if got := a.deliver("check_suite", "delivery-rerun", rerun, webhookSecret); got != http.StatusAccepted {
		t.Fatalf("rerun: status %d", got)
	}
	eventually(t, 10*time.Second, "the re-run to read the compare", func() bool { return len(installationReads(e.gh)) > r2 })
	time.Sleep(time.Second)
	rerunCost := callsSince(e.gh, r2, w2)
	if rerunCost.reads != 1 || rerunCost.writes != 0 {
		t.Errorf("re-run cost %s; want 1 read (the compare) and 0 writes:\n%s", rerunCost, describeCalls(e.gh, r2, w2))
	}

	// A second push edits the same comment.
	outage := fixtures.ReadTree(t, "../../testdata/repos/outage")
	head2 := repo.Commit("bump", map[string]string{"conda-lock.yml": strings.Replace(outage["conda-lock.yml"], "numpy-2.1.0", "numpy-2.1.1", 1)})
	r3, w3 := len(installationReads(e.gh)), len(installationWrites(e.gh))
	if got := a.deliver("pull_request", "delivery-2", pullRequestEvent(t, "synchronize", repo, number, head2, base, false), webhookSecret); got != http.StatusAccepted {
		t.Fatalf("synchronize: status %d", got)
	}
	eventually(t, 30*time.Second, "check runs on the second push", func() bool {
		return len(e.gh.CheckRuns(repo.FullName(), head2)) == 5 && strings.Contains(e.gh.Comments(repo.FullName(), number)[0].Body, head2[:7])
	})
	// The compare, the new head's tree and the one new blob; Check Runs
	// belong to a commit, so a new head gets five new ones, and the
	// comment is edited.
	pushed := callsSince(e.gh, r3, w3)
	if pushed.reads != 3 || pushed.writes != 6 {
		t.Errorf("second push cost %s; want 3 reads and 6 writes:\n%s", pushed, describeCalls(e.gh, r3, w3))
	}
	comments := e.gh.Comments(repo.FullName(), number)
	if len(comments) != 1 || comments[0].ID != comment.ID {
		t.Errorf("after the second push: %d comments (first id %d, want %d)", len(comments), comments[0].ID, comment.ID)
	}

	// A process killed in the middle of a job finishes that work after a
	// restart, without a duplicate comment or Check Run.
	head3 := repo.Commit("bump", map[string]string{"environment.yml": outage["environment.yml"] + "  - pandas\n"})
	e.gh.Delay("checks/create", 2*time.Second)
	killedAt := time.Now()
	if got := a.deliver("pull_request", "delivery-3", pullRequestEvent(t, "synchronize", repo, number, head3, base, false), webhookSecret); got != http.StatusAccepted {
		t.Fatalf("third push: status %d", got)
	}
	eventually(t, 10*time.Second, "the job to be creating check runs", func() bool {
		return strings.Contains(a.logs.String(), "checks/create") || len(e.gh.CheckRuns(repo.FullName(), head3)) > 0
	})
	time.Sleep(500 * time.Millisecond) // inside the delayed create
	a.kill()
	e.gh.Delay("checks/create", 0)
	time.Sleep(2 * time.Second) // the interrupted create completes on GitHub's side
	before := len(e.gh.CheckRuns(repo.FullName(), head3))
	if before >= 5 {
		t.Fatalf("the job was not interrupted: %d check runs already", before)
	}
	b := e.start()
	eventually(t, 90*time.Second, "the interrupted job to finish after the restart", func() bool {
		return len(e.gh.CheckRuns(repo.FullName(), head3)) >= 5 && strings.Contains(e.gh.Comments(repo.FullName(), number)[0].Body, head3[:7])
	})
	time.Sleep(time.Second)
	names := map[string]int{}
	for _, r := range e.gh.CheckRuns(repo.FullName(), head3) {
		names[r.Name]++
	}
	for name, n := range names {
		if n != 1 {
			t.Errorf("%d check runs named %s on the third push, want 1", n, name)
		}
	}
	if got := e.gh.Comments(repo.FullName(), number); len(got) != 1 {
		t.Errorf("%d comments after the restart, want 1", len(got))
	}
	b.kill()
	t.Logf("REST calls: opened %s; redelivery 0; re-run %s; second push %s; crash recovery took %s",
		opened, rerunCost, pushed, time.Since(killedAt).Round(time.Second))
}

func describeCalls(gh *fakegithub.Server, readsBefore, writesBefore int) string {
	var b strings.Builder
	for _, c := range installationReads(gh)[readsBefore:] {
		fmt.Fprintf(&b, "  read  %s %s\n", c.Method, c.Path)
	}
	for _, c := range installationWrites(gh)[writesBefore:] {
		fmt.Fprintf(&b, "  write %s %s\n", c.Method, c.Path)
	}
	return b.String()
}

// installationReads and installationWrites are the calls made with an
// installation token: the work of jobs, without the App's own calls (such as
// the delivery sweep's listing).
func installationReads(gh *fakegithub.Server) []fakegithub.Call { return installationCalls(gh.Reads()) }
func installationWrites(gh *fakegithub.Server) []fakegithub.Call {
	return installationCalls(gh.Writes())
}

func installationCalls(calls []fakegithub.Call) []fakegithub.Call {
	var out []fakegithub.Call
	for _, c := range calls {
		if c.Installation != 0 {
			out = append(out, c)
		}
	}
	return out
}
