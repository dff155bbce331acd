package app

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/imagebot/imagebot/bot/rollout/hubprobe"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
	"github.com/imagebot/imagebot/bot/server"
	"github.com/imagebot/imagebot/bot/settings"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

// BenchmarkRolloutPollingMemory measures the memory of an App that follows
// 1,000 rollouts at once, polled on the default schedule (every 20 s at
// first): half wait for their image's build (a GitHub call each round), half
// are built and published and wait for their hub to be configured (a
// registry and a cluster probe each round, both faked here). The App runs in
// a child process (this test binary, started again) with the settings
// `imagebot serve` reads; the fake GitHub runs in this process. It reports
// the child's peak resident set (VmHWM) once every rollout has been polled
// at least three times, and its resident set when idle before the merges.
//
//	go test -run '^$' -bench RolloutPollingMemory -benchtime 1x ./bot/app/
func BenchmarkRolloutPollingMemory(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkRolloutPollingMemory(b, store.SQLite) })
	b.Run("postgres", func(b *testing.B) { benchmarkRolloutPollingMemory(b, store.Postgres) })
}

// The benchmark's size: 1,000 repositories, one merged pull request each
// (a newer merge would supersede an older rollout of its repository), in
// 100 installations, so that no installation nears GitHub's write limits.
const (
	pollingInstallations = 100
	pollingReposEach     = 10
	pollingRounds        = 3
)

func benchmarkRolloutPollingMemory(b *testing.B, dialect store.Dialect) {
	dbURL := storetest.URL(b, dialect)
	fixtures.OpenAPIPath(b)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	gh := fakegithub.New(b, fakegithub.WithAppKey(&key.PublicKey))
	var cfg strings.Builder
	cfg.WriteString("hubs:\n  - name: staging\n    url: https://staging.hub.example.org\n    kubernetes:\n      context: staging\n      namespace: jhub\nrepositories:\n")
	type merge struct {
		repo   *fakegithub.Repo
		number int
		sha    string
		inst   int64
	}
	var merges []merge
	for i := range pollingInstallations {
		account := fmt.Sprintf("org-%03d", i)
		var repos []*fakegithub.Repo
		for j := range pollingReposEach {
			repo := gh.AddRepo(account, fmt.Sprintf("image-%02d", j))
			repo.Commit("main", map[string]string{"environment.yml": "dependencies:\n  - python=3.12\n"})
			repo.Commit("bump", map[string]string{"environment.yml": "dependencies:\n  - python=3.13\n"})
			number := repo.OpenPull("bump", "main", fakegithub.PullTitle("Python 3.13"))
			sha := repo.MergePull(number, "maintainer")
			if j%2 == 0 {
				repo.PutWorkflowRun(fakegithub.WorkflowRun{Name: "Build image", HeadSHA: sha, HeadBranch: "main", Status: "completed", Conclusion: "success"})
			}
			fmt.Fprintf(&cfg, "  - repository: %s\n    image: registry.example.org/%s\n    workflow: Build image\n    hubs: [staging]\n",
				repo.FullName(), repo.FullName())
			repos = append(repos, repo)
			merges = append(merges, merge{repo, number, sha, int64(1000 + i)})
		}
		gh.AddInstallation(int64(1000+i), account, repos...)
	}
	dir := b.TempDir()
	configPath := filepath.Join(dir, "imagebot.yml")
	if err := os.WriteFile(configPath, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	if dialect == store.SQLite {
		dbURL = filepath.Join(dir, "imagebot.db")
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), pollingChildEnv+"=1",
		"GITHUB_APP_ID=1", "GITHUB_APP_PRIVATE_KEY="+string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
		"GITHUB_WEBHOOK_SECRET="+secret, "GITHUB_API_URL="+gh.URL(), "IMAGEBOT_LISTEN="+addr,
		"IMAGEBOT_DATABASE_URL="+dbURL, "IMAGEBOT_CONFIG="+configPath, "IMAGEBOT_LOG_LEVEL=info")
	var rounds atomic.Int64
	logs, err := child.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	var lastLines bytes.Buffer
	go func() {
		scanner := bufio.NewScanner(logs)
		scanner.Buffer(make([]byte, 1<<20), 1<<20)
		for scanner.Scan() {
			line := scanner.Bytes()
			if bytes.Contains(line, []byte(`"msg":"rollout round"`)) {
				rounds.Add(1)
			} else if bytes.Contains(line, []byte(`"level":"ERROR"`)) || bytes.Contains(line, []byte(`"level":"WARN"`)) {
				if lastLines.Len() < 64<<10 {
					lastLines.Write(line)
					lastLines.WriteByte('\n')
				}
			}
		}
	}()
	if err := child.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		child.Process.Signal(syscall.SIGTERM)
		child.Wait()
	})
	waitReady(b, addr)
	idle := memoryKB(b, child.Process.Pid, "VmRSS")

	b.ResetTimer()
	start := time.Now()
	for _, m := range merges {
		owner, name, _ := strings.Cut(m.repo.FullName(), "/")
		payload := fixtures.EditedWebhook(b, "pull_request", "closed", map[string]any{
			"installation.id": m.inst, "repository.name": name, "repository.full_name": m.repo.FullName(),
			"repository.owner.login": owner, "number": m.number, "pull_request.number": m.number,
			"pull_request.title": "Python 3.13", "pull_request.merged": true, "pull_request.merge_commit_sha": m.sha,
			"pull_request.merged_at": time.Now().UTC().Format(time.RFC3339),
		})
		deliverTo(b, addr, "pull_request", payload)
	}
	want := int64(len(merges) * pollingRounds)
	deadline := time.Now().Add(10 * time.Minute)
	for rounds.Load() < want {
		if time.Now().After(deadline) {
			b.Fatalf("%d rollout rounds after 10 minutes, want %d; warnings:\n%s", rounds.Load(), want, lastLines.String())
		}
		time.Sleep(time.Second)
	}
	b.StopTimer()
	peak, now := memoryKB(b, child.Process.Pid, "VmHWM"), memoryKB(b, child.Process.Pid, "VmRSS")
	b.ReportMetric(float64(len(merges)), "rollouts")
	b.ReportMetric(float64(rounds.Load()), "rounds")
	b.ReportMetric(float64(idle)/1024, "idle-RSS-MB")
	b.ReportMetric(float64(now)/1024, "RSS-MB")
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MB")
	b.Logf("%d rollouts polled %d times in %s: RSS idle %d MB, at the end %d MB, peak %d MB",
		len(merges), rounds.Load(), time.Since(start).Round(time.Second), idle/1024, now/1024, peak/1024)
}

