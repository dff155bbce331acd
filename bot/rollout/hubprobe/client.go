package hubprobe

import (
	"errors"
	"fmt"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// userAgent is appended to client-go's default User-Agent, so that the API
// server's audit log names imagebot.
const userAgent = "imagebot-hubprobe"

// NewClient builds a clientset for a hub's cluster. When inCluster is true it
// uses the service account of the pod imagebot runs in, and kubeconfig and
// context must be empty. Otherwise it reads the kubeconfig file at the path
// kubeconfig, or, when kubeconfig is empty, the files client-go's default
// loading rules name ($KUBECONFIG, else ~/.kube/config); context selects one
// of the file's contexts, and empty means its current context.
func NewClient(kubeconfig, context string, inCluster bool) (kubernetes.Interface, error) {
	var cfg *rest.Config
	var err error
	if inCluster {
		if kubeconfig != "" || context != "" {
			return nil, errors.New("kubernetes client: use either the pod's service account or a kubeconfig, not both")
		}
		cfg, err = rest.InClusterConfig()
		if err != nil {
			return nil, fmt.Errorf("kubernetes client from the pod's service account: %w", err)
		}
	} else {
		rules := clientcmd.NewDefaultClientConfigLoadingRules()
		rules.ExplicitPath = kubeconfig
		overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
		cfg, err = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("kubernetes client from kubeconfig %q, context %q: %w", kubeconfig, context, err)
		}
	}
	rest.AddUserAgent(cfg, userAgent)
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return client, nil
}
