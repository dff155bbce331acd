package deploy

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/serializer/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/imagebot/imagebot/bot/rollout/operator"
)

const chartDir = "helm/imagebot"

// strictDecoder decodes Kubernetes objects into their k8s.io/api types and
// fails on unknown and duplicate fields, as `kubectl apply
// --validate=strict` would.
var strictDecoder = json.NewSerializerWithOptions(json.DefaultMetaFactory, scheme.Scheme, scheme.Scheme,
	json.SerializerOptions{Yaml: true, Strict: true})

// serviceMonitor is the part of the Prometheus Operator's ServiceMonitor
// (monitoring.coreos.com/v1) that the chart writes; it is not in
// k8s.io/api, so it is decoded strictly into this type.
type serviceMonitor struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Selector  metav1.LabelSelector `json:"selector"`
		Endpoints []struct {
			Port     string `json:"port"`
			Path     string `json:"path"`
			Interval string `json:"interval"`
		} `json:"endpoints"`
	} `json:"spec"`
}

// manifest is one rendered chart: its objects, decoded strictly.
type manifest struct {
	objects []any
	docs    map[string]string // "Kind/namespace/name" → its YAML
}

// decodeManifest splits helm's output into objects and decodes each one
// strictly.
func decodeManifest(t *testing.T, out string) *manifest {
	t.Helper()
	m := &manifest{docs: map[string]string{}}
	r := utilyaml.NewYAMLReader(bufio.NewReader(strings.NewReader(out)))
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return m
		}
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			metav1.TypeMeta   `json:",inline"`
			metav1.ObjectMeta `json:"metadata"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			t.Fatalf("a rendered document is not YAML: %v\n%s", err, doc)
		}
		if meta.Kind == "" {
			continue // a document of comments only
		}
		var obj any
		switch meta.APIVersion + "/" + meta.Kind {
		case "monitoring.coreos.com/v1/ServiceMonitor":
			sm := &serviceMonitor{}
			err = yaml.UnmarshalStrict(doc, sm)
			obj = sm
		default:
			obj, _, err = strictDecoder.Decode(doc, nil, nil)
		}
		if err != nil {
			t.Fatalf("%s %s does not decode strictly: %v\n%s", meta.Kind, meta.Name, err, doc)
		}
		m.objects = append(m.objects, obj)
		m.docs[meta.Kind+"/"+meta.Namespace+"/"+meta.Name] = string(doc)
	}
}

// of returns the objects of type T.
func of[T any](m *manifest) []T {
	var out []T
	for _, o := range m.objects {
		if v, ok := o.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func only[T any](t *testing.T, m *manifest) T {
	t.Helper()
	list := of[T](m)
	if len(list) != 1 {
		var zero T
		t.Fatalf("%d objects of type %T, want 1", len(list), zero)
	}
	return list[0]
}

// valuesFiles are the chart's example values (chart-testing's ci/*.yaml),
// and "" for the defaults.
func valuesFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(chartDir, "ci", "*.yaml"))
	if err != nil || len(files) < 3 {
		t.Fatalf("the chart has %d example values files in ci/, want at least 3 (%v)", len(files), err)
	}
	out := []string{""}
	for _, f := range files {
		out = append(out, strings.TrimPrefix(f, chartDir+"/"))
	}
	return out
}

func valuesArgs(file string) []string {
	if file == "" {
		return nil
	}
	return []string{"--values", file}
}

// TestChartRendersStrictly lints the chart and renders it with the default
// values and each example, decodes every object strictly, and checks what
// every installation must have.
func TestChartRendersStrictly(t *testing.T) {
	bin := helm(t)
	for _, file := range valuesFiles(t) {
		name := file
		if name == "" {
			name = "default values"
		}
		t.Run(name, func(t *testing.T) {
			if out, err := runHelm(t, bin, append([]string{"lint", "--strict", "."}, valuesArgs(file)...)...); err != nil {
				t.Fatalf("helm lint: %v\n%s", err, out)
			}
			start := time.Now()
			out, err := runHelm(t, bin, append([]string{"template", "imagebot", ".", "--namespace", "imagebot"}, valuesArgs(file)...)...)
			if err != nil {
				t.Fatalf("helm template: %v", err)
			}
			t.Logf("helm template: %d bytes in %s", len(out), time.Since(start).Round(time.Millisecond))
			m := decodeManifest(t, out)
			checkDeployment(t, m)
			checkOperatorConfig(t, m)
			for key := range m.docs {
				kind, rest, _ := strings.Cut(key, "/")
				namespace, _, _ := strings.Cut(rest, "/")
				if namespace == "" && kind != "ClusterRole" && kind != "ClusterRoleBinding" {
					t.Errorf("%s has no namespace", key)
				}
			}
		})
	}
}

// checkDeployment checks the pod every installation runs.
func checkDeployment(t *testing.T, m *manifest) {
	t.Helper()
	d := only[*appsv1.Deployment](t, m)
	pod := d.Spec.Template.Spec
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Containers))
	}
	c := pod.Containers[0]
	psc, sc := pod.SecurityContext, c.SecurityContext
	switch {
	case psc == nil || sc == nil:
		t.Fatal("no security context")
	case !ptrTrue(psc.RunAsNonRoot) || !ptrTrue(sc.RunAsNonRoot) || psc.RunAsUser == nil || *psc.RunAsUser != 65532:
		t.Errorf("the pod does not run as the non-root user 65532: %+v %+v", psc, sc)
	case !ptrTrue(sc.ReadOnlyRootFilesystem) || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
		t.Errorf("the container's root file system is writable or it may escalate: %+v", sc)
	case sc.Capabilities == nil || !reflect.DeepEqual(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0:
		t.Errorf("capabilities %+v, want all dropped", sc.Capabilities)
	case sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault ||
		psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault:
		t.Errorf("seccomp is not RuntimeDefault")
	}
	if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" ||
		c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
		t.Errorf("probes: liveness %+v, readiness %+v; want /healthz and /readyz", c.LivenessProbe, c.ReadinessProbe)
	}
	if c.Resources.Requests.Memory().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources %+v: want memory requests and limits", c.Resources)
	}
	if pod.TerminationGracePeriodSeconds == nil || *pod.TerminationGracePeriodSeconds < 45 {
		t.Errorf("terminationGracePeriodSeconds %v: imagebot needs 40 s to shut down", pod.TerminationGracePeriodSeconds)
	}
	env := map[string]corev1.EnvVar{}
	for _, e := range c.Env {
		env[e.Name] = e
	}
	for _, name := range []string{"GITHUB_APP_ID", "GITHUB_WEBHOOK_SECRET"} {
		if ref := env[name].ValueFrom; ref == nil || ref.SecretKeyRef == nil || env[name].Value != "" {
			t.Errorf("%s is not read from a Secret: %+v", name, env[name])
		}
	}
	for _, e := range c.Env {
		if strings.Contains(e.Name, "SECRET") || strings.Contains(e.Name, "PASSWORD") || strings.Contains(e.Name, "TOKEN") {
			if e.Value != "" {
				t.Errorf("%s is inlined in the pod spec", e.Name)
			}
		}
	}
	var dbFromSecret bool
	if ref := env["IMAGEBOT_DATABASE_URL"].ValueFrom; ref != nil && ref.SecretKeyRef != nil {
		dbFromSecret = true
	}
	pvcs := of[*corev1.PersistentVolumeClaim](m)
	switch {
	case dbFromSecret && (d.Spec.Strategy.Type != appsv1.RollingUpdateDeploymentStrategyType || len(pvcs) != 0):
		t.Errorf("PostgreSQL: strategy %s and %d claims; want RollingUpdate and none", d.Spec.Strategy.Type, len(pvcs))
	case !dbFromSecret && (d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType || *d.Spec.Replicas != 1):
		t.Errorf("SQLite: strategy %s with %d replicas; want Recreate and 1", d.Spec.Strategy.Type, *d.Spec.Replicas)
	}
}

func ptrTrue(b *bool) bool { return b != nil && *b }

// checkOperatorConfig checks that the ConfigMap holds a configuration
// `imagebot config validate` accepts, mounted where IMAGEBOT_CONFIG says,
// and that the pods carry its checksum (TestChartChecksumRollsPods checks
// that it follows the configuration).
func checkOperatorConfig(t *testing.T, m *manifest) {
	t.Helper()
	d := only[*appsv1.Deployment](t, m)
	maps := of[*corev1.ConfigMap](m)
	var env string
	for _, e := range d.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "IMAGEBOT_CONFIG" {
			env = e.Value
		}
	}
	if len(maps) == 0 {
		if env != "" {
			t.Errorf("IMAGEBOT_CONFIG is %s without a ConfigMap", env)
		}
		return
	}
	cm := maps[0]
	path := filepath.Join(t.TempDir(), "imagebot.yaml")
	if err := os.WriteFile(path, []byte(cm.Data["imagebot.yaml"]), 0o600); err != nil {
		t.Fatal(err)
	}
	// The same load `imagebot config validate` and `imagebot serve` run.
	if _, err := operator.Load(path); err != nil {
		t.Errorf("the operator configuration does not validate:\n%v", err)
	}
	if env != "/etc/imagebot/config/imagebot.yaml" {
		t.Errorf("IMAGEBOT_CONFIG = %q", env)
	}
	if got := d.Spec.Template.Annotations["checksum/config"]; !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(got) {
		t.Errorf("checksum/config %q is not a SHA-256", got)
	}
}

// TestChartChecksumRollsPods renders the chart twice with operator
// configurations that differ by one value: the pods' template changes.
func TestChartChecksumRollsPods(t *testing.T) {
	bin := helm(t)
	checksum := func(timeout string) string {
		out, err := runHelm(t, bin, "template", "imagebot", ".", "--values", "ci/sqlite-ingress-values.yaml",
			"--set", "operatorConfig.repositories[0].timeout="+timeout,
			"--set", "operatorConfig.repositories[0].repository=example-org/hub-image",
			"--set", "operatorConfig.repositories[0].image=quay.io/example-org/hub-image",
			"--set", "operatorConfig.repositories[0].workflow=Build",
			"--set", "operatorConfig.repositories[0].hubs[0]=staging")
		if err != nil {
			t.Fatal(err)
		}
		return only[*appsv1.Deployment](t, decodeManifest(t, out)).Spec.Template.Annotations["checksum/config"]
	}
	a, b, again := checksum("6h"), checksum("2h"), checksum("6h")
	if a == "" || a == b || a != again {
		t.Errorf("checksums %q, %q, %q: want a change with the configuration, and only then", a, b, again)
	}
}

// TestChartOperatorConfigFile passes the operator configuration as its
// own file (--set-file): the pods read that file byte for byte, so the
// lines imagebot reports problems at are the file's.
func TestChartOperatorConfigFile(t *testing.T) {
	bin := helm(t)
	doc, err := os.ReadFile("../docs/operator.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(doc), "## A complete example\n\n```yaml\n")
	example, _, _ := strings.Cut(rest, "```\n")
	file := filepath.Join(t.TempDir(), "imagebot.yaml")
	if err := os.WriteFile(file, []byte("# our hubs\n"+example), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runHelm(t, bin, "template", "imagebot", ".", "--set-file", "operatorConfig="+file)
	if err != nil {
		t.Fatal(err)
	}
	m := decodeManifest(t, out)
	if got := only[*corev1.ConfigMap](t, m).Data["imagebot.yaml"]; got != "# our hubs\n"+example {
		t.Errorf("the ConfigMap holds\n%s\nwant the file as it is", got)
	}
	checkOperatorConfig(t, m)
	var namespaces []string
	for _, r := range of[*rbacv1.Role](m) {
		namespaces = append(namespaces, r.Namespace)
	}
	if !reflect.DeepEqual(namespaces, []string{"staging"}) {
		t.Errorf("Roles in %v; the file's in-cluster hub is in staging", namespaces)
	}
}

