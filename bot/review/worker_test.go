package review

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/internal/fakegithub"
	"github.com/imagebot/imagebot/internal/fixtures"
)

var (
	keyOnce sync.Once
	key     *rsa.PrivateKey
)

func appKey(t *testing.T) *rsa.PrivateKey {
	keyOnce.Do(func() {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return key
}

// harness runs the worker against the fake GitHub and a real store.
type harness struct {
	t    *testing.T
	gh   *fakegithub.Server
	repo *fakegithub.Repo
	st   *store.Store
	w    *Worker
	base string
}

func newHarness(t *testing.T, baseFiles map[string]string) *harness {
	fixtures.OpenAPIPath(t) // the fake needs GitHub's REST description
	k := appKey(t)
	gh := fakegithub.New(t, fakegithub.WithAppKey(&k.PublicKey))
	repo := gh.AddRepo("example-hub", "notebook")
	gh.AddInstallation(42, "example-hub", repo)
	clients, err := githubapp.NewClientCreator(githubapp.Config{AppID: 1, BaseURL: gh.URL(),
		PrivateKey: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}),
		Retry:      githubapp.Retry{Rand: func() float64 { return 0 }}}) // retry at once
	if err != nil {
		t.Fatal(err)
	}
	st := storetest.Open(t, store.SQLite)
	h := &harness{t: t, gh: gh, repo: repo, st: st,
		w: &Worker{Clients: clients, State: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}
	h.base = repo.Commit("main", baseFiles)
	return h
}

// open pushes head files to a branch and opens a pull request.
func (h *harness) open(files map[string]string, opts ...fakegithub.PullOption) (number int, head string) {
	head = h.repo.Commit("bump", files)
	return h.repo.OpenPull("bump", "main", opts...), head
}

// check runs one job for a head, as the queue would.
func (h *harness) check(number int, head string, draft bool) error {
	args := CheckArgs{InstallationID: 42, Owner: "example-hub", Repo: "notebook", Number: number,
		HeadSHA: head, BaseSHA: h.base, Draft: draft, Delivery: "d"}
	if err := h.st.PutPull(context.Background(), store.Pull{Repo: args.fullName(), Number: number,
		HeadSHA: head, BaseSHA: h.base, Draft: draft, UpdatedAt: time.Now()}); err != nil {
		h.t.Fatal(err)
	}
	return h.w.Work(context.Background(), &river.Job[CheckArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}, Args: args})
}

func (h *harness) runs(head string) []string {
	var out []string
	for _, r := range h.gh.CheckRuns(h.repo.FullName(), head) {
		out = append(out, fmt.Sprintf("%s=%s/%s(%d)", r.Name, r.Status, r.Conclusion, len(r.Annotations)))
	}
	sort.Strings(out)
	return out
}

func (h *harness) comments(number int) []fakegithub.Comment {
	return h.gh.Comments(h.repo.FullName(), number)
}

