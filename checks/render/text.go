package render

import (
	"fmt"
	"io"
	"strings"

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

type textRow struct {
	Kind, Name, Where, Before, After, Note string
}

type textLock struct {
	Path string
	Rows []textRow
}

type textDiff struct {
	Locks   []textLock
	Summary string
}

// DiffText writes dependency diffs for a terminal.
func DiffText(w io.Writer, diffs []checks.LockDiff) error {
	_, err := io.WriteString(w, diffTextString(diffs))
	return err
}

func diffTextString(diffs []checks.LockDiff) string {
	var v textDiff
	var c counts
	for _, d := range diffs {
		rs := rows(d)
		if len(rs) == 0 {
			continue
		}
		tl := textLock{Path: plain(d.Path)}
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
			}
			var notes []string
			if r.has(diff.Split) {
				for _, s := range r.siblings {
					notes = append(notes, fmt.Sprintf("split: %s stays at %s", s.Name, s.Version))
				}
			}
			tl.Rows = append(tl.Rows, textRow{
				Kind: r.change(), Name: plain(name), Where: plain(where),
				Before: orDash(plain(r.before)), After: orDash(plain(r.after)), Note: plain(strings.Join(notes, "; ")),
			})
		}
		v.Locks = append(v.Locks, tl)
	}
	warnings, others := c.parts()
	v.Summary = strings.Join(append(warnings, others...), ", ") + ". (* named directly in a spec)"
	return execute(diffText, v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
