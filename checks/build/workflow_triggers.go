package build

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// runContext is a kind of run that decides which tags docker/metadata-action produces:
// what the ref is, and whether the event is a schedule.
type runContext uint8

const (
	onDefaultBranch runContext = 1 << iota // a push (or dispatch) on the default branch
	onOtherBranch                          // a push on another branch
	onGitTag                               // a push of a git tag, or a release
	onPullRequest                          // a pull_request event (ref refs/pull/N/merge)
	onSchedule                             // a schedule event (ref: the default branch)
)

// contextSet is a set of runContexts.
type contextSet uint8

const (
	branchContexts = contextSet(onDefaultBranch | onOtherBranch)
	allContexts    = contextSet(onDefaultBranch | onOtherBranch | onGitTag | onPullRequest | onSchedule)
)

func (c contextSet) has(x runContext) bool { return c&contextSet(x) != 0 }

// contextsInOrder lists the contexts with how a Condition names them.
var contextsInOrder = []struct {
	ctx  runContext
	name string
}{
	{onDefaultBranch, "on pushes to the default branch"},
	{onOtherBranch, "on pushes to other branches"},
	{onGitTag, "on git tag pushes"},
	{onPullRequest, "on pull requests"},
	{onSchedule, "on scheduled runs"},
}

// describe names the contexts of a set, or "" when the set is everything the workflow's
// triggers allow.
func (c contextSet) describe(allowed contextSet) string {
	c &= allowed
	if c == allowed {
		return ""
	}
	if c&branchContexts == branchContexts {
		var parts []string
		parts = append(parts, "on branch pushes")
		for _, x := range contextsInOrder[2:] {
			if c.has(x.ctx) {
				parts = append(parts, x.name)
			}
		}
		return strings.Join(parts, ", ")
	}
	var parts []string
	for _, x := range contextsInOrder {
		if c.has(x.ctx) {
			parts = append(parts, x.name)
		}
	}
	return strings.Join(parts, ", ")
}

// triggerContexts reads a workflow's on: into the contexts it can run in. Push filters
// decide between branches and tags as GitHub does: with only branches filters a push of a
// tag does not run the workflow, and the other way round; without either, both run it.
// Events whose ref is unknown (workflow_call, workflow_dispatch, repository_dispatch, …)
// allow every context.
func triggerContexts(on *yaml.Node) contextSet {
	on = deref(on)
	if on == nil {
		return allContexts
	}
	var set contextSet
	switch on.Kind {
	case yaml.ScalarNode:
		set = eventContexts(on.Value, nil)
	case yaml.SequenceNode:
		for _, e := range on.Content {
			if name, ok := scalar(e); ok {
				set |= eventContexts(name, nil)
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(on.Content); i += 2 {
			if name, ok := scalar(on.Content[i]); ok {
				set |= eventContexts(name, deref(on.Content[i+1]))
			}
		}
	}
	if set == 0 {
		return allContexts
	}
	return set
}

func eventContexts(event string, config *yaml.Node) contextSet {
	switch event {
	case "push":
		branches := get(config, "branches") != nil || get(config, "branches-ignore") != nil
		tags := get(config, "tags") != nil || get(config, "tags-ignore") != nil
		switch {
		case branches && !tags:
			return branchContexts
		case tags && !branches:
			return contextSet(onGitTag)
		}
		return branchContexts | contextSet(onGitTag)
	case "pull_request", "pull_request_review", "pull_request_review_comment":
		return contextSet(onPullRequest)
	case "pull_request_target", "merge_group":
		return branchContexts
	case "schedule":
		return contextSet(onSchedule)
	case "release", "registry_package":
		return contextSet(onGitTag)
	case "create", "delete", "workflow_dispatch":
		return branchContexts | contextSet(onGitTag)
	case "workflow_call":
		return allContexts
	}
	return contextSet(onDefaultBranch)
}
