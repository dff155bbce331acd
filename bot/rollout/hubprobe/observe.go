package hubprobe

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
)

// usernameKey is the annotation (the hub's user name as is) and the label
// (the same name escaped to label-safe characters) that KubeSpawner puts on
// every user server pod.
const usernameKey = "hub.jupyter.org/username"

// Observation is one look at a hub.
type Observation struct {
	// Servers are the user servers that run or are starting, sorted by pod
	// name.
	Servers []Server
	// Pullers are the image-puller pods, one per node for each puller
	// DaemonSet, sorted by node and then pod name.
	Pullers []Puller
	// ConfiguredImages are the distinct images the pullers' init containers
	// are configured with, sorted: the hub's current single-user image. There
	// are two while a configuration change rolls out to the pullers, and
	// none when the hub runs no image pullers.
	ConfiguredImages []string
	// Failures are the user servers whose container fails to start or
	// crashed, sorted by pod name; unlike Servers, they include pods that
	// ended in failure.
	Failures []Failure
}

// Server is one user server pod.
type Server struct {
	Pod string
	// Node is the node the pod is scheduled on; "" while unscheduled.
	Node string
	// User is the hub user: the hub.jupyter.org/username annotation when
	// present (the name as the hub knows it), else the label of the same key
	// (the name escaped to label-safe characters), else "".
	User string
	// Image is the image of the hub's container in the pod spec; "" when
	// the pod has no container of that name.
	Image string
	// Digest is the container's image digest, normalised from its status
	// imageID; "" until the container runtime has resolved the image.
	Digest string
}

// Puller is one image-puller pod.
type Puller struct {
	Pod  string
	Node string
	// Image is the image of the puller's single-user init container in the
	// pod spec.
	Image string
	// Digest is the image digest that node pulled, normalised from the init
	// container's status imageID; "" while the pull is under way.
	Digest string
}

// Observe lists the hub's user server pods and image-puller pods and reads
// from them which images are configured, which digests run where, and which
// servers fail. Pods that have finished (phase Succeeded or Failed) or are
// being deleted are left out of Servers and Pullers, and so are puller pods
// without the hub's puller init container.
func Observe(ctx context.Context, client kubernetes.Interface, hub Hub) (Observation, error) {
	hub, err := hub.withDefaults()
	if err != nil {
		return Observation{}, err
	}
	serverPods, err := listPods(ctx, client, hub.Namespace, hub.Selector)
	if err != nil {
		return Observation{}, fmt.Errorf("list user servers in namespace %s with selector %q: %w", hub.Namespace, hub.Selector, err)
	}
	pullerPods, err := listPods(ctx, client, hub.Namespace, hub.PullerSelector)
	if err != nil {
		return Observation{}, fmt.Errorf("list image pullers in namespace %s with selector %q: %w", hub.Namespace, hub.PullerSelector, err)
	}

	var obs Observation
	for i := range serverPods {
		pod := &serverPods[i]
		if f, ok := failure(pod, hub.Container); ok {
			obs.Failures = append(obs.Failures, f)
		}
		if gone(pod) {
			continue
		}
		obs.Servers = append(obs.Servers, Server{
			Pod:    pod.Name,
			Node:   pod.Spec.NodeName,
			User:   username(pod),
			Image:  specImage(pod.Spec.Containers, hub.Container),
			Digest: NormalizeImageID(statusImageID(pod.Status.ContainerStatuses, hub.Container)),
		})
	}
	for i := range pullerPods {
		pod := &pullerPods[i]
		c := slices.IndexFunc(pod.Spec.InitContainers, named(hub.PullerInitContainer))
		if gone(pod) || c < 0 {
			continue
		}
		image := pod.Spec.InitContainers[c].Image
		obs.Pullers = append(obs.Pullers, Puller{
			Pod:    pod.Name,
			Node:   pod.Spec.NodeName,
			Image:  image,
			Digest: NormalizeImageID(statusImageID(pod.Status.InitContainerStatuses, hub.PullerInitContainer)),
		})
		if !slices.Contains(obs.ConfiguredImages, image) {
			obs.ConfiguredImages = append(obs.ConfiguredImages, image)
		}
	}

	slices.SortFunc(obs.Servers, func(a, b Server) int { return cmp.Compare(a.Pod, b.Pod) })
	slices.SortFunc(obs.Failures, func(a, b Failure) int { return cmp.Compare(a.Pod, b.Pod) })
	slices.SortFunc(obs.Pullers, func(a, b Puller) int {
		return cmp.Or(cmp.Compare(a.Node, b.Node), cmp.Compare(a.Pod, b.Pod))
	})
	slices.Sort(obs.ConfiguredImages)
	return obs, nil
}

// gone reports whether pod has finished or is being deleted, so that it no
// longer shows what the hub runs.
func gone(pod *corev1.Pod) bool {
	return pod.DeletionTimestamp != nil ||
		pod.Status.Phase == corev1.PodSucceeded ||
		pod.Status.Phase == corev1.PodFailed
}

// username returns the hub user a server pod belongs to, preferring the
// unescaped annotation over the escaped label.
func username(pod *corev1.Pod) string {
	if user, ok := pod.Annotations[usernameKey]; ok {
		return user
	}
	return pod.Labels[usernameKey]
}

// named matches a container by name.
func named(name string) func(corev1.Container) bool {
	return func(c corev1.Container) bool { return c.Name == name }
}

// specImage returns the image of the container called name, or "".
func specImage(containers []corev1.Container, name string) string {
	if i := slices.IndexFunc(containers, named(name)); i >= 0 {
		return containers[i].Image
	}
	return ""
}

// statusImageID returns the imageID in the status of the container called
// name, or "" when the pod reports no status for it yet.
func statusImageID(statuses []corev1.ContainerStatus, name string) string {
	i := slices.IndexFunc(statuses, func(s corev1.ContainerStatus) bool { return s.Name == name })
	if i < 0 {
		return ""
	}
	return statuses[i].ImageID
}
