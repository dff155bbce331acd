package render

import (
	"fmt"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/internal/markdown"
)

type findingView struct {
	Severity, Where, Message, Fix string
}

type checkView struct {
	ID, Icon, Conclusion, Summary string
	Findings                      []findingView
	More                          int
	Diff                          string
}

type reportView struct {
	Conclusion string
	Checks     []checkView
	Diff       string
}

var icons = map[checks.Conclusion]string{
	checks.Success: "✅",
	checks.Failure: "❌",
	checks.Neutral: "ℹ️",
	checks.Skipped: "⏭️",
}

// where names a finding's location for Markdown.
func where(f checks.Finding) string {
	switch {
	case f.Path == "":
		return "repository"
	case f.Line > 0:
		return markdown.Code(f.Path) + fmt.Sprintf(" line %d", f.Line)
	}
	return markdown.Code(f.Path)
}

func findingViews(fs []checks.Finding) []findingView {
	out := make([]findingView, len(fs))
	for i, f := range fs {
		out[i] = findingView{Severity: string(f.Severity), Where: where(f), Message: markdown.Message(f.Message), Fix: markdown.Message(f.Fix)}
	}
	return out
}

// Markdown renders a whole report: a table of the checks, each failing
// check's findings with their fixes, and the dependency diff. The result
// is at most limit bytes; findings beyond the limit are counted instead.
func Markdown(r *checks.Report, limit int) string {
	v := reportView{Conclusion: string(r.Conclusion)}
	for _, c := range r.Checks {
		v.Checks = append(v.Checks, checkView{
			ID: markdown.Code(c.ID), Icon: icons[c.Conclusion], Conclusion: string(c.Conclusion),
			Summary: markdown.Message(c.Summary), Findings: findingViews(c.Findings),
		})
	}
	if len(r.Diffs) > 0 {
		v.Diff = DiffMarkdown(r.Diffs, limit/2)
	}
	return fit(func(keep int) string {
		w := v
		w.Checks = limitFindings(v.Checks, keep)
		return strings.TrimSpace(execute(reportMarkdown, w))
	}, countFindings(v.Checks), limit)
}

// CheckMarkdown renders one check's result as a Check Run summary: its
// summary line, its findings with fixes and, for dependency-diff, the
// diff tables. The result is at most limit bytes.
func CheckMarkdown(res checks.Result, diffs []checks.LockDiff, limit int) string {
	v := checkView{Summary: markdown.Message(res.Summary), Findings: findingViews(res.Findings)}
	if res.ID == checks.DependencyDiff && len(diffs) > 0 {
		v.Diff = DiffMarkdown(diffs, limit/2)
	}
	return fit(func(keep int) string {
		w := limitFindings([]checkView{v}, keep)[0]
		return strings.TrimSpace(execute(checkMarkdown, w))
	}, len(v.Findings), limit)
}

func countFindings(cs []checkView) int {
	n := 0
	for _, c := range cs {
		n += len(c.Findings)
	}
	return n
}

// limitFindings keeps the first keep findings across checks, in order,
// and counts the rest.
func limitFindings(cs []checkView, keep int) []checkView {
	out := make([]checkView, len(cs))
	for i, c := range cs {
		n := min(keep, len(c.Findings))
		keep -= n
		c.More = len(c.Findings) - n
		c.Findings = c.Findings[:n]
		out[i] = c
	}
	return out
}

// fit renders with as many items (findings, table rows) as fit within
// limit bytes, found by bisection; should even none fit, the output is cut.
func fit(render func(keep int) string, total, limit int) string {
	if out := render(total); len(out) <= limit {
		return out
	}
	lo, hi := 0, total
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if len(render(mid)) <= limit {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	out := render(lo)
	if len(out) > limit {
		out = truncate(out, limit)
	}
	return out
}
