package checks

import (
	"fmt"
	"strings"

	"github.com/imagebot/imagebot/checks/diff"
)

// nothingToCheck explains a skipped check that found nothing to examine.
var nothingToCheck = map[string]string{
	LockfilePresent:    "Nothing to check: no environment files, lockfiles or build files found.",
	LockfileFresh:      "No lockfiles found.",
	LockfileConsistent: "No lockfile records its packages' dependencies (explicit and pip-compile locks do not).",
	ImagePinned:        "No Dockerfile and no publishing workflow found.",
	HubCompatible:      "No lock installs jupyterhub, jupyterhub-base or jupyterhub-singleuser for Linux.",
	DependencyDiff:     "Runs only on a change: give a base (a pull request, or --base).",
}

// counts describes findings by severity: "2 errors, 1 warning".
func counts(findings []Finding) string {
	n := map[Severity]int{}
	for _, f := range findings {
		n[f.Severity]++
	}
	var parts []string
	for _, s := range []Severity{Error, Warning, Notice} {
		if n[s] > 0 {
			parts = append(parts, plural(n[s], string(s)))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func summarize(findings []Finding, ok string) string {
	if len(findings) == 0 {
		return ok
	}
	return counts(findings) + "."
}

func summaryPresent(f []Finding) string {
	return summarize(f, "Every environment is installed from a lockfile.")
}

func summaryFresh(f []Finding) string {
	return summarize(f, "Every lockfile agrees with the spec it was made from.")
}

func summaryConsistent(f []Finding) string {
	return summarize(f, "Every locked package's dependencies are met inside its lock.")
}

func summaryPinned(f []Finding) string {
	return summarize(f, "Base images and published tags are immutable.")
}

// summaryDiff counts the changes of all diffs: "3 upgraded, 1 downgraded".
func summaryDiff(diffs []LockDiff) func([]Finding) string {
	return func(f []Finding) string {
		n := map[diff.Kind]int{}
		total := 0
		for _, d := range diffs {
			for _, c := range d.Changes {
				n[c.Kind]++
				total++
			}
		}
		if total == 0 {
			return "No dependency changes."
		}
		var parts []string
		for _, k := range []diff.Kind{diff.Downgraded, diff.Upgraded, diff.Added, diff.Removed, diff.Rebuilt} {
			if n[k] > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n[k], k))
			}
		}
		s := strings.Join(parts, ", ") + "."
		if len(f) > 0 {
			s += " " + counts(f) + "."
		}
		return s
	}
}