// TestChartRBAC checks that imagebot may read pods exactly where its hubs
// are, and nowhere else unless the values ask for it.
func TestChartRBAC(t *testing.T) {
	bin := helm(t)
	tests := []struct {
		file        string
		namespaces  []string // of the Roles
		clusterWide bool
		automount   bool
	}{
		{"", nil, false, false},
		{"ci/sqlite-ingress-values.yaml", []string{"staging"}, false, true},
		{"ci/postgres-three-hubs-values.yaml", []string{"climate-hub", "prod-hub", "staging-hub"}, false, true},
		{"ci/enterprise-cluster-wide-values.yaml", nil, true, true},
	}
	podReader := []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list", "watch"}}}
	for _, tt := range tests {
		out, err := runHelm(t, bin, append([]string{"template", "imagebot", ".", "--namespace", "imagebot"}, valuesArgs(tt.file)...)...)
		if err != nil {
			t.Fatal(err)
		}
		m := decodeManifest(t, out)
		sa := only[*corev1.ServiceAccount](t, m)
		var namespaces []string
		for _, r := range of[*rbacv1.Role](m) {
			namespaces = append(namespaces, r.Namespace)
			if !reflect.DeepEqual(r.Rules, podReader) {
				t.Errorf("%s: Role in %s has rules %+v, want get/list/watch on pods", tt.file, r.Namespace, r.Rules)
			}
		}
		sort.Strings(namespaces)
		bindings := of[*rbacv1.RoleBinding](m)
		for _, b := range bindings {
			want := []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa.Name, Namespace: "imagebot"}}
			if !reflect.DeepEqual(b.Subjects, want) || b.RoleRef.Kind != "Role" {
				t.Errorf("%s: RoleBinding in %s binds %+v to %+v", tt.file, b.Namespace, b.RoleRef, b.Subjects)
			}
		}
		clusterRoles := of[*rbacv1.ClusterRole](m)
		if !reflect.DeepEqual(namespaces, tt.namespaces) || len(bindings) != len(tt.namespaces) || (len(clusterRoles) == 1) != tt.clusterWide {
			t.Errorf("%s: Roles in %v (%d bindings), %d ClusterRoles; want Roles in %v, cluster-wide %v",
				tt.file, namespaces, len(bindings), len(clusterRoles), tt.namespaces, tt.clusterWide)
		}
		for _, cr := range clusterRoles {
			if !reflect.DeepEqual(cr.Rules, podReader) {
				t.Errorf("%s: ClusterRole rules %+v", tt.file, cr.Rules)
			}
		}
		d := only[*appsv1.Deployment](t, m)
		if got := ptrTrue(d.Spec.Template.Spec.AutomountServiceAccountToken); got != tt.automount {
			t.Errorf("%s: automountServiceAccountToken %v, want %v", tt.file, got, tt.automount)
		}
	}
}

