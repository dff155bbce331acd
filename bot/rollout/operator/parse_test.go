package operator

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// docExample is the complete example of docs/operator.md, so that the
// documentation cannot drift from the parser.
func docExample(t *testing.T) []byte {
	t.Helper()
	doc, err := os.ReadFile("../../../docs/operator.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## A complete example\n\n```yaml\n")
	if !ok {
		t.Fatal("docs/operator.md has no complete example")
	}
	example, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("the example in docs/operator.md is not closed")
	}
	return []byte(example)
}

// exampleConfig is what the documentation's example means.
var exampleConfig = &Config{
	Hubs: []Hub{
		{
			Name:       "staging",
			URL:        "https://staging.hub.example.org",
			Kubernetes: &Kubernetes{InCluster: true, Namespace: "staging", Selector: DefaultSelector, Container: DefaultContainer},
			ConfigRepo: &ConfigRepo{Repository: "example-org/infrastructure", Path: "config/staging.values.yaml", Key: "jupyterhub.singleuser.image.tag", OpenPullRequest: true},
			Metrics:    &Metrics{TokenEnv: "STAGING_HUB_TOKEN", Prefix: DefaultMetricsPrefix},
			Healthy:    Healthy{Window: DefaultHealthyWindow, Failures: DefaultHealthyFailures},
		},
		{
			Name: "prod",
			URL:  "https://hub.example.org",
			Kubernetes: &Kubernetes{
				Kubeconfig: "/etc/imagebot/kubeconfig", Context: "prod", Namespace: "prod",
				Selector: "component=singleuser-server,hub.jupyter.org/network-access-hub=true", Container: "notebook",
			},
			ConfigRepo: &ConfigRepo{
				Repository: "example-org/infrastructure", Ref: "main", Path: "config/prod.values.yaml",
				Key: "jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image",
			},
			APIURL:  "http://hub.prod.svc.cluster.local:8081",
			Metrics: &Metrics{TokenEnv: "PROD_HUB_TOKEN", Prefix: DefaultMetricsPrefix},
			Healthy: Healthy{Window: time.Hour, Failures: 3},
		},
		{
			Name:       "workshop",
			URL:        "https://workshop.hub.example.org",
			ConfigRepo: &ConfigRepo{Repository: "example-org/infrastructure", Path: "config/workshop.values.yaml", Key: "jupyterhub.singleuser.image.tag"},
			Healthy:    Healthy{Window: DefaultHealthyWindow, Failures: DefaultHealthyFailures},
		},
		{
			Name: "climate",
			URL:  "https://climate.hub.example.org",
			ConfigRepo: &ConfigRepo{
				Repository: "example-org/infrastructure", Path: "config/clusters/climate/prod.values.yaml",
				Key:             "basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices.pangeo.kubespawner_override.image",
				OpenPullRequest: true,
			},
			Healthy: Healthy{Window: DefaultHealthyWindow, Failures: DefaultHealthyFailures},
		},
	},
	Repositories: []Repository{
		{
			FullName: "example-org/hub-image", Image: "quay.io/example-org/hub-image", TagTemplate: "{sha12}",
			Workflow: "Build and push container image", Hubs: []string{"staging", "prod"},
			Timeout: 6 * time.Hour, ConfigureWithin: 30 * time.Minute,
		},
		{
			FullName: "example-org/workshop-image", Image: "ghcr.io/example-org/workshop-image", TagTemplate: "sha-{sha7}",
			Workflow: "Publish", Hubs: []string{"workshop", "staging"},
			Timeout: 2 * time.Hour, ConfigureWithin: time.Hour,
		},
		{
			FullName: "example-org/pangeo-image", Image: "quay.io/example-org/pangeo-image", TagTemplate: "{sha12}",
			Workflow: "Build and push container image", Hubs: []string{"climate"},
			Timeout: 6 * time.Hour, ConfigureWithin: 30 * time.Minute,
		},
		{
			FullName: "example-org/rocker-image", Image: "quay.io/example-org/rocker-image", TagTemplate: "{sha12}",
			Workflow: "Build and push container image", Hubs: []string{"climate"},
			HubKeys: map[string]string{"climate": "basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices.rocker.kubespawner_override.image"},
			Timeout: 6 * time.Hour, ConfigureWithin: 30 * time.Minute,
		},
	},
	Registries: []Registry{
		{Host: "ghcr.io", UsernameEnv: "GHCR_USER", PasswordEnv: "GHCR_TOKEN"},
		{Host: "registry.imagebot.svc.cluster.local:5000", Insecure: true},
	},
}

