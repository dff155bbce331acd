package hubprobe

import (
	"context"
	"errors"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// pageSize is how many pods one list request asks the API server for.
const pageSize = 500

// maxPages bounds one listing to maxPages*pageSize pods (20,000), far more
// than the user servers or nodes of any one hub.
const maxPages = 40

// ErrTooManyPods is returned when a selector matches more pods than one look
// reads; the selector is probably too broad.
var ErrTooManyPods = errors.New("too many pods match the selector")

// listPods lists the pods in namespace that match selector, pageSize at a
// time, following the API server's continue token. It stops with
// ErrTooManyPods after maxPages pages.
func listPods(ctx context.Context, client kubernetes.Interface, namespace, selector string) ([]corev1.Pod, error) {
	opts := metav1.ListOptions{LabelSelector: selector, Limit: pageSize}
	var pods []corev1.Pod
	for range maxPages {
		list, err := client.CoreV1().Pods(namespace).List(ctx, opts)
		if err != nil {
			return nil, err
		}
		pods = append(pods, list.Items...)
		if list.Continue == "" {
			return pods, nil
		}
		opts.Continue = list.Continue
	}
	return nil, fmt.Errorf("%w: more than %d pods", ErrTooManyPods, maxPages*pageSize)
}
