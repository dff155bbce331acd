package review

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/githubapp"
	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/render"
)

// annotationBatch is the most annotations GitHub accepts in one request.
const annotationBatch = 50

// maxSummary is the most characters GitHub accepts in a Check Run summary.
const maxSummary = 65535

// CheckRunState remembers the Check Runs imagebot published, so that an
// unchanged result is not written again and a restart finds its runs.
type CheckRunState interface {
	CheckRun(ctx context.Context, repo, sha, name string) (store.CheckRunRecord, bool, error)
	PutCheckRun(ctx context.Context, r store.CheckRunRecord) error
}

// checkRun is one Check Run's content.
type checkRun struct {
	name        string
	conclusion  string
	title       string
	summary     string
	annotations []*github.CheckRunAnnotation
}

// hash identifies the content; it is also the run's external_id, so a run
// created just before a crash can be recognised afterwards.
func (c *checkRun) hash() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", c.name, c.conclusion, c.title, c.summary)
	_ = json.NewEncoder(h).Encode(c.annotations)
	return hex.EncodeToString(h.Sum(nil))
}

// newCheckRun lays out one check's result as a Check Run: its summary
// and findings in Markdown, and an annotation per finding on a file that
// exists at the head.
func newCheckRun(name string, res checks.Result, diffs []checks.LockDiff, headFiles map[string]bool) *checkRun {
	res.Findings = clipped(res.Findings)
	c := &checkRun{
		name:       name,
		conclusion: string(res.Conclusion),
		title:      truncate(res.Summary, 200),
		summary:    renderCheckSummary(res, diffs),
	}
	for _, f := range res.Findings {
		if !headFiles[f.Path] {
			continue
		}
		line := max(f.Line, 1)
		msg := f.Message
		if f.Fix != "" {
			msg += "\n\nFix: " + f.Fix
		}
		c.annotations = append(c.annotations, &github.CheckRunAnnotation{
			Path: github.String(f.Path), StartLine: github.Int(line), EndLine: github.Int(line),
			AnnotationLevel: github.String(annotationLevel(f.Severity)),
			Title:           github.String(name), Message: github.String(msg),
		})
	}
	return c
}

// clipped copies findings with their messages and fixes cut by checks.Clip:
// the engine's findings are already, and the configuration check's are made
// here.
func clipped(findings []checks.Finding) []checks.Finding {
	out := make([]checks.Finding, len(findings))
	for i, f := range findings {
		f.Message, f.Fix = checks.Clip(f.Message), checks.Clip(f.Fix)
		out[i] = f
	}
	return out
}

func annotationLevel(s checks.Severity) string {
	switch s {
	case checks.Error:
		return "failure"
	case checks.Warning:
		return "warning"
	}
	return "notice"
}

// truncate cuts s to at most n bytes, on a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := s[:n-len("…")]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

func renderCheckSummary(res checks.Result, diffs []checks.LockDiff) string {
	return render.CheckMarkdown(res, diffs, maxSummary)
}

// publisher writes Check Runs for one head commit.
type publisher struct {
	gh          *github.Client
	state       CheckRunState
	owner, repo string
	sha         string
	writes      int
}

// inProgress is the external id (and stored hash) of a run created
// before a slow analysis, to be completed when it ends.
const inProgress = "in-progress"

// start creates an in_progress run for a check whose analysis will take a
// while, so that the pull request shows it is under way. A run started by
// an interrupted attempt is found again instead of started twice.
func (p *publisher) start(ctx context.Context, name string, files int) error {
	repo := p.owner + "/" + p.repo
	rec, ok, err := p.state.CheckRun(ctx, repo, p.sha, name)
	if err != nil {
		return err
	}
	if ok && rec.OutputHash == inProgress {
		if rec.ID == 0 {
			if rec.ID, err = p.find(ctx, name, inProgress); err != nil {
				return err
			}
		}
		if rec.ID != 0 {
			return p.state.PutCheckRun(ctx, rec)
		}
	}
	if err := p.state.PutCheckRun(ctx, store.CheckRunRecord{Repo: repo, SHA: p.sha, Name: name, OutputHash: inProgress}); err != nil {
		return err
	}
	id, err := p.create(ctx, name, inProgress, github.CreateCheckRunOptions{
		Name: name, HeadSHA: p.sha, ExternalID: github.String(inProgress), Status: github.String("in_progress"),
		Output: &github.CheckRunOutput{
			Title:   github.String("Checking"),
			Summary: github.String(fmt.Sprintf("imagebot is reading %d files of this pull request; the results follow here.", files)),
		},
	})
	if err != nil {
		return fmt.Errorf("start check run %s: %w", name, err)
	}
	return p.state.PutCheckRun(ctx, store.CheckRunRecord{Repo: repo, SHA: p.sha, Name: name, ID: id, OutputHash: inProgress})
}

