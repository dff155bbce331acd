package rollout

import (
	"fmt"
	"strings"
	"time"

	"github.com/imagebot/imagebot/internal/markdown"
)

// How long a stage may take before its delay is explained.
const (
	buildGrace = 10 * time.Minute // from the merge until the build's run shows up
	pushGrace  = 10 * time.Minute // from the build's end until the registry has the tag
)

// guidance explains, for a community maintainer, what holds the rollout
// up and what to do about it. It is recomputed every round.
func guidance(r *Rollout, now time.Time) []string {
	var out []string
	short := r.MergeSHA
	if len(short) > 7 {
		short = short[:7]
	}
	if len(r.Refused) > 0 {
		out = append(out, fmt.Sprintf("`.github/imagebot.yml` names %s, which the operator has not allowed this repository to feed; ask the hub's operator to add it.",
			codeList(r.Refused)))
	}
	switch r.State {
	case Superseded:
		return append(out, fmt.Sprintf("A newer merge, #%d, took over; follow its rollout there.", r.Newer))
	case Failed:
		return append(out, fmt.Sprintf("The build failed: %s. The image was not pushed, so no hub changes. Fix the build and merge again.", link(r.Build.Name, r.Build.URL)))
	}
	switch {
	case r.Build.Status == "" && now.Sub(r.MergedAt) > buildGrace:
		out = append(out, fmt.Sprintf("No run of the workflow %s has started for `%s` in %s. Check the repository's Actions tab: the workflow may run only for some branches or paths, or be disabled.",
			markdown.Text("“"+r.Workflow+"”"), short, minutes(now.Sub(r.MergedAt))))
	case r.Build.Status == "success" && !r.published() && now.Sub(r.Build.At) > pushGrace:
		out = append(out, fmt.Sprintf("The build finished %s ago, but `%s` is not in the registry. The workflow must push the tag `%s`, the first characters of the merge commit's SHA (for jupyterhub/repo2docker-action, check `IMAGE_NAME` and that pushing is on).",
			minutes(now.Sub(r.Build.At)), r.ref(), r.Tag))
	}
	if r.published() {
		for i := range r.Hubs {
			out = append(out, hubGuidance(r, &r.Hubs[i], now)...)
		}
	}
	if r.State == TimedOut {
		reason := "the image never reached every hub"
		if len(out) > 0 {
			reason = "see above"
		}
		out = append(out, fmt.Sprintf("imagebot stopped following this rollout after %s (%s). Comment `%s` to look again.", r.Timeout, reason, Command))
	}
	return out
}

// hubGuidance explains what holds up one hub.
func hubGuidance(r *Rollout, h *HubRollout, now time.Time) []string {
	var out []string
	if h.Problem != "" {
		out = append(out, fmt.Sprintf("Hub `%s`: %s. Tell the hub's operator.", h.Name, strings.TrimSuffix(h.Problem, ".")))
	}
	waited := now.Sub(r.Pushed.At)
	switch {
	case h.Mutable && h.Observed && h.NodesWithNew < h.NodesTotal:
		out = append(out, fmt.Sprintf("Hub `%s` follows the mutable tag `%s`, and %d of its %d nodes still hold the old image, so user servers keep starting from the old digest until the nodes pull again. Pin the hub to `%s` in its configuration%s.",
			h.Name, h.ConfigValue, h.NodesTotal-h.NodesWithNew, h.NodesTotal, r.ref(), where(h)))
	case h.ConfiguredAt.IsZero() && waited > r.ConfigureIn:
		msg := fmt.Sprintf("Hub `%s` still points at `%s`%s, %s after the new image was pushed. Set it to `%s`.",
			h.Name, orNothing(h.ConfigValue), where(h), minutes(waited), r.Tag)
		if h.BumpURL != "" {
			msg += fmt.Sprintf(" imagebot opened [a pull request](%s) that does this; it needs a review from the hub's operator.", h.BumpURL)
		}
		out = append(out, msg)
	}
	return out
}

func where(h *HubRollout) string {
	if h.ConfigURL == "" {
		return ""
	}
	return fmt.Sprintf(" ([the hub's configuration](%s))", h.ConfigURL)
}

func orNothing(s string) string {
	if s == "" {
		return "another image"
	}
	return s
}

func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = markdown.Code(n)
	}
	return strings.Join(quoted, ", ")
}

// minutes renders a wait for people: "12 minutes", "3 hours".
func minutes(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		return "a minute"
	case d < 2*time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return fmt.Sprintf("%d hours", int(d.Hours()))
}
