package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// The scale test runs two real `imagebot serve` replicas on one PostgreSQL
// database against a fake GitHub that fails a quarter of the installations'
// calls, delivers a burst of signed webhooks spread across both, kills one
// replica with SIGKILL in the middle and restarts it, and then checks that
// every pull request got exactly its Check Runs and its one comment, that no
// call was made while GitHub had asked an installation to wait, and that the
// delivery sweep recovered, once, a delivery imagebot never received.

// Its size, from issue 9.
const (
	scaleInstallations = 20
	scaleReposEach     = 10 // one pull request each: 200 pull requests
	scaleDeliveries    = 2000
	scaleDuplicates    = 200 // 10% of the deliveries are sent twice
	scaleSenders       = 16
)

// scaleEvents are the deliveries each pull request gets (9 of them, plus one
// duplicate on average): the actions that start a check of its head, and
// some that imagebot ignores.
var scaleEvents = []struct{ event, action string }{
	{"pull_request", "opened"}, {"check_suite", "requested"}, {"pull_request", "labeled"},
	{"pull_request", "assigned"}, {"check_suite", "rerequested"}, {"pull_request", "review_requested"},
	{"check_run", "rerequested"}, {"pull_request", "reopened"}, {"pull_request", "unlabeled"},
}

// scalePull is one pull request of the test.
type scalePull struct {
	installation int64
	repo         *fakegithub.Repo
	number       int
	head, base   string
}

// delivery is one signed webhook to send.
type delivery struct {
	event, id string
	payload   []byte
}

// replica is one `imagebot serve` process, restartable on its address.
type replica struct {
	t    *testing.T
	env  []string
	addr string
	mu   sync.Mutex
	proc *process
	logs []*bytes.Buffer
}