// create creates a run whose intent is recorded, and returns its id. A
// create that fails in a way that may have created the run anyway (a 5xx)
// is looked up by its external id before it is made again.
func (p *publisher) create(ctx context.Context, name, externalID string, opts github.CreateCheckRunOptions) (int64, error) {
	var id int64
	err := githubapp.CreateOnce(ctx, func(ctx context.Context) error {
		run, _, err := p.gh.Checks.CreateCheckRun(ctx, p.owner, p.repo, opts)
		id = run.GetID()
		return err
	}, func(ctx context.Context) (bool, error) {
		var err error
		id, err = p.find(ctx, name, externalID)
		return id != 0, err
	})
	if err != nil {
		return 0, err
	}
	p.writes++
	return id, nil
}

// publish makes GitHub show c: nothing when the same content is
// published already; it completes a run that start began; otherwise it
// creates a new completed run (annotations cannot be removed from an
// existing one). Annotations beyond the first batch follow in updates. A
// run whose creation was interrupted is found by its external id.
func (p *publisher) publish(ctx context.Context, c *checkRun) error {
	repo := p.owner + "/" + p.repo
	hash := c.hash()
	rec, ok, err := p.state.CheckRun(ctx, repo, p.sha, c.name)
	if err != nil {
		return err
	}
	if ok && rec.OutputHash == hash && rec.ID != 0 {
		return nil
	}
	if ok && rec.ID == 0 && rec.OutputHash == hash {
		id, err := p.find(ctx, c.name, hash)
		if err != nil {
			return err
		}
		if id != 0 {
			return p.state.PutCheckRun(ctx, store.CheckRunRecord{Repo: repo, SHA: p.sha, Name: c.name, ID: id, OutputHash: hash})
		}
	}
	// A new run's intent is recorded before it is created: if the process
	// dies after GitHub created it, the next attempt looks it up instead of
	// creating another.
	first, rest := c.annotations, []*github.CheckRunAnnotation(nil)
	if len(first) > annotationBatch {
		first, rest = first[:annotationBatch], first[annotationBatch:]
	}
	output := func(batch []*github.CheckRunAnnotation) *github.CheckRunOutput {
		return &github.CheckRunOutput{Title: github.String(c.title), Summary: github.String(c.summary), Annotations: batch}
	}
	var id int64
	if ok && rec.OutputHash == inProgress && rec.ID != 0 {
		id = rec.ID
		_, _, err = p.gh.Checks.UpdateCheckRun(ctx, p.owner, p.repo, rec.ID, github.UpdateCheckRunOptions{
			Name: c.name, ExternalID: github.String(hash),
			Status: github.String("completed"), Conclusion: github.String(c.conclusion), Output: output(first),
		})
		if err == nil {
			p.writes++
		}
	} else {
		if err := p.state.PutCheckRun(ctx, store.CheckRunRecord{Repo: repo, SHA: p.sha, Name: c.name, OutputHash: hash}); err != nil {
			return err
		}
		id, err = p.create(ctx, c.name, hash, github.CreateCheckRunOptions{
			Name: c.name, HeadSHA: p.sha, ExternalID: github.String(hash),
			Status: github.String("completed"), Conclusion: github.String(c.conclusion), Output: output(first),
		})
	}
	if err != nil {
		return fmt.Errorf("publish check run %s: %w", c.name, err)
	}
	for len(rest) > 0 {
		batch := rest[:min(annotationBatch, len(rest))]
		rest = rest[len(batch):]
		if _, _, err := p.gh.Checks.UpdateCheckRun(ctx, p.owner, p.repo, id, github.UpdateCheckRunOptions{
			Name: c.name, Output: output(batch),
		}); err != nil {
			return fmt.Errorf("add annotations to check run %s: %w", c.name, err)
		}
		p.writes++
	}
	return p.state.PutCheckRun(ctx, store.CheckRunRecord{Repo: repo, SHA: p.sha, Name: c.name, ID: id, OutputHash: hash})
}

// find looks for a run of this name and content on the head commit: the
// one a previous attempt may have created before it was interrupted.
func (p *publisher) find(ctx context.Context, name, hash string) (int64, error) {
	opts := &github.ListCheckRunsOptions{CheckName: github.String(name), Filter: github.String("all"), ListOptions: github.ListOptions{PerPage: 100}}
	for {
		runs, resp, err := p.gh.Checks.ListCheckRunsForRef(ctx, p.owner, p.repo, p.sha, opts)
		if err != nil {
			if resp != nil && resp.StatusCode == http.StatusNotFound {
				return 0, nil
			}
			return 0, fmt.Errorf("list check runs: %w", err)
		}
		for _, r := range runs.CheckRuns {
			if r.GetExternalID() == hash {
				return r.GetID(), nil
			}
		}
		if resp.NextPage == 0 {
			return 0, nil
		}
		opts.Page = resp.NextPage
	}
}