// pollingChildEnv marks the benchmark's child process.
const pollingChildEnv = "IMAGEBOT_POLLING_MEMORY_CHILD"

// runPollingChild is the benchmark's child: `imagebot serve` with the
// rollout's probes faked. It runs until SIGTERM.
func runPollingChild() int {
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := settings.FromEnvironment()
	if err != nil {
		logger.Error("settings", "err", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	a, err := New(ctx, s, logger, WithClusters(staleHub{}), WithRegistry(publishedTags{}))
	if err != nil {
		logger.Error("new", "err", err)
		return 1
	}
	if err := a.Start(ctx); err != nil {
		logger.Error("start", "err", err)
		return 1
	}
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		logger.Error("listen", "err", err)
		return 1
	}
	serveErr := server.Serve(ctx, ln, a.Handler(), time.Second)
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil || serveErr != nil {
		return 1
	}
	return 0
}

// publishedTags resolves every tag, as a registry where each build's push
// has landed.
type publishedTags struct{}

func (publishedTags) Resolve(_ context.Context, ref string) (registry.Digests, error) {
	return registry.Digests{Digest: newDigest, Platform: newDigest, MediaType: "application/vnd.oci.image.index.v1+json"}, nil
}

const newDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111"

// staleHub is a hub whose nodes and servers still hold the old image.
type staleHub struct{}

func (staleHub) Observe(_ context.Context, hub *operator.Hub) (hubprobe.Observation, error) {
	old := "registry.example.org/old:0000000000"
	return hubprobe.Observation{
		Servers:          []hubprobe.Server{{Pod: "jupyter-alice", Node: "node-a", User: "alice", Image: old, Digest: oldDigest}},
		Pullers:          []hubprobe.Puller{{Pod: "continuous-image-puller-a", Node: "node-a", Image: old, Digest: oldDigest}},
		ConfiguredImages: []string{old},
	}, nil
}

func waitReady(b testing.TB, addr string) {
	b.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	b.Fatal("the App did not become ready")
}

// deliverTo posts a signed webhook to the App at addr.
func deliverTo(b *testing.B, addr, event string, payload []byte) {
	b.Helper()
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/github/webhooks", bytes.NewReader(payload))
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", fmt.Sprintf("%s-%d", event, time.Now().UnixNano()))
	req.Header.Set(webhook.SignatureHeader, webhook.SignatureFor([]byte(secret), payload))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		b.Fatalf("%s delivery: status %d", event, resp.StatusCode)
	}
}

// memoryKB reads a memory figure, in kB, from /proc/<pid>/status.
func memoryKB(b *testing.B, pid int, field string) int64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Skipf("no /proc to read the child's memory from: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			return kb
		}
	}
	b.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