func (r *replica) start() {
	r.t.Helper()
	cmd := exec.Command(imagebotBinary(r.t), "serve")
	cmd.Env = append(os.Environ(), append(r.env, "IMAGEBOT_LISTEN="+r.addr)...)
	logs := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	p := &process{t: r.t, cmd: cmd, addr: r.addr, logs: logs}
	r.t.Cleanup(p.kill)
	eventually(r.t, 30*time.Second, "a replica to become ready", func() bool {
		resp, err := http.Get("http://" + r.addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	r.mu.Lock()
	r.proc, r.logs = p, append(r.logs, logs)
	r.mu.Unlock()
}

// kill kills the process with SIGKILL, as a crash or an OOM kill does.
func (r *replica) kill() {
	r.mu.Lock()
	p := r.proc
	r.proc = nil
	r.mu.Unlock()
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
}

// post sends d to the replica; ok is false when it could not be reached.
func (r *replica) post(d delivery) (status int, ok bool) {
	req, _ := http.NewRequest(http.MethodPost, "http://"+r.addr+"/api/github/webhooks", bytes.NewReader(d.payload))
	req.Header.Set("X-GitHub-Event", d.event)
	req.Header.Set("X-GitHub-Delivery", d.id)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(webhookSecret), d.payload))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, true
}

func TestScaleReplicasUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two imagebot processes on PostgreSQL")
	}
	dbURL := storetest.URL(t, store.Postgres) // skips without IMAGEBOT_TEST_DATABASE_URL
	fixtures.OpenAPIPath(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}))
	gh := fakegithub.New(t, fakegithub.WithAppKey(&key.PublicKey))
	base := fixtures.ReadTree(t, "../../testdata/repos/compliant")
	head := fixtures.ReadTree(t, "../../testdata/repos/outage")

	// 20 installations of 10 repositories, one pull request each, plus one
	// pull request whose only delivery imagebot never receives.
	var pulls []scalePull
	var missed scalePull
	for i := range scaleInstallations {
		installation, account := int64(101+i), fmt.Sprintf("hub-%02d", i+1)
		var repos []*fakegithub.Repo
		for j := range scaleReposEach + 1 {
			repo := gh.AddRepo(account, fmt.Sprintf("image-%02d", j+1))
			p := scalePull{installation: installation, repo: repo, base: repo.Commit("main", base), head: repo.Commit("bump", head)}
			p.number = repo.OpenPull("bump", "main", fakegithub.PullTitle("Bump the lock"))
			repos = append(repos, repo)
			switch {
			case j < scaleReposEach:
				pulls = append(pulls, p)
			case i == 0:
				missed = p
			}
		}
		gh.AddInstallation(installation, account, repos...)
	}

	// The deliveries: 9 per pull request, shuffled, and 200 of them again.
	rng := mathrand.New(mathrand.NewPCG(1, 2))
	var deliveries []delivery
	for _, p := range pulls {
		for _, e := range scaleEvents {
			deliveries = append(deliveries, scaleDelivery(t, p, e.event, e.action, fmt.Sprintf("%s-%d-%s-%s", p.repo.FullName(), p.number, e.event, e.action)))
		}
	}
	rng.Shuffle(len(deliveries), func(i, j int) { deliveries[i], deliveries[j] = deliveries[j], deliveries[i] })
	for range scaleDuplicates {
		at := len(deliveries)/4 + rng.IntN(len(deliveries)*3/4)
		deliveries = append(deliveries[:at+1], deliveries[at:]...)
		deliveries[at+1] = deliveries[rng.IntN(at+1)]
	}
	if len(deliveries) != scaleDeliveries {
		t.Fatalf("%d deliveries planned, want %d", len(deliveries), scaleDeliveries)
	}

	// GitHub's delivery log: the missed pull request's opened failed to
	// connect (imagebot was down); one delivered fine.
	missedDelivery := scaleDelivery(t, missed, "pull_request", "opened", "missed-delivery")
	missedLog := gh.AddHookDelivery(fakegithub.HookDelivery{GUID: missedDelivery.id, Event: "pull_request", Action: "opened",
		StatusCode: 0, DeliveredAt: time.Now().Add(-time.Hour), InstallationID: missed.installation, RepositoryID: missed.repo.ID()})
	gh.AddHookDelivery(fakegithub.HookDelivery{GUID: deliveries[0].id, Event: deliveries[0].event, StatusCode: http.StatusAccepted,
		DeliveredAt: time.Now().Add(-30 * time.Minute), InstallationID: pulls[0].installation})

	env := []string{"GITHUB_APP_ID=1", "GITHUB_APP_PRIVATE_KEY=" + pemText, "GITHUB_WEBHOOK_SECRET=" + webhookSecret,
		"GITHUB_API_URL=" + gh.URL(), "IMAGEBOT_DATABASE_URL=" + dbURL, "IMAGEBOT_LOG_LEVEL=info",
		"IMAGEBOT_JOB_POLL_INTERVAL=100ms", "IMAGEBOT_JOB_TIMEOUT=20s", "IMAGEBOT_JOB_RESCUE_AFTER=30s"}
	replicas := []*replica{{t: t, env: env, addr: freeAddr(t)}, {t: t, env: env, addr: freeAddr(t)}}
	t.Cleanup(func() {
		if t.Failed() {
			for i, r := range replicas {
				for j, l := range r.logs {
					t.Logf("replica %d, process %d logs (last 20 KB):\n%s", i, j, tail(l.String(), 20<<10))
				}
			}
		}
	})
	var redelivered atomic.Int32
	gh.OnRedeliver(func(d fakegithub.HookDelivery) int {
		redelivered.Add(1)
		for _, r := range replicas {
			if status, ok := r.post(missedDelivery); ok {
				return status
			}
		}
		return 0
	})
	gh.InjectFaults(fakegithub.Faults{ServerErrors: 0.20, SecondaryLimits: 0.05, RetryAfter: time.Second, Seed: 9})
	for _, r := range replicas {
		r.start()
	}

	// Send the burst from 16 senders, each delivery to either replica, as a
	// load balancer spreads them; one that cannot reach its replica (killed)
	// goes to the other. A third of the way in, the leader replica is killed
	// and, a second later, restarted on its address.
	started := time.Now()
	var next, sent, accepted atomic.Int64
	statuses := sync.Map{}
	var wg sync.WaitGroup
	for range scaleSenders {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(len(deliveries)) {
					return
				}
				d := deliveries[i]
				first := int(i) % 2
				for attempt := 0; ; attempt++ {
					status, ok := replicas[(first+attempt)%2].post(d)
					if ok && status != http.StatusServiceUnavailable && status < 500 {
						statuses.Store(status, true)
						if status == http.StatusAccepted {
							accepted.Add(1)
						}
						break
					}
					if attempt > 50 {
						t.Errorf("delivery %s: no replica took it (last status %d)", d.id, status)
						break
					}
					time.Sleep(20 * time.Millisecond)
				}
				sent.Add(1)
			}
		})
	}
	// The first sweep has finished before the leader is killed, so that the
	// next leader's sweep is the second. (A sweep still running on the
	// killed replica would hold the next one back until it is rescued.)
	db, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sweepDeadline := time.Now().Add(time.Minute)
	for (sent.Load() < int64(len(deliveries)/3) || !swept(db)) && !t.Failed() {
		if time.Now().After(sweepDeadline) {
			t.Fatal("no replica swept the App's deliveries within a minute of starting")
		}
		time.Sleep(10 * time.Millisecond)
	}
	killed := replicas[leaderIndex(t, dbURL, replicas)]
	killed.kill()
	time.Sleep(time.Second)
	killed.start()
	wg.Wait()
	sendTook := time.Since(started)

	// Every pull request, and the one recovered by the sweep, ends with its
	// five Check Runs on its head and one comment.
	all := append(append([]scalePull(nil), pulls...), missed)
	done := func() int {
		n := 0
		for _, p := range all {
			if len(gh.CheckRuns(p.repo.FullName(), p.head)) >= 5 && len(gh.Comments(p.repo.FullName(), p.number)) >= 1 {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(150 * time.Second)
	for done() < len(all) && time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond)
	}
	drained := time.Since(started)
	// The next leader sweeps once it is elected, which River does when the
	// killed leader's lease runs out.
	for sweeps := 0; sweeps < 2 && time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		sweeps = 0
		for _, c := range gh.Calls() {
			if c.OperationID == "apps/list-webhook-deliveries" {
				sweeps++
			}
		}
	}
	time.Sleep(2 * time.Second) // anything written late would show now

	var lost, duplicated []string
	for _, p := range all {
		runs := gh.CheckRuns(p.repo.FullName(), p.head)
		names, externalIDs := map[string]int{}, map[string]int{}
		for _, r := range runs {
			names[r.Name]++
			externalIDs[r.ExternalID]++
		}
		where := fmt.Sprintf("%s#%d", p.repo.FullName(), p.number)
		for _, want := range wantConclusions {
			name, _, _ := strings.Cut(want, "=")
			switch n := names[name]; {
			case n == 0:
				lost = append(lost, where+" "+name)
			case n > 1:
				duplicated = append(duplicated, fmt.Sprintf("%s %s ×%d", where, name, n))
			}
		}
		for id, n := range externalIDs {
			if n > 1 {
				duplicated = append(duplicated, fmt.Sprintf("%s external_id %s ×%d", where, id[:8], n))
			}
		}
		if got := conclusions(runs); len(runs) == 5 && strings.Join(got, " ") != strings.Join(wantConclusions, " ") {
			t.Errorf("%s: conclusions %v, want %v", where, got, wantConclusions)
		}
		switch n := len(gh.Comments(p.repo.FullName(), p.number)); {
		case n == 0:
			lost = append(lost, where+" comment")
		case n > 1:
			duplicated = append(duplicated, fmt.Sprintf("%s comment ×%d", where, n))
		}
	}
	if len(lost) > 0 {
		t.Errorf("%d writes lost after %s: %v", len(lost), drained.Round(time.Second), lost[:min(len(lost), 20)])
	}
	if len(duplicated) > 0 {
		t.Errorf("%d writes made twice: %v", len(duplicated), duplicated[:min(len(duplicated), 20)])
	}
	if early := gh.CallsDuringRateLimit(); len(early) > 0 {
		t.Errorf("%d calls made before their installation's Retry-After had passed, first %s %s (installation %d at %s)",
			len(early), early[0].Method, early[0].Path, early[0].Installation, early[0].At.Format(time.StampMilli))
	}

	// The sweep ran on the first leader and again on the next one, and asked
	// for the missed delivery once.
	var sweeps, asked, askedMissed int
	var installationCalls, serverErrors, rateLimited int
	for _, c := range gh.Calls() {
		switch {
		case c.OperationID == "apps/list-webhook-deliveries":
			sweeps++
		case c.OperationID == "apps/redeliver-webhook-delivery":
			asked++
			if c.Path == fmt.Sprintf("/app/hook/deliveries/%d/attempts", missedLog.ID) {
				askedMissed++
			}
		case c.Installation != 0:
			installationCalls++
			switch {
			case c.RateLimited:
				rateLimited++
			case c.Status >= 500:
				serverErrors++
			}
		}
	}
	if sweeps < 2 || asked != 1 || askedMissed != 1 || redelivered.Load() != 1 {
		t.Errorf("%d sweeps asked for %d redeliveries (%d of the missed delivery, %d delivered); want at least 2 sweeps, and the missed delivery once",
			sweeps, asked, askedMissed, redelivered.Load())
	}
	t.Logf("deliveries %d (%d duplicates) to 2 replicas, %d answered 202, sent in %s; kills 1 (replica %s); lost %d; duplicated writes %d; drained in %s; "+
		"installation calls %d (%.1f per pull request), %d answered 5xx, %d rate limited; calls during a rate limit %d; sweeps %d, redeliveries %d",
		sent.Load(), scaleDuplicates, accepted.Load(), sendTook.Round(100*time.Millisecond), killed.addr, len(lost), len(duplicated),
		drained.Round(100*time.Millisecond), installationCalls, float64(installationCalls)/float64(len(all)), serverErrors, rateLimited,
		len(gh.CallsDuringRateLimit()), sweeps, asked)
}

