package hubprobe

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
)

// Failure is a user server whose container does not run: it waits in one
// of failingWaits, or it ended with a non-zero exit code. Only the
// container's state is read, never its logs, which may hold anything a
// user's notebook printed.
type Failure struct {
	Pod  string
	User string
	// Image is the image of the hub's container in the pod spec.
	Image string
	// Digest is the container's image digest, normalised from its status
	// imageID; "" when the runtime never resolved the image (it could not
	// pull it).
	Digest string
	// Reason is the waiting reason (CrashLoopBackOff, ErrImagePull,
	// ImagePullBackOff, CreateContainerError), or, for a container that
	// ended, its terminated reason ("Error", "OOMKilled").
	Reason string
	// ExitCode is the container's last non-zero exit code; 0 when it never
	// ran (an image that cannot be pulled or a container that cannot be
	// created).
	ExitCode int32
}

// failingWaits are the waiting reasons of a container that will not start
// by waiting longer.
var failingWaits = []string{"CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff", "CreateContainerError"}

// failure reads whether a user server pod's container fails, and why.
// Pods that ended in failure count (the hub may leave them for a while);
// pods being deleted do not.
func failure(pod *corev1.Pod, container string) (Failure, bool) {
	if pod.DeletionTimestamp != nil {
		return Failure{}, false
	}
	i := slices.IndexFunc(pod.Status.ContainerStatuses, func(s corev1.ContainerStatus) bool { return s.Name == container })
	if i < 0 {
		return Failure{}, false
	}
	st := pod.Status.ContainerStatuses[i]
	f := Failure{Pod: pod.Name, User: username(pod), Image: specImage(pod.Spec.Containers, container), Digest: NormalizeImageID(st.ImageID)}
	switch {
	case st.State.Waiting != nil && slices.Contains(failingWaits, st.State.Waiting.Reason):
		f.Reason = st.State.Waiting.Reason
		if last := st.LastTerminationState.Terminated; last != nil {
			f.ExitCode = last.ExitCode
		}
	case st.State.Terminated != nil && st.State.Terminated.ExitCode != 0:
		f.Reason, f.ExitCode = st.State.Terminated.Reason, st.State.Terminated.ExitCode
		if f.Reason == "" {
			f.Reason = "Error"
		}
	default:
		return Failure{}, false
	}
	return f, true
}
