package checks

import (
	"sort"
	"strings"
)

// platformFinding is a finding about one platform. Its message holds the
// placeholder "{platforms}", filled in once the same finding on every
// platform has been merged into one.
type platformFinding struct {
	Finding
	platform string
}

const platformsPlaceholder = "{platforms}"

// mergePlatforms folds findings that differ only in their platform (and
// so in the line of the platform's entry) into one finding that names all
// of them, at the first one's line, keeping first-seen order.
func mergePlatforms(items []platformFinding) []Finding {
	type key struct {
		path, message, fix string
		severity           Severity
	}
	var order []key
	groups := map[key][]string{}
	lines := map[key]int{}
	for _, it := range items {
		k := key{it.Path, it.Message, it.Fix, it.Severity}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
			lines[k] = it.Line
		}
		groups[k] = append(groups[k], it.platform)
	}
	out := make([]Finding, 0, len(order))
	for _, k := range order {
		plats := groups[k]
		sort.Strings(plats)
		names := strings.Join(plats, ", ")
		out = append(out, Finding{
			Severity: k.severity, Path: k.path, Line: lines[k],
			Message: strings.ReplaceAll(k.message, platformsPlaceholder, names),
			Fix:     strings.ReplaceAll(k.fix, platformsPlaceholder, names),
		})
	}
	return out
}
