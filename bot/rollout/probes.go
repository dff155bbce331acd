package rollout

import (
	"context"
	"fmt"
	"os"
	"sync"

	"k8s.io/client-go/kubernetes"

	"github.com/imagebot/imagebot/bot/rollout/hubapi"
	"github.com/imagebot/imagebot/bot/rollout/hubprobe"
	"github.com/imagebot/imagebot/bot/rollout/operator"
	"github.com/imagebot/imagebot/bot/rollout/registry"
)

// Registry resolves the new tag to its digests.
type Registry interface {
	Resolve(ctx context.Context, ref string) (registry.Digests, error)
}

// Clusters looks at the user servers and image pullers of a hub.
type Clusters interface {
	Observe(ctx context.Context, hub *operator.Hub) (hubprobe.Observation, error)
}

// KubeClusters reaches each hub's cluster with the credentials the
// operator configured for it; clients are made on first use and reused.
type KubeClusters struct {
	mu      sync.Mutex
	clients map[string]kubernetes.Interface
	// NewClient makes a hub's client; hubprobe.NewClient by default.
	NewClient func(kubeconfig, context string, inCluster bool) (kubernetes.Interface, error)
}

// Observe looks at one hub.
func (k *KubeClusters) Observe(ctx context.Context, hub *operator.Hub) (hubprobe.Observation, error) {
	kc := hub.Kubernetes
	if kc == nil {
		return hubprobe.Observation{}, fmt.Errorf("hub %s has no kubernetes settings", hub.Name)
	}
	client, err := k.client(hub)
	if err != nil {
		return hubprobe.Observation{}, err
	}
	return hubprobe.Observe(ctx, client, hubprobe.Hub{Namespace: kc.Namespace, Selector: kc.Selector, Container: kc.Container})
}

func (k *KubeClusters) client(hub *operator.Hub) (kubernetes.Interface, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if c, ok := k.clients[hub.Name]; ok {
		return c, nil
	}
	newClient := k.NewClient
	if newClient == nil {
		newClient = hubprobe.NewClient
	}
	c, err := newClient(hub.Kubernetes.Kubeconfig, hub.Kubernetes.Context, hub.Kubernetes.InCluster)
	if err != nil {
		return nil, err
	}
	if k.clients == nil {
		k.clients = map[string]kubernetes.Interface{}
	}
	k.clients[hub.Name] = c
	return c, nil
}

// Spawns reads a hub's spawn counters, for the healthy stage.
type Spawns interface {
	Spawns(ctx context.Context, hub *operator.Hub) (hubapi.Spawns, error)
}

// HubMetrics reads each hub's /hub/metrics at its API address, with the
// token in the environment variable the operator named for it.
type HubMetrics struct {
	Client *hubapi.Client
	// Getenv reads the environment; os.Getenv when nil.
	Getenv func(string) string
}

// Spawns reads one hub's spawn counters.
func (m *HubMetrics) Spawns(ctx context.Context, hub *operator.Hub) (hubapi.Spawns, error) {
	if hub.Metrics == nil {
		return hubapi.Spawns{}, fmt.Errorf("the operator's configuration gives hub %s no metrics settings", hub.Name)
	}
	getenv := m.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	token := getenv(hub.Metrics.TokenEnv)
	if token == "" {
		return hubapi.Spawns{}, fmt.Errorf("the environment variable %s, which the operator's configuration names for the hub's metrics token, is empty", hub.Metrics.TokenEnv)
	}
	return m.Client.Spawns(ctx, hub.API(), token, hub.Metrics.Prefix)
}
