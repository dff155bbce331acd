package checks

import (
	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/checks/diff"
)

// Severity is how serious a finding is: error, warning or notice.
type Severity = config.Severity

// The severities.
const (
	Error   = config.Error
	Warning = config.Warning
	Notice  = config.Notice
)

// Conclusion is the outcome of one check, or of a whole report.
type Conclusion string

// The conclusions.
const (
	Success Conclusion = "success"
	Failure Conclusion = "failure"
	Neutral Conclusion = "neutral"
	Skipped Conclusion = "skipped" // the check was disabled, or had nothing to examine
)

// The stable check ids. They name Check Runs and appear in the JSON.
const (
	LockfilePresent    = "lockfile-present"
	LockfileFresh      = "lockfile-fresh"
	LockfileConsistent = "lockfile-consistent"
	ImagePinned        = "image-pinned"
	HubCompatible      = "hub-compatible"
	DependencyDiff     = "dependency-diff"
)

// Finding is one thing a check found: what is wrong, where, and the
// command that fixes it.
type Finding struct {
	Severity Severity
	Path     string // slash-separated, relative to the repository root
	Line     int    // 1-based; 0 when the finding is about the whole file
	Message  string
	Fix      string
}

// Result is the outcome of one check.
type Result struct {
	ID         string
	Conclusion Conclusion
	Summary    string
	Findings   []Finding
}

// LockDiff is the dependency diff of one lockfile between the base and
// the head of a change.
type LockDiff struct {
	Path    string
	Changes []diff.Change
}

// Report is the outcome of checking a repository.
type Report struct {
	Conclusion Conclusion
	Checks     []Result // one per check id (hub-compatible only WithHubs), in the order of config.CheckIDs
	// Diffs holds the dependency diff of every lockfile that changed; it
	// is empty unless a base was given.
	Diffs []LockDiff
}

// Result returns the result of the check with the given id, or nil.
func (r *Report) Result(id string) *Result {
	for i := range r.Checks {
		if r.Checks[i].ID == id {
			return &r.Checks[i]
		}
	}
	return nil
}
