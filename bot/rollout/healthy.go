package rollout

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/rollout/hubconfig"
	"github.com/imagebot/imagebot/bot/rollout/hubprobe"
	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// maxFailedPods bounds the failing pods a hub's health remembers.
const maxFailedPods = 100

// The healthy stage. Once the new image has reached a hub whose servers or
// spawn outcomes imagebot can see, it watches, for the operator's window,
// two things: the hub's own spawn counters (/hub/metrics), and the user
// server pods on the new image that crash or cannot start. Failures are
// the larger of the failed spawns and the failing pods (a failed spawn
// usually shows in both), successes the larger of the successful spawns
// and the servers that run the new image. The stage fails as soon as the
// failures reach the operator's threshold and outnumber the successes; it
// passes when the window ends with successes and no failure. Otherwise the
// watch goes on until one of the two, or until the rollout's timeout.

// watch takes one look at a hub's health, beginning the watch when the new
// image has just reached it. obs is the look at the hub's pods, or nil.
func (t *Tracker) watch(ctx context.Context, gh *github.Client, r *Rollout, h *HubRollout, obs *hubprobe.Observation, now time.Time, checkpoint func(context.Context) error) error {
	hub, ok := t.Config.HubFor(r.Repo, h.Name)
	if !ok || !h.Watched || !h.reached() {
		return nil
	}
	if h.Health == nil {
		h.Health = &Health{Since: now, Until: now.Add(hub.Healthy.Window)}
	}
	hl := h.Health
	if hl.Verdict == "" {
		if hub.Metrics != nil {
			t.countSpawns(ctx, hl, hub)
		}
		if obs != nil {
			hl.see(r, obs)
		}
		hl.judge(hub.Healthy.Failures, now)
	}
	if hl.Verdict == Unhealthy {
		return t.rollBack(ctx, gh, r, h, hub, checkpoint)
	}
	return nil
}

// countSpawns adds what the hub's spawn counters grew by since the last
// read. The first read only sets the baseline.
func (t *Tracker) countSpawns(ctx context.Context, hl *Health, hub *operator.Hub) {
	if t.Spawns == nil {
		hl.Problem = "imagebot was started without a way to read hubs' metrics"
		return
	}
	s, err := t.Spawns.Spawns(ctx, hub)
	if err != nil {
		hl.Problem = err.Error()
		return
	}
	hl.Problem = ""
	now := SpawnCount{Success: s.Success, Failure: s.Failure}
	if hl.Metrics {
		hl.Succeeded += grown(hl.Last.Success, now.Success)
		hl.Failed += grown(hl.Last.Failure, now.Failure)
	}
	hl.Metrics, hl.Last = true, now
}

// grown is how much a counter grew from last to now. A counter below its
// last value belongs to a hub that restarted and counts again from zero.
func grown(last, now int) int {
	if now < last {
		return now
	}
	return now - last
}

// see records the pods that fail on the new image, and counts the servers
// that run it.
func (hl *Health) see(r *Rollout, obs *hubprobe.Observation) {
	failing := map[string]bool{}
	for _, f := range obs.Failures {
		if !r.onNew(f.Digest, f.Image) {
			continue
		}
		failing[f.Pod] = true
		i := slices.IndexFunc(hl.Pods, func(p PodFailure) bool { return p.Pod == f.Pod })
		switch {
		case i >= 0:
			hl.Pods[i].Reason = f.Reason
			if f.ExitCode != 0 {
				hl.Pods[i].ExitCode = f.ExitCode
			}
		case len(hl.Pods) < maxFailedPods:
			hl.Pods = append(hl.Pods, PodFailure{Pod: f.Pod, Reason: f.Reason, ExitCode: f.ExitCode})
		}
	}
	hl.Running = 0
	for _, s := range obs.Servers {
		if s.Digest != "" && r.isNew(s.Digest) && !failing[s.Pod] {
			hl.Running++
		}
	}
}

// onNew reports whether a server runs, or was meant to run, the new
// image: its digest is new, or, never pulled, its spec names the new tag
// or digest.
func (r *Rollout) onNew(digest, image string) bool {
	if digest != "" {
		return r.isNew(digest)
	}
	return hubconfig.PointsAt(image, r.Image, r.Tag, r.digests()...)
}

func (hl *Health) failures() int  { return max(hl.Failed, len(hl.Pods)) }
func (hl *Health) successes() int { return max(hl.Succeeded, hl.Running) }

// judge gives the verdict when there is one.
func (hl *Health) judge(threshold int, now time.Time) {
	failures, successes := hl.failures(), hl.successes()
	switch {
	case failures >= threshold && failures > successes:
		hl.Verdict, hl.At = Unhealthy, now
	case !now.Before(hl.Until) && failures == 0 && successes > 0:
		hl.Verdict, hl.At = Healthy, now
	}
}

// failureWords says what failed in words a maintainer understands: "2 of 3
// servers started since 09:14 UTC failed on the new image (exit code 1)".
// escape is applied to the failing pods' reasons, which come from the
// cluster: identity for deployment statuses, text for Markdown.
func (hl *Health) failureWords(escape func(string) string) string {
	failures := hl.failures()
	s := fmt.Sprintf("%d of %d servers started since %s failed on the new image", failures, failures+hl.successes(), clock(hl.Since))
	if why := hl.why(escape); why != "" {
		s += " (" + why + ")"
	}
	return s
}

// why names the distinct ways the pods failed, most common first: "exit
// code 1", "ImagePullBackOff".
func (hl *Health) why(escape func(string) string) string {
	count := map[string]int{}
	var order []string
	for _, p := range hl.Pods {
		w := escape(p.Reason)
		if p.ExitCode != 0 {
			w = fmt.Sprintf("exit code %d", p.ExitCode)
		}
		if count[w] == 0 {
			order = append(order, w)
		}
		count[w]++
	}
	slices.SortStableFunc(order, func(a, b string) int { return count[b] - count[a] })
	return strings.Join(order, "; ")
}

// heldBefore is the digest most of a hub's servers and pullers hold that is
// not the new image's: what the hub ran before.
func heldBefore(obs hubprobe.Observation, isNew func(string) bool) string {
	count := map[string]int{}
	best := ""
	see := func(d string) {
		if d == "" || isNew(d) {
			return
		}
		count[d]++
		if count[d] > count[best] || (count[d] == count[best] && d < best) {
			best = d
		}
	}
	for _, s := range obs.Servers {
		see(s.Digest)
	}
	for _, p := range obs.Pullers {
		see(p.Digest)
	}
	return best
}

// clock renders a time of day for people: "09:14 UTC".
func clock(t time.Time) string { return t.UTC().Format("15:04 UTC") }
