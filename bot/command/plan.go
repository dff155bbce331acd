// Package command answers imagebot's slash commands in pull request
// comments: `/imagebot recheck`, `/imagebot rollout` and `/imagebot help`.
// Plan decides, from a comment's body and its author's association with
// the repository alone, what a comment asks for; Events enqueues that
// decision as a durable job and Worker carries it out. Only owners,
// members and collaborators are obeyed; anyone else gets a 😕 reaction and
// nothing more. imagebot answers with a reaction, or by editing its own
// sticky comment (help), never with a new comment.
//
// It depends on go-github, the queue and the jobs it hands work to
// (review's checks, rollout's command); nothing depends on it but app.
package command

import "strings"

// Prefix starts every command.
const Prefix = "/imagebot"

// Action is what a comment asks of imagebot.
type Action string

// The actions. Ignore is not a command at all and gets no answer.
const (
	Ignore  Action = ""
	Refuse  Action = "refuse"  // a command from an author who may not give one: 😕
	Unknown Action = "unknown" // a permitted author's command imagebot does not know: 😕 and the help section
	Recheck Action = "recheck" // run the checks again on the head commit
	Rollout Action = "rollout" // check the merged pull request's rollout again at once
	Help    Action = "help"    // add the list of commands to the sticky comment
)

// verbs are the commands, by the word after Prefix.
var verbs = map[string]Action{"recheck": Recheck, "rollout": Rollout, "help": Help}

// permitted are the author associations whose commands are obeyed: people
// who can already change the repository.
var permitted = map[string]bool{"OWNER": true, "MEMBER": true, "COLLABORATOR": true}

// Plan says what a comment asks for. A command is the comment's first
// line: Prefix alone (which asks for help) or followed by one verb.
// Anything else, such as a comment that mentions a command further down,
// is not a command.
func Plan(body, association string) Action {
	first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	fields := strings.Fields(first)
	if len(fields) == 0 || fields[0] != Prefix {
		return Ignore
	}
	if !permitted[association] {
		return Refuse
	}
	if len(fields) == 1 {
		return Help
	}
	if a, ok := verbs[fields[1]]; ok && len(fields) == 2 {
		return a
	}
	return Unknown
}
