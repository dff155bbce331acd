package hubprobe

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// writeKubeconfig writes a kubeconfig with the contexts "prod" (current) and
// "staging", whose clusters are at prodURL and stagingURL, and returns its
// path. prodCA, when not nil, is the certificate the prod cluster serves.
func writeKubeconfig(t *testing.T, prodURL string, prodCA *x509.Certificate, stagingURL string) string {
	t.Helper()
	caData := ""
	if prodCA != nil {
		caData = base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: prodCA.Raw}))
	}
	config := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: %s
    certificate-authority-data: %q
- name: staging
  cluster:
    server: %s
users:
- name: imagebot
  user:
    token: test-token-0123456789
contexts:
- name: prod
  context: {cluster: prod, user: imagebot, namespace: prod}
- name: staging
  context: {cluster: staging, user: imagebot}
current-context: prod
`, prodURL, caData, stagingURL)
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// host returns the API server a clientset talks to.
func host(t *testing.T, client kubernetes.Interface) string {
	t.Helper()
	return client.CoreV1().RESTClient().Get().URL().Host
}

func TestNewClient(t *testing.T) {
	path := writeKubeconfig(t, "https://127.0.0.1:6443", nil, "https://127.0.0.1:7443")
	missing := filepath.Join(t.TempDir(), "absent")
	tests := []struct {
		name       string
		kubeconfig string
		context    string
		inCluster  bool
		// envKubeconfig is $KUBECONFIG for the default loading rules.
		envKubeconfig string
		wantHost      string
		wantErr       string
		wantErrIs     error
	}{
		{name: "current context", kubeconfig: path, wantHost: "127.0.0.1:6443"},
		{name: "named context", kubeconfig: path, context: "staging", wantHost: "127.0.0.1:7443"},
		{name: "default loading rules read $KUBECONFIG", envKubeconfig: path, context: "staging", wantHost: "127.0.0.1:7443"},
		{
			name:       "unknown context",
			kubeconfig: path,
			context:    "dev",
			wantErr:    fmt.Sprintf(`kubernetes client from kubeconfig %q, context "dev": context "dev" does not exist`, path),
		},
		{
			name:       "missing file",
			kubeconfig: missing,
			wantErr:    fmt.Sprintf(`kubernetes client from kubeconfig %q, context "": stat %s: no such file or directory`, missing, missing),
		},
		{
			name:       "service account and kubeconfig together",
			kubeconfig: path,
			inCluster:  true,
			wantErr:    "kubernetes client: use either the pod's service account or a kubeconfig, not both",
		},
		{
			name:      "service account outside a cluster",
			inCluster: true,
			wantErr:   "kubernetes client from the pod's service account: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined",
			wantErrIs: rest.ErrNotInCluster,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("KUBECONFIG", tt.envKubeconfig)
			t.Setenv("KUBERNETES_SERVICE_HOST", "")
			t.Setenv("KUBERNETES_SERVICE_PORT", "")
			client, err := NewClient(tt.kubeconfig, tt.context, tt.inCluster)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("NewClient error = %v, want %s", err, tt.wantErr)
				}
				if tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs) {
					t.Errorf("NewClient error = %v, want it to wrap %v", err, tt.wantErrIs)
				}
				return
			}
			if err != nil {
				t.Fatalf("NewClient: %v", err)
			}
			if got := host(t, client); got != tt.wantHost {
				t.Errorf("client talks to %s, want %s", got, tt.wantHost)
			}
		})
	}
}

// TestNewClientObserve runs Observe through a client from NewClient against
// an API server on the loopback interface, and checks what goes over the
// wire. The server speaks TLS because client-go sends credentials only over
// TLS.
func TestNewClientObserve(t *testing.T) {
	type request struct{ Path, Query, Authorization string }
	var (
		mu        sync.Mutex
		requests  []request
		userAgent string
	)
	pages := map[string][]*corev1.Pod{
		DefaultSelector: {userServer("prod", "jupyter-bob", "user-pool-b", "bob", "",
			newImage, "quay.io/community/notebook@"+newAMD64)},
		DefaultPullerSelector: {imagePuller("prod", "continuous-image-puller", "continuous-image-puller-9tbwm", "user-pool-b",
			newImage, "docker-pullable://quay.io/community/notebook@"+newIndex)},
	}
	apiServer := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests = append(requests, request{r.URL.Path, r.URL.RawQuery, r.Header.Get("Authorization")})
		userAgent = r.UserAgent()
		mu.Unlock()
		list := corev1.PodList{TypeMeta: metav1.TypeMeta{Kind: "PodList", APIVersion: "v1"}}
		for _, pod := range pages[r.URL.Query().Get("labelSelector")] {
			list.Items = append(list.Items, *pod)
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(list); err != nil {
			t.Errorf("encode pod list: %v", err)
		}
	}))
	defer apiServer.Close()

	client, err := NewClient(writeKubeconfig(t, apiServer.URL, apiServer.Certificate(), "https://127.0.0.1:7443"), "", false)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	got, err := Observe(context.Background(), client, Hub{Namespace: "prod"})
	if err != nil {
		t.Fatalf("Observe: %v", err)
	}

	want := Observation{
		Servers:          []Server{{Pod: "jupyter-bob", Node: "user-pool-b", User: "bob", Image: newImage, Digest: newAMD64}},
		Pullers:          []Puller{{Pod: "continuous-image-puller-9tbwm", Node: "user-pool-b", Image: newImage, Digest: newIndex}},
		ConfiguredImages: []string{newImage},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Observe =\n%+v\nwant\n%+v", got, want)
	}
	wantRequests := []request{
		{"/api/v1/namespaces/prod/pods", "labelSelector=component%3Dsingleuser-server&limit=500", "Bearer test-token-0123456789"},
		{"/api/v1/namespaces/prod/pods", "labelSelector=component+in+%28hook-image-puller%2Ccontinuous-image-puller%29&limit=500", "Bearer test-token-0123456789"},
	}
	if !reflect.DeepEqual(requests, wantRequests) {
		t.Errorf("requests =\n%+v\nwant\n%+v", requests, wantRequests)
	}
	if !strings.HasSuffix(userAgent, "/imagebot-hubprobe") {
		t.Errorf("User-Agent = %q, want it to end in /imagebot-hubprobe", userAgent)
	}
}
