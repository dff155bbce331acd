package render

import (
	"encoding/json"
	"io"

	"github.com/imagebot/imagebot/checks"
	"github.com/imagebot/imagebot/checks/diff"
)

// The JSON shapes below are a contract that other tools build on: keep
// field names, types and meanings stable; add, never rename or remove.

type jsonFinding struct {
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
	Fix      string `json:"fix"`
}

type jsonCheck struct {
	ID         string        `json:"id"`
	Conclusion string        `json:"conclusion"`
	Summary    string        `json:"summary"`
	Findings   []jsonFinding `json:"findings"`
}

type jsonReport struct {
	Conclusion string      `json:"conclusion"`
	Checks     []jsonCheck `json:"checks"`
}

type jsonChange struct {
	Manager     string   `json:"manager"`
	Environment string   `json:"environment"`
	Platform    string   `json:"platform"`
	Name        string   `json:"name"`
	Before      *string  `json:"before"`
	After       *string  `json:"after"`
	Kind        string   `json:"kind"`
	Flags       []string `json:"flags"`
}

type jsonDiff struct {
	Changes []jsonChange `json:"changes"`
}

// JSON writes a report as `{"conclusion": ..., "checks": [...]}`.
func JSON(w io.Writer, r *checks.Report) error {
	v := jsonReport{Conclusion: string(r.Conclusion), Checks: []jsonCheck{}}
	for _, c := range r.Checks {
		jc := jsonCheck{ID: c.ID, Conclusion: string(c.Conclusion), Summary: c.Summary, Findings: []jsonFinding{}}
		for _, f := range c.Findings {
			jc.Findings = append(jc.Findings, jsonFinding{Severity: string(f.Severity), Path: f.Path, Line: f.Line, Message: f.Message, Fix: f.Fix})
		}
		v.Checks = append(v.Checks, jc)
	}
	return encode(w, v)
}

// DiffJSON writes changes as `{"changes": [...]}`, with before and after
// null where a package is absent.
func DiffJSON(w io.Writer, changes []diff.Change) error {
	v := jsonDiff{Changes: []jsonChange{}}
	for _, c := range changes {
		jc := jsonChange{Manager: string(c.Manager), Environment: c.Environment, Platform: c.Platform,
			Name: c.Name, Kind: string(c.Kind), Flags: []string{}}
		if c.Before != nil {
			jc.Before = &c.Before.Version
		}
		if c.After != nil {
			jc.After = &c.After.Version
		}
		for _, f := range c.Flags {
			jc.Flags = append(jc.Flags, string(f))
		}
		v.Changes = append(v.Changes, jc)
	}
	return encode(w, v)
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
