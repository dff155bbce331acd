package hubprobe

import (
	"context"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/fake"
)

// waiting makes a server's container wait for reason; lastExit, when not 0,
// is the exit code of its last run.
func waiting(pod *corev1.Pod, reason string, lastExit int32) *corev1.Pod {
	pod.Status.ContainerStatuses[0].Ready = false
	pod.Status.ContainerStatuses[0].State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: "a message imagebot never reads"}}
	if lastExit != 0 {
		pod.Status.ContainerStatuses[0].LastTerminationState = corev1.ContainerState{
			Terminated: &corev1.ContainerStateTerminated{ExitCode: lastExit, Reason: "Error"}}
	}
	return pod
}

// ended makes a server's container end with an exit code and a reason.
func ended(pod *corev1.Pod, code int32, reason string) *corev1.Pod {
	pod.Status.Phase = corev1.PodFailed
	if code == 0 {
		pod.Status.Phase = corev1.PodSucceeded
	}
	pod.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: code, Reason: reason}}
	return pod
}

func TestObserveFailures(t *testing.T) {
	client := fake.NewClientset(
		hubPod("prod"),
		// Python cannot import sqlite3: the server exits 1, again and again.
		waiting(userServer("prod", "jupyter-alice", "n1", "alice", "", newImage, "quay.io/community/notebook@"+newAMD64), "CrashLoopBackOff", 1),
		// The tag was never pushed for this platform.
		waiting(userServer("prod", "jupyter-bob", "n2", "bob", "", newImage, ""), "ErrImagePull", 0),
		waiting(userServer("prod", "jupyter-carol", "n2", "carol", "", newImage, ""), "ImagePullBackOff", 0),
		waiting(userServer("prod", "jupyter-dave", "n1", "dave", "", newImage, ""), "CreateContainerError", 0),
		// Killed for memory, and the pod ended.
		ended(userServer("prod", "jupyter-erin", "n1", "erin", "", newImage, "quay.io/community/notebook@"+newIndex), 137, "OOMKilled"),
		ended(userServer("prod", "jupyter-frank", "n1", "frank", "", newImage, "quay.io/community/notebook@"+newIndex), 2, ""),
		// Not failures: still being created, running, stopped cleanly, and a
		// crash loop that is being deleted.
		userServer("prod", "jupyter-grace", "n1", "grace", "", newImage, ""),
		userServer("prod", "jupyter-heidi", "n2", "heidi", "", newImage, "quay.io/community/notebook@"+newAMD64),
		ended(userServer("prod", "jupyter-ivan", "n2", "ivan", "", newImage, "quay.io/community/notebook@"+newAMD64), 0, "Completed"),
		terminating(waiting(userServer("prod", "jupyter-judy", "n2", "judy", "", newImage, "quay.io/community/notebook@"+newAMD64), "CrashLoopBackOff", 1)),
	)
	obs, err := Observe(context.Background(), client, Hub{Namespace: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	want := []Failure{
		{Pod: "jupyter-alice", User: "alice", Image: newImage, Digest: newAMD64, Reason: "CrashLoopBackOff", ExitCode: 1},
		{Pod: "jupyter-bob", User: "bob", Image: newImage, Reason: "ErrImagePull"},
		{Pod: "jupyter-carol", User: "carol", Image: newImage, Reason: "ImagePullBackOff"},
		{Pod: "jupyter-dave", User: "dave", Image: newImage, Reason: "CreateContainerError"},
		{Pod: "jupyter-erin", User: "erin", Image: newImage, Digest: newIndex, Reason: "OOMKilled", ExitCode: 137},
		{Pod: "jupyter-frank", User: "frank", Image: newImage, Digest: newIndex, Reason: "Error", ExitCode: 2},
	}
	if !reflect.DeepEqual(obs.Failures, want) {
		t.Errorf("Failures =\n%+v\nwant\n%+v", obs.Failures, want)
	}
	listCalls(t, client) // only pods were listed: no logs, no other reads
}
