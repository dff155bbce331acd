package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
	"github.com/imagebot/imagebot/checks/lock"
)

// plain makes repository-controlled text safe for a terminal: control
// characters (which could carry escape sequences) are dropped and line
// breaks become spaces.
func plain(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return ' '
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return -1
		}
		return r
	}, s)
}

type textFinding struct {
	Severity, Where, Message, Fix string
}

type textCheck struct {
	ID, Conclusion, Summary string
	Findings                []textFinding
}

type textReport struct {
	Conclusion string
	Checks     []textCheck
	Diff       string
}

// Text writes a report for a terminal.
func Text(w io.Writer, r *checks.Report) error {
	v := textReport{Conclusion: string(r.Conclusion)}
	for _, c := range r.Checks {
		tc := textCheck{ID: c.ID, Conclusion: string(c.Conclusion), Summary: plain(c.Summary)}
		for _, f := range c.Findings {
			loc := "(repository)"
			if f.Path != "" {
				loc = plain(f.Path)
				if f.Line > 0 {
					loc += fmt.Sprintf(":%d", f.Line)
				}
			}
			tc.Findings = append(tc.Findings, textFinding{Severity: string(f.Severity), Where: loc, Message: plain(f.Message), Fix: plain(f.Fix)})
		}
		v.Checks = append(v.Checks, tc)
	}
	if len(r.Diffs) > 0 {
		v.Diff = diffTextString(r.Diffs)
	}
	_, err := io.WriteString(w, execute(reportText, v))
	return err
}

type textLock struct {
	Path string
	Rows []string // aligned columns: change, package, where, before, -> after, note
}

type textDiff struct {
	Locks   []textLock
	Summary string
	Direct  bool // a row is marked as named directly in a spec
}

// DiffText writes dependency diffs for a terminal.
func DiffText(w io.Writer, diffs []checks.LockDiff) error {
	_, err := io.WriteString(w, diffTextString(diffs)+"\n")
	return err
}

// diffTextString lays out the rows of every lock in columns that line up
// across locks, and ends with the summary line (no final newline).
func diffTextString(diffs []checks.LockDiff) string {
	var v textDiff
	var c counts
	var cells [][]string
	var owner []int // cells[i] is a row of v.Locks[owner[i]]
	for _, d := range diffs {
		rs := rows(d)
		if len(rs) == 0 {
			continue
		}
		v.Locks = append(v.Locks, textLock{Path: plain(d.Path)})
		for _, r := range rs {
			c.add(r)
			where := platformLabel(r.platforms)
			if r.environment != lock.DefaultEnvironment {
				where = r.environment + ": " + where
			}
			name := r.name
			if r.manager == lock.PyPI {
				name += " (pypi)"
			}
			if r.direct {
				name += " *"
				v.Direct = true
			}
			var notes []string
			if r.has(diff.Split) {
				for _, s := range r.siblings {
					notes = append(notes, fmt.Sprintf("split: %s stays at %s", s.Name, s.Version))
				}
			}
			cells = append(cells, []string{r.change(), plain(name), plain(where),
				orDash(plain(r.before)), "-> " + orDash(plain(r.after)), plain(strings.Join(notes, "; "))})
			owner = append(owner, len(v.Locks)-1)
		}
	}
	for i, line := range columns(cells) {
		l := &v.Locks[owner[i]]
		l.Rows = append(l.Rows, line)
	}
	warnings, others := c.parts()
	v.Summary = strings.Join(append(warnings, others...), ", ") + "."
	return strings.TrimSuffix(execute(diffText, v), "\n")
}

// columns pads every cell but the last of each row to its column's widest
// cell, so that the rows line up, and leaves no trailing space.
func columns(cells [][]string) []string {
	var widths []int
	for _, row := range cells {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	lines := make([]string, len(cells))
	for n, row := range cells {
		var b strings.Builder
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)))
			}
		}
		lines[n] = strings.TrimRight(b.String(), " ")
	}
	return lines
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
