package rollout

import (
	"strings"
	"time"
)

// How long a stage may take before its delay is explained.
const (
	buildGrace = 10 * time.Minute // from the merge until the build's run shows up
	pushGrace  = 10 * time.Minute // from the build's end until the registry has the tag
)

// guidance explains, for a community maintainer, what holds the rollout
// up and what to do about it. It is recomputed every round, and says only
// facts and absolute times, so that it changes only when a fact does: a
// stalled rollout costs no edit per round.
func guidance(r *Rollout, now time.Time) []string {
	var out []string
	say := func(name string, data any) { out = append(out, execute(name, data)) }
	short := r.MergeSHA
	if len(short) > 7 {
		short = short[:7]
	}
	if len(r.Refused) > 0 {
		say("refused", struct{ Hubs string }{codeList(r.Refused)})
	}
	switch r.State {
	case Superseded:
		say("superseded", struct{ Newer int }{r.Newer})
		return out
	case Failed:
		say("build-failed", struct{ Run string }{link(r.Build.Name, r.Build.URL)})
		return out
	}
	if anyFailing(r) {
		say("revert", struct {
			Number int
			URL    string
		}{r.Number, r.pullURL()})
	}
	switch {
	case r.Build.Status == "" && now.Sub(r.MergedAt) > buildGrace:
		say("no-build", struct{ Workflow, SHA, Merged string }{text("“" + r.Workflow + "”"), code(short), stamp(r.MergedAt)})
	case r.Build.Status == "success" && !r.published() && now.Sub(r.Build.At) > pushGrace:
		say("not-pushed", struct{ Built, Ref, Tag string }{stamp(r.Build.At), code(r.ref()), code(r.Tag)})
	}
	if r.published() {
		for i := range r.Hubs {
			out = append(out, hubGuidance(r, &r.Hubs[i], now)...)
		}
	}
	if r.State == TimedOut {
		say("timed-out", struct {
			Timeout  time.Duration
			SeeAbove bool
		}{r.Timeout, len(out) > 0})
	}
	return out
}

// hubGuidance explains what holds up one hub.
func hubGuidance(r *Rollout, h *HubRollout, now time.Time) []string {
	var out []string
	hub := code(h.Name)
	if h.Problem != "" {
		out = append(out, execute("hub-problem", struct{ Hub, Problem string }{hub, text(strings.TrimSuffix(h.Problem, "."))}))
	}
	if h.Health != nil && h.Health.Problem != "" && h.Health.Verdict == "" {
		out = append(out, execute("health-problem", struct{ Hub, Problem string }{hub, text(strings.TrimSuffix(h.Health.Problem, "."))}))
	}
	switch {
	case h.Mutable && h.Observed && h.NodesWithNew < h.NodesTotal:
		out = append(out, execute("mutable", struct {
			Hub, Value, Ref, ConfigURL string
			Stale, Nodes               int
		}{hub, code(h.ConfigValue), code(r.ref()), h.ConfigURL, h.NodesTotal - h.NodesWithNew, h.NodesTotal}))
	case h.ConfiguredAt.IsZero() && now.Sub(r.Pushed.At) > r.ConfigureIn:
		value := "another image"
		if h.ConfigValue != "" {
			value = code(h.ConfigValue)
		}
		out = append(out, execute("not-configured", struct{ Hub, Value, ConfigURL, Pushed, Tag, BumpURL string }{
			hub, value, h.ConfigURL, stamp(r.Pushed.At), code(r.Tag), h.BumpURL}))
	}
	return out
}

// rollbackLines say, for each hub where the new image fails, how to roll
// it back. The comment shows them right below its headline.
func rollbackLines(r *Rollout) []string {
	if r.State == Superseded {
		return nil
	}
	var out []string
	for i := range r.Hubs {
		h := &r.Hubs[i]
		if !h.failing() {
			continue
		}
		v := struct {
			Hub, Value, Digest, ConfigURL, RollbackURL string
			Restored                                   bool
			Rollout                                    int
		}{Hub: code(h.Name), ConfigURL: h.ConfigURL, Rollout: h.Before.Rollout}
		if value := r.rollbackValue(h); value != "" {
			v.Value = code(plainValue(value))
		}
		if h.Before.Digest != "" {
			v.Digest = code(shortDigest(h.Before.Digest))
		}
		if h.Rollback != nil {
			v.RollbackURL, v.Restored = h.Rollback.URL, h.Rollback.State == "restored"
		}
		out = append(out, execute("rollback", v))
	}
	return out
}

func anyFailing(r *Rollout) bool {
	for i := range r.Hubs {
		if r.Hubs[i].failing() {
			return true
		}
	}
	return false
}

// codeList renders names as code spans, separated by commas.
func codeList(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = code(n)
	}
	return strings.Join(quoted, ", ")
}
