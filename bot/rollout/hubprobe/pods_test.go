package hubprobe

import (
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Digests of one image build (its index and its linux/amd64 manifest) and of
// the build before it.
const (
	newIndex = "sha256:e480ce5b8d5c58178945311ac9550b9ac0555a6465a73dd8434b690ce080d281"
	newAMD64 = "sha256:fb1f961faccf77cf897be2be613703ac386a9718533719cec94c5aaa64f53e78"
	oldIndex = "sha256:c69a4ba7754580d402f6dbf66490a49ce20c2daffedc5ac146e87c87b9c697fc"
	oldAMD64 = "sha256:7ad55f0f418d4c634362691a7b77530d47637fc94a7726eb4c9965eac439c626"
)

// isNewBuild accepts either digest of the new build.
func isNewBuild(digest string) bool { return digest == newIndex || digest == newAMD64 }

var podStart = metav1.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

// userServer is a user server pod as KubeSpawner creates it under the Zero
// to JupyterHub chart. With an empty imageID it is still pulling its image
// (ContainerCreating); otherwise it runs. The escaped username goes in the
// label; the unescaped one, when not empty, in the annotation.
func userServer(namespace, name, node, label, annotation, image, imageID string) *corev1.Pod {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: namespace,
			Labels: map[string]string{
				"app":                                "jupyterhub",
				"chart":                              "jupyterhub-4.2.0",
				"component":                          "singleuser-server",
				"heritage":                           "jupyterhub",
				"hub.jupyter.org/network-access-hub": "true",
				"hub.jupyter.org/servername":         "",
				"hub.jupyter.org/username":           label,
				"release":                            "jhub",
			},
			Annotations: map[string]string{
				"hub.jupyter.org/kubespawner-version": "7.0.0",
				"hub.jupyter.org/jupyterhub-version":  "5.3.0",
			},
		},
		Spec: corev1.PodSpec{
			NodeName: node,
			InitContainers: []corev1.Container{{
				Name:  "block-cloud-metadata",
				Image: "quay.io/jupyterhub/k8s-network-tools:4.2.0",
			}},
			Containers: []corev1.Container{{
				Name:  "notebook",
				Image: image,
				Args:  []string{"jupyterhub-singleuser"},
				Ports: []corev1.ContainerPort{{Name: "notebook-port", ContainerPort: 8888}},
			}},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			InitContainerStatuses: []corev1.ContainerStatus{{
				Name:    "block-cloud-metadata",
				Image:   "quay.io/jupyterhub/k8s-network-tools:4.2.0",
				ImageID: "quay.io/jupyterhub/k8s-network-tools@" + oldIndex,
				State:   corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}},
			}},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name:    "notebook",
				Image:   image,
				ImageID: imageID,
				Ready:   true,
				State:   corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: podStart}},
			}},
		},
	}
	if annotation != "" {
		pod.Annotations["hub.jupyter.org/username"] = annotation
	}
	if imageID == "" {
		pod.Status.Phase = corev1.PodPending
		pod.Status.ContainerStatuses[0].Ready = false
		pod.Status.ContainerStatuses[0].State = corev1.ContainerState{
			Waiting: &corev1.ContainerStateWaiting{Reason: "ContainerCreating"},
		}
	}
	return pod
}

// imagePuller is a pod of the chart's hook-image-puller or
// continuous-image-puller DaemonSet (component names which). With an empty
// imageID its single-user init container is still pulling.
func imagePuller(namespace, component, name, node, image, imageID string) *corev1.Pod {
	pullOnly := []string{"/bin/sh", "-c", `echo "Pulling complete"`}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      name,
			Namespace: namespace,
			Labels: map[string]string{
				"app":                      "jupyterhub",
				"component":                component,
				"controller-revision-hash": "6d8f7c9b5",
				"pod-template-generation":  "3",
				"release":                  "jhub",
			},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "DaemonSet", Name: component}},
		},
		Spec: corev1.PodSpec{
			NodeName: node,
			InitContainers: []corev1.Container{
				{Name: "image-pull-metadata-block", Image: "quay.io/jupyterhub/k8s-network-tools:4.2.0", Command: pullOnly},
				{Name: "image-pull-singleuser", Image: image, Command: pullOnly},
			},
			Containers: []corev1.Container{{Name: "pause", Image: "registry.k8s.io/pause:3.10"}},
		},
		Status: corev1.PodStatus{
			Phase: corev1.PodRunning,
			InitContainerStatuses: []corev1.ContainerStatus{
				{
					Name:    "image-pull-metadata-block",
					Image:   "quay.io/jupyterhub/k8s-network-tools:4.2.0",
					ImageID: "quay.io/jupyterhub/k8s-network-tools@" + oldIndex,
					State:   corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}},
				},
				{
					Name:    "image-pull-singleuser",
					Image:   image,
					ImageID: imageID,
					State:   corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "Completed"}},
				},
			},
			ContainerStatuses: []corev1.ContainerStatus{{
				Name:    "pause",
				Image:   "registry.k8s.io/pause:3.10",
				ImageID: "registry.k8s.io/pause@" + oldAMD64,
				Ready:   true,
				State:   corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: podStart}},
			}},
		},
	}
	if imageID == "" {
		pod.Status.Phase = corev1.PodPending
		pod.Status.InitContainerStatuses[1].State = corev1.ContainerState{
			Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"},
		}
		pod.Status.ContainerStatuses = []corev1.ContainerStatus{{
			Name:  "pause",
			Image: "registry.k8s.io/pause:3.10",
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}},
		}}
	}
	return pod
}

// hubPod is the hub's own pod, which shares the namespace and the app label
// but is no user server.
func hubPod(namespace string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name:      "hub-7d9f8b6c5-x2k4p",
			Namespace: namespace,
			Labels:    map[string]string{"app": "jupyterhub", "component": "hub", "release": "jhub"},
		},
		Spec: corev1.PodSpec{
			NodeName:   "core-pool-a",
			Containers: []corev1.Container{{Name: "hub", Image: "quay.io/jupyterhub/k8s-hub:4.2.0"}},
		},
		Status: corev1.PodStatus{Phase: corev1.PodRunning},
	}
}

// failed marks pod as ended in failure, as a server whose image could not
// start.
func failed(pod *corev1.Pod) *corev1.Pod {
	pod.Status.Phase = corev1.PodFailed
	pod.Status.ContainerStatuses[0].State = corev1.ContainerState{
		Terminated: &corev1.ContainerStateTerminated{ExitCode: 1, Reason: "Error"},
	}
	return pod
}

// terminating marks pod as being deleted, as a server its user just stopped.
func terminating(pod *corev1.Pod) *corev1.Pod {
	grace := int64(1)
	pod.DeletionTimestamp = &podStart
	pod.DeletionGracePeriodSeconds = &grace
	return pod
}
