package hubprobe

import (
	"errors"
	"fmt"

	"k8s.io/apimachinery/pkg/labels"
)

// Defaults for the Hub fields an operator leaves empty; they are the names
// the Zero to JupyterHub chart and KubeSpawner use.
const (
	DefaultSelector            = "component=singleuser-server"
	DefaultContainer           = "notebook"
	DefaultPullerSelector      = "component in (hook-image-puller,continuous-image-puller)"
	DefaultPullerInitContainer = "image-pull-singleuser"
)

// Hub says where and how to look at one hub; it comes from the operator's
// configuration, never from a repository.
type Hub struct {
	// Namespace holds the hub's pods. It is required: an empty namespace
	// would make the API server list pods across the whole cluster.
	Namespace string
	// Selector is the label selector of user server pods; empty means
	// DefaultSelector.
	Selector string
	// Container is the name of the user server's container that runs the
	// single-user image; empty means DefaultContainer.
	Container string
	// PullerSelector is the label selector of image-puller pods; empty
	// means DefaultPullerSelector.
	PullerSelector string
	// PullerInitContainer is the name of the pullers' init container that
	// pulls the single-user image; empty means DefaultPullerInitContainer.
	PullerInitContainer string
}

// withDefaults returns h with its empty fields set to the defaults, or an
// error when the namespace is missing or a selector does not parse.
func (h Hub) withDefaults() (Hub, error) {
	if h.Namespace == "" {
		return Hub{}, errors.New("hub namespace is empty: name the namespace the hub runs in")
	}
	if h.Selector == "" {
		h.Selector = DefaultSelector
	}
	if h.Container == "" {
		h.Container = DefaultContainer
	}
	if h.PullerSelector == "" {
		h.PullerSelector = DefaultPullerSelector
	}
	if h.PullerInitContainer == "" {
		h.PullerInitContainer = DefaultPullerInitContainer
	}
	for _, s := range []string{h.Selector, h.PullerSelector} {
		if _, err := labels.Parse(s); err != nil {
			return Hub{}, fmt.Errorf("hub label selector %q: %w", s, err)
		}
	}
	return h, nil
}
