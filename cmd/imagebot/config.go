package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/imagebot/imagebot/bot/rollout/operator"
)

// errProblemsPrinted makes the command exit 1 without another message:
// it has already printed every problem.
var errProblemsPrinted = errors.New("problems printed")

// runConfig is `imagebot config validate FILE`: it reads the operator's
// configuration offline, without GitHub credentials, clusters or
// registries, and prints either every problem as FILE:LINE: message, or
// the hubs and repositories the file defines.
func runConfig(args []string, stdout, stderr io.Writer) error {
	cmd := newCommand("config validate", "imagebot config validate FILE",
		`Validates an operator configuration offline (no GitHub credentials, clusters or
registries): prints every problem as FILE:LINE: message and exits 1, or lists
the hubs and repositories it defines and exits 0.`)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		cmd.help(stdout)
		return errHelpShown
	}
	if len(args) == 0 || args[0] != "validate" {
		return usagef("usage: imagebot config validate FILE")
	}
	operands, err := cmd.parse(args[1:], stdout)
	if err != nil {
		return err
	}
	if len(operands) != 1 {
		return usagef("config validate takes one file, the operator configuration; got %s", plural(len(operands), "argument", "arguments"))
	}
	path := operands[0]
	if _, err := os.Stat(path); err != nil {
		return usagef("cannot read %s: %v", path, errors.Unwrap(err))
	}
	c, err := operator.Load(path)
	var problems operator.Problems
	switch {
	case errors.As(err, &problems):
		fmt.Fprintln(stderr, err.Error())
		return errProblemsPrinted
	case err != nil:
		return usagef("%v", err)
	}
	return configSummaryTemplate.Execute(stdout, summarize(path, c))
}

// configSummary describes a valid operator configuration for people: the
// output of `config validate`, and the line `serve` logs when it starts.
type configSummary struct {
	Path         string
	Hubs         []hubSummary
	Repositories []repositorySummary
}

type hubSummary struct {
	Name, URL string
	Cluster   string // how its pods are observed; "" when they are not
	Values    string // where its values file names the image; "" when none
	Bumps     bool   // imagebot opens the pull requests that bump it
}

type repositorySummary struct {
	Name, Image, Workflow string
	Feeds                 []feedSummary
}

type feedSummary struct {
	Hub, Key string // Key is the repository's own key path, or ""
}

func summarize(path string, c *operator.Config) configSummary {
	s := configSummary{Path: path}
	for _, h := range c.Hubs {
		hs := hubSummary{Name: h.Name, URL: h.URL}
		if k := h.Kubernetes; k != nil {
			where := "imagebot's own cluster"
			if !k.InCluster {
				kubeconfig, context := "$KUBECONFIG or ~/.kube/config", "its current context"
				if k.Kubeconfig != "" {
					kubeconfig = k.Kubeconfig
				}
				if k.Context != "" {
					context = "context " + k.Context
				}
				where = "the cluster of " + kubeconfig + ", " + context
			}
			hs.Cluster = fmt.Sprintf("pods %s in namespace %s, in %s", k.Selector, k.Namespace, where)
		}
		if cr := h.ConfigRepo; cr != nil {
			ref := ""
			if cr.Ref != "" {
				ref = "@" + cr.Ref
			}
			hs.Values = fmt.Sprintf("%s%s:%s at %s", cr.Repository, ref, cr.Path, cr.Key)
			hs.Bumps = cr.OpenPullRequest
		}
		s.Hubs = append(s.Hubs, hs)
	}
	for _, r := range c.Repositories {
		rs := repositorySummary{Name: r.FullName, Image: r.Image + ":" + r.TagTemplate, Workflow: r.Workflow}
		for _, hub := range r.Hubs {
			rs.Feeds = append(rs.Feeds, feedSummary{Hub: hub, Key: r.HubKeys[hub]})
		}
		s.Repositories = append(s.Repositories, rs)
	}
	return s
}

// HubNames and RepositoryNames are the summary's names, for the log.
func (s configSummary) HubNames() []string {
	names := make([]string, len(s.Hubs))
	for i, h := range s.Hubs {
		names[i] = h.Name
	}
	return names
}

func (s configSummary) RepositoryNames() []string {
	names := make([]string, len(s.Repositories))
	for i, r := range s.Repositories {
		names[i] = r.Name
	}
	return names
}

// lines splits an error that holds one problem per line.
func lines(err error) []string {
	return strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
}