func TestDraftsWaitForTheComment(t *testing.T) {
	h := newHarness(t, fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	number, head := h.open(fixtures.ReadTree(t, "../../testdata/repos/outage"), fakegithub.PullDraft())
	if err := h.check(number, head, true); err != nil {
		t.Fatal(err)
	}
	if got := len(h.runs(head)); got != 5 {
		t.Errorf("a draft gets its %d check runs, want 5", got)
	}
	if got := len(h.comments(number)); got != 0 {
		t.Errorf("a draft got %d comments, want none yet", got)
	}
	writes := len(h.gh.Writes())
	if err := h.check(number, head, false); err != nil { // ready for review
		t.Fatal(err)
	}
	if got := len(h.comments(number)); got != 1 {
		t.Errorf("ready for review: %d comments, want 1", got)
	}
	if got := len(h.gh.Writes()) - writes; got != 1 {
		t.Errorf("ready for review wrote %d times, want only the comment", got)
	}
}

func TestRevertedChangesAreSaid(t *testing.T) {
	compliant := fixtures.ReadTree(t, "../../testdata/repos/compliant")
	h := newHarness(t, compliant)
	number, head := h.open(fixtures.ReadTree(t, "../../testdata/repos/outage"))
	if err := h.check(number, head, false); err != nil {
		t.Fatal(err)
	}
	first := h.comments(number)
	if len(first) != 1 || !strings.Contains(first[0].Body, "sqlite") {
		t.Fatalf("comments: %+v", first)
	}
	// A later push puts the locks back as they were.
	reverted := h.repo.Commit("bump", map[string]string{"conda-lock.yml": compliant["conda-lock.yml"],
		"conda-linux-64.lock": compliant["conda-linux-64.lock"]})
	if err := h.check(number, reverted, false); err != nil {
		t.Fatal(err)
	}
	got := h.comments(number)
	if len(got) != 1 || got[0].ID != first[0].ID || !strings.Contains(got[0].Body, "No dependency changes any more") ||
		!strings.Contains(got[0].Body, reverted[:7]) {
		t.Errorf("after the revert: %+v", got)
	}
}

func TestNoChangesNoComment(t *testing.T) {
	compliant := fixtures.ReadTree(t, "../../testdata/repos/compliant")
	h := newHarness(t, compliant)
	number, head := h.open(map[string]string{"README.md": "# hello\n"})
	if err := h.check(number, head, false); err != nil {
		t.Fatal(err)
	}
	if got := len(h.comments(number)); got != 0 {
		t.Errorf("%d comments on a PR that changes no dependency, want none", got)
	}
}

func TestSupersededAndUninstalled(t *testing.T) {
	h := newHarness(t, fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	number, head := h.open(fixtures.ReadTree(t, "../../testdata/repos/outage"))
	ctx := context.Background()
	newer := h.repo.Commit("bump", map[string]string{"README.md": "newer\n"})
	if err := h.st.PutPull(ctx, store.Pull{Repo: h.repo.FullName(), Number: number, HeadSHA: newer, BaseSHA: h.base, UpdatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	args := CheckArgs{InstallationID: 42, Owner: "example-hub", Repo: "notebook", Number: number, HeadSHA: head, BaseSHA: h.base}
	job := &river.Job[CheckArgs]{JobRow: &rivertype.JobRow{ID: 1, Attempt: 1}, Args: args}
	if err := h.w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	if calls := len(h.gh.Calls()); calls != 0 {
		t.Errorf("a superseded head made %d calls, want 0", calls)
	}
	if err := h.st.PutInstallation(ctx, store.Installation{ID: 42, Account: "example-hub", Active: false}); err != nil {
		t.Fatal(err)
	}
	job.Args.HeadSHA = newer
	if err := h.w.Work(ctx, job); err != nil {
		t.Fatal(err)
	}
	if calls := len(h.gh.Calls()); calls != 0 {
		t.Errorf("an uninstalled installation made %d calls, want 0", calls)
	}
}

func TestRateLimitSnoozes(t *testing.T) {
	h := newHarness(t, fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	number, head := h.open(fixtures.ReadTree(t, "../../testdata/repos/outage"))
	h.gh.Fail("repos/compare-commits", 1, http.StatusTooManyRequests, http.Header{"Retry-After": {"30"}})
	err := h.check(number, head, false)
	var snooze *rivertype.JobSnoozeError
	if !errors.As(err, &snooze) || snooze.Duration != 30*time.Second {
		t.Errorf("rate limit: %v, want a 30s snooze", err)
	}
	h.gh.Fail("repos/compare-commits", 4, http.StatusBadGateway, nil)
	if err := h.check(number, head, false); err == nil || errors.As(err, &snooze) {
		t.Errorf("four 502s: %v, want a plain error to retry with backoff", err)
	}
	if err := h.check(number, head, false); err != nil {
		t.Errorf("after the faults: %v", err)
	}
	if got := len(h.runs(head)); got != 5 {
		t.Errorf("%d check runs, want 5", got)
	}
}

// TestServerErrorsRetriedWhereTheyFailed fails one call of each kind once
// with a 502: the check completes in the same attempt, and a create that
// GitHub carried out before failing is found rather than made twice.
func TestServerErrorsRetriedWhereTheyFailed(t *testing.T) {
	h := newHarness(t, fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	number, head := h.open(fixtures.ReadTree(t, "../../testdata/repos/outage"))
	for _, op := range []string{"repos/compare-commits", "git/get-tree", "git/get-blob", "checks/create", "issues/create-comment"} {
		h.gh.Fail(op, 1, http.StatusBadGateway, nil)
	}
	h.gh.FailAfterHandling("checks/create", 1, http.StatusBadGateway)
	if err := h.check(number, head, false); err != nil {
		t.Fatalf("check: %v", err)
	}
	if got := len(h.runs(head)); got != 5 {
		t.Errorf("%d check runs, want 5: %v", got, h.runs(head))
	}
	if got := len(h.comments(number)); got != 1 {
		t.Errorf("%d comments, want 1", got)
	}
}

func TestManyFindingsAnnotateInBatchesAndStartInProgress(t *testing.T) {
	h := newHarness(t, map[string]string{"README.md": "# images\n"})
	files := map[string]string{}
	for i := range 60 {
		files[fmt.Sprintf("images/%02d/Dockerfile", i)] = fmt.Sprintf("# image %d\nFROM quay.io/jupyter/base-notebook:2024-10-03@sha256:%s\nRUN pip install nbgitpuller\n", i, strings.Repeat("0", 64))
	}
	number, head := h.open(files)
	if err := h.check(number, head, false); err != nil {
		t.Fatal(err)
	}
	want := []string{"dependency-diff=completed/neutral(0)", "image-pinned=completed/success(0)",
		"lockfile-consistent=completed/skipped(0)", "lockfile-fresh=completed/skipped(0)", "lockfile-present=completed/failure(60)"}
	if got := h.runs(head); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("runs %v, want %v", got, want)
	}
	var creates, updates int
	for _, c := range h.gh.Writes() {
		switch c.OperationID {
		case "checks/create":
			creates++
		case "checks/update":
			updates++
		}
	}
	// 60 files to fetch: every run starts in_progress (5 creates) and is
	// completed by an update (5); the 10 annotations beyond the first 50
	// need one more update.
	if creates != 5 || updates != 6 {
		t.Errorf("%d creates and %d updates, want 5 and 6", creates, updates)
	}
}

func TestConfigEditIsValidated(t *testing.T) {
	h := newHarness(t, fixtures.ReadTree(t, "../../testdata/repos/compliant"))
	number, head := h.open(map[string]string{".github/imagebot.yml": "checks:\n  image-pinned: loud\n"})
	if err := h.check(number, head, false); err != nil {
		t.Fatal(err)
	}
	var cfg *fakegithub.CheckRun
	for _, r := range h.gh.CheckRuns(h.repo.FullName(), head) {
		if r.Name == ConfigCheckName {
			cfg = &r
		}
	}
	if cfg == nil || cfg.Conclusion != "failure" || len(cfg.Annotations) != 1 || cfg.Annotations[0].StartLine != 2 ||
		!strings.Contains(cfg.Annotations[0].Message, `checks.image-pinned must be one of error, warning, notice`) {
		t.Errorf("config check run: %+v", cfg)
	}
}