func TestParseDocumentedExample(t *testing.T) {
	c, err := Parse(docExample(t))
	if err != nil {
		t.Fatalf("the documented example does not parse:\n%v", err)
	}
	if !reflect.DeepEqual(c, exampleConfig) {
		t.Errorf("got  %+v\nwant %+v", c, exampleConfig)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, input := range []string{"", "# rollouts are off\n", "~\n", "---\n"} {
		c, err := Parse([]byte(input))
		if err != nil {
			t.Fatalf("Parse(%q): %v", input, err)
		}
		if !reflect.DeepEqual(c, &Config{}) {
			t.Errorf("Parse(%q) = %+v, want an empty Config", input, c)
		}
	}
}

// A hub and a repository that are valid, for the problem cases to start from.
const (
	okHub = `hubs:
  - name: staging
    url: https://staging.example.org
    configRepo: {repository: org/infra, path: staging.yaml, key: a.b}
`
	okRepo = `repositories:
  - repository: org/image
    image: quay.io/org/image
    workflow: Build
    hubs: [staging]
`
)

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  Problems
	}{
		{"unknown top-level key", "hub: []\n", Problems{
			{Line: 1, Message: `unknown key "hub" in the top level; known keys: hubs, registries, repositories`},
		}},
		{"top level is a list", "- a\n", Problems{{Line: 1, Message: "the top level must be a mapping of keys to values"}}},
		{"not YAML", "hubs: [\n", Problems{{Line: 1, Message: "not valid YAML: line 1: did not find expected node content"}}},
		{"hubs not a list", "hubs: {}\n", Problems{{Line: 1, Message: "hubs must be a list"}}},
		{"unknown key in a hub", okHub + "    kubernets: {}\n", Problems{
			{Line: 5, Message: `unknown key "kubernets" in hubs[0]; known keys: apiURL, configRepo, healthy, kubernetes, metrics, name, url`},
		}},
		{"missing required keys", "hubs:\n  - kubernetes: {}\n", Problems{
			{Line: 2, Message: "hubs[0].kubernetes.namespace is required"},
			{Line: 2, Message: "hubs[0].name is required"},
			{Line: 2, Message: "hubs[0].url is required"},
		}},
		{"hub observed by neither", "hubs:\n  - name: a\n    url: https://a.example.org\n", Problems{
			{Line: 2, Message: "hubs[0]: give kubernetes, configRepo or both, so that imagebot can see which image the hub runs"},
		}},
		{"duplicate hub names", okHub + "  - name: staging\n    url: https://b.example.org\n    kubernetes: {namespace: b}\n", Problems{
			{Line: 5, Message: `hubs[1].name: the hub name "staging" is already used at line 2`},
		}},
		{"hub name not a DNS label", "hubs:\n  - name: Staging_Hub\n    url: https://a.example.org\n    kubernetes: {namespace: a}\n", Problems{
			{Line: 2, Message: `hubs[0].name: "Staging_Hub" is not a hub name (a lower-case DNS label: letters, digits and '-', at most 63)`},
		}},
		{"non-https URL", "hubs:\n  - name: a\n    url: http://a.example.org\n    kubernetes: {namespace: a}\n", Problems{
			{Line: 3, Message: `hubs[0].url must be an https:// URL such as https://hub.example.org; got "http://a.example.org"`},
		}},
		{"URL that is a path", "hubs:\n  - name: a\n    url: a.example.org\n    kubernetes: {namespace: a}\n", Problems{
			{Line: 3, Message: `hubs[0].url must be an https:// URL such as https://hub.example.org; got "a.example.org"`},
		}},
		{"URL with a password is not repeated", "hubs:\n  - name: a\n    url: http://admin:hunter2@a.example.org\n    kubernetes: {namespace: a}\n", Problems{
			{Line: 3, Message: "hubs[0].url must not hold a user name or password"},
		}},
		{"URL that does not parse, with a password", "hubs:\n  - name: a\n    url: \"https://admin:hunter2@a example.org\"\n    kubernetes: {namespace: a}\n", Problems{
			{Line: 3, Message: "hubs[0].url must not hold a user name or password"},
		}},
		{"inCluster with both, on one line", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes: {context: c, kubeconfig: /k, inCluster: true, namespace: a}\n", Problems{
			{Line: 4, Message: "hubs[0].kubernetes.kubeconfig and inCluster: true exclude each other: in the cluster imagebot uses its pod's service account"},
			{Line: 4, Message: "hubs[0].kubernetes.context and inCluster: true exclude each other: in the cluster imagebot uses its pod's service account"},
		}},
		{"unknown kubernetes key", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes:\n      namespce: a\n", Problems{
			{Line: 5, Message: `unknown key "namespce" in hubs[0].kubernetes; known keys: container, context, inCluster, kubeconfig, namespace, selector`},
			{Line: 5, Message: "hubs[0].kubernetes.namespace is required"},
		}},
		{"inCluster with kubeconfig and context", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes:\n      inCluster: true\n      kubeconfig: /k\n      context: c\n      namespace: a\n", Problems{
			{Line: 6, Message: "hubs[0].kubernetes.kubeconfig and inCluster: true exclude each other: in the cluster imagebot uses its pod's service account"},
			{Line: 7, Message: "hubs[0].kubernetes.context and inCluster: true exclude each other: in the cluster imagebot uses its pod's service account"},
		}},
		{"relative kubeconfig", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes: {kubeconfig: kube/config, namespace: a}\n", Problems{
			{Line: 4, Message: `hubs[0].kubernetes.kubeconfig must be an absolute path, such as /etc/imagebot/kubeconfig; got "kube/config"`},
		}},
		{"inCluster not a boolean", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes: {inCluster: \"yes\", namespace: a}\n", Problems{
			{Line: 4, Message: `hubs[0].kubernetes.inCluster must be true or false; got "yes"`},
		}},
		{"bad selector", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes: {namespace: a, selector: \"component=single user\"}\n", Problems{
			{Line: 4, Message: `hubs[0].kubernetes.selector is not a label selector such as component=singleuser-server: "component=single user": "component=single user" is not a label key (up to 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit)`},
		}},
		{"bad namespace and container", "hubs:\n  - name: a\n    url: https://a.example.org\n    kubernetes: {namespace: Prod, container: \"\"}\n", Problems{
			{Line: 4, Message: `hubs[0].kubernetes.namespace: "Prod" is not a Kubernetes namespace (a lower-case DNS label)`},
			{Line: 4, Message: "hubs[0].kubernetes.container must be a non-empty string"},
		}},
		{"configRepo problems", "hubs:\n  - name: a\n    url: https://a.example.org\n    configRepo:\n      repository: infrastructure\n      ref: refs/heads/main\n      path: ../values.yaml\n      key: a..b\n      openPullRequest: 1\n", Problems{
			{Line: 5, Message: `hubs[0].configRepo.repository: "infrastructure" is not a GitHub repository "owner/name"`},
			{Line: 6, Message: `hubs[0].configRepo.ref: "refs/heads/main" is not a branch name (write main, not refs/heads/main)`},
			{Line: 7, Message: `hubs[0].configRepo.path must be a file's path from the repository's root, such as config/staging.values.yaml; got "../values.yaml"`},
			{Line: 8, Message: `hubs[0].configRepo.key: key path "a..b": missing key at character 3`},
			{Line: 9, Message: `hubs[0].configRepo.openPullRequest must be true or false; got "1"`},
		}},
		{"absolute and unclean paths", "hubs:\n  - name: a\n    url: https://a.example.org\n    configRepo: {repository: o/r, path: /values.yaml, key: a}\n  - name: b\n    url: https://b.example.org\n    configRepo: {repository: o/r, path: config//b.yaml, key: a}\n", Problems{
			{Line: 4, Message: `hubs[0].configRepo.path must be a file's path from the repository's root, such as config/staging.values.yaml; got "/values.yaml"`},
			{Line: 7, Message: `hubs[1].configRepo.path must be a file's path from the repository's root, such as config/staging.values.yaml; got "config//b.yaml"`},
		}},
		{"bad branch names", "hubs:\n  - name: a\n    url: https://a.example.org\n    configRepo: {repository: o/r, ref: \"a..b\", path: v.yaml, key: a}\n  - name: b\n    url: https://b.example.org\n    configRepo: {repository: o/r, ref: \"feature/\", path: v.yaml, key: a}\n", Problems{
			{Line: 4, Message: `hubs[0].configRepo.ref: "a..b" is not a branch name (write main, not refs/heads/main)`},
			{Line: 7, Message: `hubs[1].configRepo.ref: "feature/" is not a branch name (write main, not refs/heads/main)`},
		}},
		{"missing configRepo keys", "hubs:\n  - name: a\n    url: https://a.example.org\n    configRepo: {repository: o/r}\n", Problems{
			{Line: 4, Message: "hubs[0].configRepo.path is required"},
			{Line: 4, Message: "hubs[0].configRepo.key is required"},
		}},
		{"repository names an undefined hub", okHub + okRepo + "  - repository: org/other\n    image: quay.io/org/other\n    workflow: Build\n    hubs: [staging, prod]\n", Problems{
			{Line: 13, Message: `repositories[1].hubs: no hub is named "prod"; the hubs are: staging`},
		}},
		{"repository without hubs defined", okRepo, Problems{
			{Line: 5, Message: `repositories[0].hubs: no hub is named "staging"; the hubs are: (none defined)`},
		}},
		{"repository lists a hub twice", okHub + strings.Replace(okRepo, "[staging]", "[staging, staging]", 1), Problems{
			{Line: 9, Message: `repositories[0].hubs lists "staging" twice`},
		}},
		{"repository with an empty hub list", okHub + strings.Replace(okRepo, "[staging]", "[]", 1), Problems{
			{Line: 9, Message: "repositories[0].hubs must list at least one hub"},
		}},
		{"a hub entry with its own key needs both", okHub + strings.Replace(okRepo, "[staging]", "[{hub: staging}]", 1), Problems{
			{Line: 9, Message: "repositories[0].hubs[0].key is required"},
		}},
		{"unknown key in a hub entry", okHub + strings.Replace(okRepo, "[staging]", "[{hub: staging, key: a.c, pr: true}]", 1), Problems{
			{Line: 9, Message: `unknown key "pr" in repositories[0].hubs[0]; known keys: hub, key`},
		}},
		{"a hub entry's key that is no key path", okHub + strings.Replace(okRepo, "[staging]", "[{hub: staging, key: \"a..b\"}]", 1), Problems{
			{Line: 9, Message: `repositories[0].hubs[0].key: key path "a..b": missing key at character 3`},
		}},
		{"a key for a hub without a values file", "hubs:\n  - {name: k, url: https://k.example.org, kubernetes: {namespace: k}}\n" + strings.Replace(okRepo, "[staging]", "[{hub: k, key: a.b}]", 1), Problems{
			{Line: 7, Message: `repositories[0].hubs: hub "k" has no configRepo, so a key for it means nothing; give the hub a configRepo, or list it by name only`},
		}},
		{"a hub listed by name and with a key", okHub + strings.Replace(okRepo, "[staging]", "[staging, {hub: staging, key: a.c}]", 1), Problems{
			{Line: 9, Message: `repositories[0].hubs lists "staging" twice`},
		}},
		{"a hub entry that is a list", okHub + strings.Replace(okRepo, "[staging]", "[[staging]]", 1), Problems{
			{Line: 9, Message: "repositories[0].hubs[0] must be a non-empty string"},
		}},
		{"missing repository keys", okHub + "repositories:\n  - repository: org/image\n", Problems{
			{Line: 6, Message: "repositories[0].image is required"},
			{Line: 6, Message: "repositories[0].workflow is required"},
			{Line: 6, Message: "repositories[0].hubs is required"},
		}},
		{"duplicate repositories", okHub + okRepo + "  - repository: Org/Image\n    image: quay.io/org/image\n    workflow: Build\n    hubs: [staging]\n", Problems{
			{Line: 10, Message: `repositories[1].repository: "Org/Image" is already configured at line 6`},
		}},
		{"bad durations", okHub + okRepo + "    timeout: 6 hours\n    configureWithin: 0s\n", Problems{
			{Line: 10, Message: `repositories[0].timeout: "6 hours" is not a duration; write one such as 6h, 90m or 1h30m`},
			{Line: 11, Message: `repositories[0].configureWithin must be longer than zero; got "0s"`},
		}},
		{"configureWithin not shorter than timeout", okHub + okRepo + "    timeout: 1h\n    configureWithin: 90m\n", Problems{
			{Line: 11, Message: "repositories[0]: configureWithin (1h30m0s) must be shorter than timeout (1h0m0s), or the rollout gives up before it explains a hub that was not configured"},
		}},
		{"timeout shorter than the default configureWithin", okHub + okRepo + "    timeout: 20m\n", Problems{
			{Line: 10, Message: "repositories[0]: configureWithin (30m0s) must be shorter than timeout (20m0s), or the rollout gives up before it explains a hub that was not configured"},
		}},
		{"image with upper-case path", okHub + strings.Replace(okRepo, "quay.io/org/image", "Quay.io/Org/Image", 1), Problems{
			{Line: 7, Message: `repositories[0].image is not an image name: "Quay.io/Org/Image": "Org" is not a valid repository path component (lower-case letters and digits, separated by '.', '_', '__' or '-')`},
		}},
		{"image with a tag", okHub + strings.Replace(okRepo, "quay.io/org/image", "quay.io/org/image:latest", 1), Problems{
			{Line: 7, Message: `repositories[0].image "quay.io/org/image:latest" must name the image without a tag or digest; the tag comes from tag`},
		}},
		{"tag without a placeholder", okHub + okRepo + "    tag: latest\n", Problems{
			{Line: 10, Message: `repositories[0].tag "latest" has none of {sha12}, {sha7} and {sha}: every merge would publish the same tag, and a rollout could not tell its image from the one before`},
		}},
		{"tag with an unknown placeholder", okHub + okRepo + "    tag: \"{sha8}\"\n", Problems{
			{Line: 10, Message: `repositories[0].tag "{sha8}" has none of {sha12}, {sha7} and {sha}: every merge would publish the same tag, and a rollout could not tell its image from the one before`},
		}},
		{"tag that cannot be a tag", okHub + okRepo + "    tag: \"v:{sha7}\"\n", Problems{
			{Line: 10, Message: `repositories[0].tag "v:{sha7}" cannot give a valid image tag: for a 40-character SHA it gives "v:0123456", and a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; the placeholders are {sha12}, {sha7} and {sha}`},
		}},
		{"tag too long for a full SHA", okHub + okRepo + "    tag: \"{sha}-{sha}-{sha}-{sha12}\"\n", Problems{
			{Line: 10, Message: `repositories[0].tag "{sha}-{sha}-{sha}-{sha12}" cannot give a valid image tag: for a 40-character SHA it gives "0123456789abcdef0123456789abcdef01234567-0123456789abcdef0123456789abcdef01234567-0123456789abcdef0123456789abcdef01234567-0123456789ab", and a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; the placeholders are {sha12}, {sha7} and {sha}`},
		}},
		{"tag starting with a dot", okHub + okRepo + "    tag: \".{sha7}\"\n", Problems{
			{Line: 10, Message: `repositories[0].tag ".{sha7}" cannot give a valid image tag: for a 40-character SHA it gives ".0123456", and a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; the placeholders are {sha12}, {sha7} and {sha}`},
		}},
		{"registry credentials that look like a secret are not repeated", "registries:\n  - host: ghcr.io\n    usernameEnv: GHCR_USER\n    passwordEnv: ghp_16C7e42F292c6912E7710c838347Ae178B4a\n", Problems{
			{Line: 4, Message: "registries[0].passwordEnv must name an environment variable (upper-case letters, digits and '_', such as GHCR_TOKEN) that holds the credential, never the credential itself"},
		}},
		{"registry host with a scheme", "registries:\n  - host: https://ghcr.io\n    usernameEnv: U\n    passwordEnv: P\n", Problems{
			{Line: 2, Message: `registries[0].host: "https://ghcr.io" is not a registry host name such as ghcr.io (without https://)`},
		}},
		{"Docker Hub twice under two names", "registries:\n  - {host: docker.io, usernameEnv: U, passwordEnv: P}\n  - {host: Index.Docker.IO, usernameEnv: U2, passwordEnv: P2}\n", Problems{
			{Line: 3, Message: `registries[1].host: "Index.Docker.IO" already has credentials at line 2`},
		}},
		{"registry without a password", "registries:\n  - host: ghcr.io\n    usernameEnv: U\n", Problems{
			{Line: 2, Message: "registries[0]: give both usernameEnv and passwordEnv, or neither for a registry read anonymously"},
		}},
		{"registry with neither credentials nor insecure", "registries:\n  - host: registry.local:5000\n", Problems{
			{Line: 2, Message: "registries[0]: give usernameEnv and passwordEnv, insecure: true, or both; a registry with neither needs no entry"},
		}},
		{"insecure is a boolean", "registries:\n  - {host: registry.local:5000, insecure: yes please}\n", Problems{
			{Line: 2, Message: `registries[0].insecure must be true or false; got "yes please"`},
			{Line: 2, Message: "registries[0]: give usernameEnv and passwordEnv, insecure: true, or both; a registry with neither needs no entry"},
		}},
		{"hub API with credentials", okHub + "    apiURL: http://admin:secret@hub.svc:8081\n", Problems{
			{Line: 5, Message: "hubs[0].apiURL must not hold a user name or password; name the token's environment variable in metrics.tokenEnv"},
		}},
		{"hub API that is not http", okHub + "    apiURL: ftp://hub.svc\n", Problems{
			{Line: 5, Message: `hubs[0].apiURL must be an http:// or https:// address such as http://hub.jhub.svc.cluster.local:8081, without a query; got "ftp://hub.svc"`},
		}},
		{"metrics without a token", okHub + "    metrics: {prefix: jh}\n", Problems{
			{Line: 5, Message: "hubs[0].metrics.tokenEnv is required"},
		}},
		{"a metrics token pasted in", okHub + "    metrics: {tokenEnv: 0123abcd0123abcd}\n", Problems{
			{Line: 5, Message: "hubs[0].metrics.tokenEnv must name an environment variable (upper-case letters, digits and '_', such as PROD_HUB_METRICS_TOKEN) that holds the credential, never the credential itself"},
		}},
		{"a metrics prefix with a space", okHub + "    metrics: {tokenEnv: T, prefix: my hub}\n", Problems{
			{Line: 5, Message: `hubs[0].metrics.prefix: "my hub" is not a Prometheus metric name prefix such as jupyterhub`},
		}},
		{"healthy window and failures", okHub + "    healthy: {window: 0s, failures: 0}\n", Problems{
			{Line: 5, Message: `hubs[0].healthy.window must be longer than zero; got "0s"`},
			{Line: 5, Message: `hubs[0].healthy.failures must be a whole number from 1 to 1000; got "0"`},
		}},
		{"problems in several places, in file order", "hubs:\n  - name: a\n    url: ftp://a\n    kubernetes: {namespace: a}\nrepositories:\n  - repository: o/r\n    image: quay.io/o/r\n    workflow: W\n    hubs: [b]\n    timeout: forever\n", Problems{
			{Line: 3, Message: `hubs[0].url must be an https:// URL such as https://hub.example.org; got "ftp://a"`},
			{Line: 9, Message: `repositories[0].hubs: no hub is named "b"; the hubs are: a`},
			{Line: 10, Message: `repositories[0].timeout: "forever" is not a duration; write one such as 6h, 90m or 1h30m`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.input))
			if err == nil {
				t.Fatalf("Parse accepted it: %+v", c)
			}
			if c != nil {
				t.Errorf("Parse returned a Config with its error: %+v", c)
			}
			var got Problems
			if !errors.As(err, &got) {
				t.Fatalf("error %T %v is not Problems", err, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestProblemsDoNotRepeatSecrets(t *testing.T) {
	const secret = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	input := "hubs:\n  - name: a\n    url: https://user:" + secret + "@a.example.org\n    kubernetes: {namespace: a}\n" +
		"registries:\n  - {host: ghcr.io, usernameEnv: " + secret + ", passwordEnv: " + secret + "}\n"
	_, err := Parse([]byte(input))
	if err == nil {
		t.Fatal("Parse accepted credentials in the file")
	}
	if problems := err.(Problems); len(problems) != 3 {
		t.Errorf("got %d problems, want 3: %v", len(problems), err)
	}
	if strings.Contains(err.Error(), secret) {
		t.Errorf("the error repeats the secret:\n%v", err)
	}
}

func TestProblemsError(t *testing.T) {
	err := Problems{{Line: 3, Message: "bad"}, {Line: 7, Message: "worse"}}
	if got, want := err.Error(), "line 3: bad\nline 7: worse"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	c, err := Load("")
	if err != nil || !reflect.DeepEqual(c, &Config{}) {
		t.Errorf(`Load("") = %+v, %v; want an empty Config`, c, err)
	}

	valid := write("valid.yaml", okHub+okRepo)
	c, err = Load(valid)
	if err != nil {
		t.Fatalf("Load(valid): %v", err)
	}
	if r, ok := c.Repository("org/image"); !ok || r.Image != "quay.io/org/image" {
		t.Errorf("Load(valid) = %+v", c)
	}

	missing := filepath.Join(dir, "missing.yaml")
	if _, err := Load(missing); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want fs.ErrNotExist", err)
	}

	invalid := write("invalid.yaml", okHub+"  - name: staging\n    url: http://b\n    kubernetes: {namespace: b}\n")
	_, err = Load(invalid)
	want := invalid + `:5: hubs[1].name: the hub name "staging" is already used at line 2` + "\n" +
		invalid + `:6: hubs[1].url must be an https:// URL such as https://hub.example.org; got "http://b"`
	if err == nil || err.Error() != want {
		t.Errorf("Load(invalid) = %v\nwant %s", err, want)
	}
	var problems Problems
	if !errors.As(err, &problems) || len(problems) != 2 || problems[0].Line != 5 {
		t.Errorf("Load(invalid) does not unwrap to its two Problems: %#v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(okHub + okRepo))
	f.Add([]byte("hubs:\n  - name: a\n    url: https://a\n    kubernetes: {inCluster: true, namespace: a}\n"))
	f.Add([]byte("registries:\n  - {host: docker.io, usernameEnv: U, passwordEnv: P}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if (c == nil) == (err == nil) {
			t.Fatalf("exactly one of config and error must be set: %v %v", c, err)
		}
		if err != nil {
			for _, p := range err.(Problems) {
				if p.Line < 1 || p.Message == "" {
					t.Fatalf("problem without line or message: %+v", p)
				}
			}
		}
	})
}