// scaleDelivery is the delivery of event.action for p, with id as its
// X-GitHub-Delivery.
func scaleDelivery(t *testing.T, p scalePull, event, action, id string) delivery {
	owner, name, _ := strings.Cut(p.repo.FullName(), "/")
	repo := map[string]any{"id": p.repo.ID(), "name": name, "full_name": p.repo.FullName(), "url": "https://api.github.com/repos/" + p.repo.FullName()}
	set := map[string]any{
		"action": action, "installation.id": p.installation, "repository.id": p.repo.ID(), "repository.name": name,
		"repository.full_name": p.repo.FullName(), "repository.owner.login": owner, "sender.login": "maintainer",
	}
	ref := map[string]any{"number": p.number, "id": p.number, "url": "https://api.github.com/repos/" + p.repo.FullName() + "/pulls/" + fmt.Sprint(p.number),
		"head": map[string]any{"sha": p.head, "ref": "bump", "repo": repo},
		"base": map[string]any{"sha": p.base, "ref": "main", "repo": repo}}
	switch event {
	case "pull_request":
		for k, v := range map[string]any{
			"number": p.number, "pull_request.number": p.number, "pull_request.draft": false,
			"pull_request.head.sha": p.head, "pull_request.base.sha": p.base, "pull_request.head.ref": "bump", "pull_request.base.ref": "main",
			"pull_request.head.repo": repo, "pull_request.base.repo": repo, "pull_request.state": "open", "pull_request.merged": false,
			"pull_request.user.login": "maintainer", "pull_request.head.user": map[string]any{"login": owner},
			"pull_request.base.user": map[string]any{"login": owner}, "pull_request.head.label": owner + ":bump",
			"pull_request.base.label": owner + ":main", "pull_request.requested_teams": []any{},
			"pull_request.html_url": "https://github.com/" + p.repo.FullName() + "/pull/" + fmt.Sprint(p.number),
		} {
			set[k] = v
		}
	case "check_suite":
		set["check_suite.head_sha"] = p.head
		set["check_suite.pull_requests"] = []any{ref}
	case "check_run":
		set["check_run.head_sha"] = p.head
		set["check_run.pull_requests"] = []any{ref}
		// The example's App timestamps lack the T that GitHub sends.
		for _, at := range []string{"check_run.app.created_at", "check_run.app.updated_at",
			"check_run.check_suite.app.created_at", "check_run.check_suite.app.updated_at"} {
			set[at] = "2018-04-25T20:42:10Z"
		}
	}
	return delivery{event: event, id: id, payload: fixtures.EditedWebhook(t, event, action, set)}
}

// leaderIndex returns which replica River's leader election chose.
func leaderIndex(t *testing.T, dbURL string, replicas []*replica) int {
	st, err := store.Open(context.Background(), dbURL)
	if err != nil {
		t.Error(err)
		return 0
	}
	defer st.Close()
	var leader string
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(100 * time.Millisecond) {
		if err := st.DB().QueryRow(`SELECT leader_id FROM river_leader`).Scan(&leader); err == nil {
			break
		}
	}
	for i, r := range replicas {
		_, port, _ := net.SplitHostPort(r.addr)
		if strings.HasSuffix(leader, ":"+port) {
			return i
		}
	}
	t.Errorf("leader %q is neither replica", leader)
	return 0
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// swept reports whether a redelivery sweep job has completed.
func swept(db *store.Store) bool {
	var n int
	err := db.DB().QueryRow(`SELECT count(*) FROM river_job WHERE kind = 'hook_delivery_sweep' AND state = 'completed'`).Scan(&n)
	return err == nil && n > 0
}