// TestChartOptionalObjects checks the Ingress, ServiceMonitor and
// PodDisruptionBudget the examples ask for.
func TestChartOptionalObjects(t *testing.T) {
	bin := helm(t)
	out, err := runHelm(t, bin, "template", "imagebot", ".", "--values", "ci/sqlite-ingress-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := decodeManifest(t, out)
	ing := only[*networkingv1.Ingress](t, m)
	if len(ing.Spec.TLS) != 1 || ing.Spec.Rules[0].Host != "imagebot.example.org" ||
		ing.Spec.Rules[0].HTTP.Paths[0].Path != "/api/github/webhooks" {
		t.Errorf("ingress %+v", ing.Spec)
	}
	sm := only[*serviceMonitor](t, m)
	if sm.Spec.Endpoints[0].Path != "/metrics" || sm.Spec.Endpoints[0].Port != "http" {
		t.Errorf("service monitor %+v", sm.Spec)
	}
	if len(of[*policyv1.PodDisruptionBudget](m)) != 0 {
		t.Error("a PodDisruptionBudget without pdb.enabled")
	}
	out, err = runHelm(t, bin, "template", "imagebot", ".", "--values", "ci/postgres-three-hubs-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m = decodeManifest(t, out)
	pdb := only[*policyv1.PodDisruptionBudget](t, m)
	d := only[*appsv1.Deployment](t, m)
	if pdb.Spec.MaxUnavailable.IntValue() != 1 || !reflect.DeepEqual(pdb.Spec.Selector.MatchLabels, d.Spec.Selector.MatchLabels) || *d.Spec.Replicas != 3 {
		t.Errorf("pdb %+v for deployment selector %+v", pdb.Spec, d.Spec.Selector)
	}
	if from := d.Spec.Template.Spec.Containers[0].EnvFrom; len(from) != 1 || from[0].SecretRef.Name != "imagebot-registries" {
		t.Errorf("registry credentials: %+v", from)
	}
}

// TestChartRefuses checks the values the chart rejects, with the reason.
func TestChartRefuses(t *testing.T) {
	bin := helm(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"template", "imagebot", ".", "--set", "replicas=2"},
			"replicas: 2 needs database.type: postgres: SQLite is one file on one volume, for one replica"},
		{[]string{"template", "imagebot", ".", "--set", "database.type=postgres"},
			"database.type: postgres needs database.postgres.existingSecret"},
		{[]string{"template", "imagebot", ".", "--set", "ingress.enabled=true"},
			"ingress.enabled needs ingress.hosts"},
		{[]string{"template", "imagebot", ".", "--set", "github.existingSecret="},
			"at '/github/existingSecret': '' does not match pattern"},
		{[]string{"lint", ".", "--set", "replica=2"}, "additional properties 'replica' not allowed"},
		{[]string{"lint", ".", "--set", "database.type=mysql"}, "database/type"},
		{[]string{"lint", ".", "--set", "github.privateKey=abc"}, "additional properties 'privateKey' not allowed"},
	}
	for _, tt := range tests {
		_, err := runHelm(t, bin, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("helm %v: %v; want an error with %q", tt.args, err, tt.want)
		}
	}
}

// TestChartNotes checks what `helm install` prints: the webhook URL and
// the next step.
func TestChartNotes(t *testing.T) {
	bin := helm(t)
	tests := []struct {
		file string
		want []string
	}{
		{"", []string{"No Ingress: GitHub cannot reach imagebot yet", "curl http://localhost:8080/readyz", "operatorConfig is empty"}},
		{"ci/sqlite-ingress-values.yaml", []string{"https://imagebot.example.org/api/github/webhooks", "install the App on the image repositories and on the hub configuration repositories"}},
	}
	for _, tt := range tests {
		out, err := runHelm(t, bin, append([]string{"install", "imagebot", ".", "--dry-run=client", "--namespace", "imagebot"}, valuesArgs(tt.file)...)...)
		if err != nil {
			t.Fatal(err)
		}
		_, notes, _ := strings.Cut(out, "NOTES:\n")
		for _, w := range tt.want {
			if !strings.Contains(notes, w) {
				t.Errorf("%s: the notes lack %q:\n%s", tt.file, w, notes)
			}
		}
	}
}
