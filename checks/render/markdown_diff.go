package render

import (
	"sort"
	"strings"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
	"github.com/imagebot/imagebot/internal/markdown"
)

// MaxComment is the most characters GitHub accepts in a comment body or a
// Check Run summary, less room for a caller's header and marker.
const MaxComment = 65536 - 1024

type diffView struct {
	Summary string
	// Attention lists the flagged rows (downgrades, split siblings) of a
	// diff with more than manyChanges rows, right after the summary, so
	// that they are not lost in hundreds of rows; the tables then stay
	// collapsed.
	Attention []attentionView
	Locks     []lockView
	More      int
	// Direct and Flagged say whether the footnote explains bold names and
	// the ⚠️ mark: only when a row has them.
	Direct, Flagged bool
}

type lockView struct {
	Path   string
	Groups []groupView
}

type groupView struct {
	Title string
	Count string
	Open  bool
	Rows  []rowView
}

type attentionView struct {
	rowView
	Lock, Where string
}

// manyChanges is the most rows a diff has before its flagged rows are
// listed first and every table stays collapsed: a 915-package re-lock
// (CryoInTheCloud's) reads as its summary, what needs a look, and tables
// to open on demand.
const manyChanges = 50

type rowView struct {
	Mark, Name, Change, Before, After string
}

// DiffMarkdown renders the dependency diffs for a pull request comment or
// a Check Run summary: a summary line with downgrades and warnings first,
// then tables in <details> per lock, environment and set of platforms.
// The result is at most limit bytes: when the full tables do not fit, it
// keeps the most important rows and says how many more there are.
func DiffMarkdown(diffs []checks.LockDiff, limit int) string {
	var all []*row
	for _, d := range diffs {
		all = append(all, rows(d)...)
	}
	if len(all) == 0 {
		return strings.TrimSpace(execute(diffTemplate, diffView{}))
	}
	order := append([]*row(nil), all...)
	sort.SliceStable(order, func(i, j int) bool { return order[i].importance() < order[j].importance() })
	render := func(k int) string {
		keep := map[*row]bool{}
		for _, r := range order[:k] {
			keep[r] = true
		}
		return strings.TrimSpace(execute(diffTemplate, buildDiffView(diffs, all, keep, len(all)-k)))
	}
	return fit(render, len(order), limit)
}

// buildDiffView lays the kept rows out per lock, environment and
// platform set, and counts every row for the summary.
func buildDiffView(diffs []checks.LockDiff, all []*row, keep map[*row]bool, more int) diffView {
	var c counts
	direct, flagged := false, false
	for _, r := range all {
		c.add(r)
		direct = direct || r.direct
		flagged = flagged || r.flagged()
	}
	warnings, others := c.parts()
	for i := range warnings {
		warnings[i] = "⚠️ " + warnings[i]
	}
	v := diffView{More: more, Direct: direct, Flagged: flagged}
	v.Summary = strings.Join(append(warnings, others...), " · ")
	byLock := map[string][]*row{}
	for _, r := range all {
		if keep[r] {
			byLock[r.lock] = append(byLock[r.lock], r)
		}
	}
	many := len(all) > manyChanges
	if many {
		for _, r := range all {
			if keep[r] && r.flagged() {
				v.Attention = append(v.Attention, attentionView{rowView: rowViewOf(r), Lock: markdown.Code(r.lock), Where: markdown.Text(rowPlace(r))})
			}
		}
	}
	for _, d := range diffs {
		rs := byLock[d.Path]
		if len(rs) == 0 {
			continue
		}
		lv := lockView{Path: markdown.Code(d.Path)}
		groups := map[string]*groupView{}
		var order []string
		for _, r := range rs {
			title := platformLabel(r.platforms)
			if r.environment != lock.DefaultEnvironment {
				title = "environment " + r.environment + " · " + title
			}
			g := groups[title]
			if g == nil {
				g = &groupView{Title: markdown.Text(title)}
				groups[title] = g
				order = append(order, title)
			}
			g.Open = g.Open || (r.flagged() && !many)
			g.Rows = append(g.Rows, rowViewOf(r))
		}
		for _, t := range order {
			g := groups[t]
			g.Count = pluralize(len(g.Rows), "change", "changes")
			lv.Groups = append(lv.Groups, *g)
		}
		v.Locks = append(v.Locks, lv)
	}
	return v
}

// rowPlace names a row's environment and platforms.
func rowPlace(r *row) string {
	w := platformLabel(r.platforms)
	if r.environment != lock.DefaultEnvironment {
		w = r.environment + " · " + w
	}
	return w
}

func rowViewOf(r *row) rowView {
	name := "[" + markdown.Text(r.name) + "](" + r.url + ")"
	if r.direct {
		name = "**" + name + "**"
	}
	if r.manager == lock.PyPI {
		name += " (PyPI)"
	}
	change := r.change()
	if r.has(diff.Split) {
		var sib []string
		for _, s := range r.siblings {
			sib = append(sib, markdown.Text(s.Name)+" stays at "+markdown.Text(s.Version))
		}
		change += "; split: " + strings.Join(sib, ", ")
	}
	mark := ""
	if r.flagged() {
		mark = "⚠️"
	}
	return rowView{Mark: mark, Name: name, Change: change, Before: versionCell(r.before), After: versionCell(r.after)}
}

func versionCell(v string) string {
	if v == "" {
		return "—"
	}
	return markdown.Code(v)
}

// truncate cuts Markdown to at most limit bytes at a line boundary.
func truncate(s string, limit int) string {
	const note = "\n\n…cut to fit GitHub's size limit."
	if limit <= len(note) {
		return ""
	}
	cut := s[:limit-len(note)]
	if i := strings.LastIndexByte(cut, '\n'); i > 0 {
		cut = cut[:i]
	}
	return cut + note
}
