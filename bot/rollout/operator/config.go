// Package operator reads the operator's server-side configuration (the
// YAML file that IMAGEBOT_CONFIG names): the hubs imagebot follows rollouts
// to, how each hub's running image is observed (a Kubernetes cluster, a
// values file in a config repository, or both), the community image
// repositories that feed them, and the environment variables that hold
// registry credentials.
//
// Hubs, clusters and registries come only from this file, never from a
// repository or a pull request: a repository's own .github/imagebot.yml can
// only narrow the hubs the operator allowed for it (HubsFor).
//
// Parsing is strict: an unknown key or a bad value is a Problem with its
// line. Key paths into values files follow yamledit.KeyPath; the package
// defines the grammar of image references (Reference). It reads nothing but
// the file Load is given, and must not depend on GitHub, Kubernetes, the
// network, or any imagebot package but checks/config, internal/strictyaml
// and yamledit.
// The file's JSON Schema is embedded as Schema.
package operator

import (
	_ "embed"
	"strings"
	"time"

	"github.com/imagebot/imagebot/checks/config"
)

// Schema is the JSON Schema of the operator's configuration file.
//
//go:embed operator.schema.json
var Schema []byte

// Defaults of the optional keys.
const (
	DefaultSelector        = "component=singleuser-server"
	DefaultContainer       = "notebook"
	DefaultTagTemplate     = "{sha12}"
	DefaultTimeout         = 6 * time.Hour
	DefaultConfigureWithin = 30 * time.Minute
	DefaultMetricsPrefix   = "jupyterhub"
	DefaultHealthyWindow   = 30 * time.Minute
	DefaultHealthyFailures = 2
)

// Config is the operator's configuration, with defaults filled in. The zero
// Config has no repositories, so it tracks no rollouts.
type Config struct {
	Hubs         []Hub
	Repositories []Repository
	Registries   []Registry
}

// Hub is one JupyterHub that images roll out to.
type Hub struct {
	// Name is a lower-case DNS label; it is also the GitHub Deployment
	// environment of the hub's rollouts.
	Name string
	// URL is the hub's https:// address, shown to maintainers.
	URL string
	// Kubernetes says how to observe the hub's cluster; nil when it is not
	// observed.
	Kubernetes *Kubernetes
	// ConfigRepo is the values file that says which image the hub runs; nil
	// when there is none. At least one of Kubernetes and ConfigRepo is set.
	ConfigRepo *ConfigRepo
	// APIURL is where imagebot reaches the hub's REST API (its version at
	// /hub/api/, its metrics at /hub/metrics): an http:// or https://
	// address such as the hub's in-cluster service; "" means URL.
	APIURL string
	// Metrics lets imagebot read the hub's spawn outcomes from /hub/metrics;
	// nil when it may not.
	Metrics *Metrics
	// Healthy says how the healthy stage judges a new image on this hub;
	// always set, with the defaults when the file leaves it out.
	Healthy Healthy
}

// Metrics is how imagebot reads a hub's Prometheus metrics.
type Metrics struct {
	// TokenEnv names the environment variable that holds a JupyterHub API
	// token with the scope read:metrics.
	TokenEnv string
	// Prefix is the metrics' name prefix: "jupyterhub" unless the hub
	// renames its metrics.
	Prefix string
}

// Healthy is how the healthy stage, after a new image is live on a hub,
// decides whether it starts.
type Healthy struct {
	// Window is how long after the image is live imagebot watches servers
	// start on it.
	Window time.Duration
	// Failures is how many failed spawns or failing pods on the new image
	// make the stage fail, when they also outnumber the successful spawns.
	Failures int
}

// API returns the base address of the hub's REST API, without a trailing
// slash: APIURL, or URL when APIURL is not set.
func (h *Hub) API() string {
	if h.APIURL != "" {
		return strings.TrimSuffix(h.APIURL, "/")
	}
	return strings.TrimSuffix(h.URL, "/")
}

// Kubernetes locates a hub's user servers in a cluster.
type Kubernetes struct {
	// Kubeconfig is the absolute path of a kubeconfig file; "" means the
	// default loading rules ($KUBECONFIG, then ~/.kube/config), or none
	// with InCluster.
	Kubeconfig string
	// Context is the kubeconfig context; "" means its current context.
	Context string
	// InCluster uses the service account of the pod imagebot runs in.
	InCluster bool
	// Namespace holds the hub's pods.
	Namespace string
	// Selector is the label selector of the user server pods.
	Selector string
	// Container is the name of the user server's container.
	Container string
}

// ConfigRepo is a hub's values file in an infrastructure repository.
type ConfigRepo struct {
	// Repository is "owner/name".
	Repository string
	// Ref is the branch to read and to bump; "" means the repository's
	// default branch.
	Ref string
	// Path is the values file's path in the repository.
	Path string
	// Key is the key path (see yamledit.KeyPath) of the scalar that holds the
	// image's tag or its full reference.
	Key string
	// OpenPullRequest lets imagebot open the pull request that sets the
	// value to a new tag.
	OpenPullRequest bool
}

// Repository is a community image repository whose merges roll out.
type Repository struct {
	// FullName is "owner/name".
	FullName string
	// Image is the image's name without tag or digest, such as
	// "quay.io/org/hub-image".
	Image string
	// TagTemplate is the tag a merge publishes: "{sha12}", "{sha7}" and
	// "{sha}" stand for the merge commit's SHA.
	TagTemplate string
	// Workflow is the name of the workflow that builds and pushes the image
	// (workflow_run.name).
	Workflow string
	// Hubs are the names of the hubs this repository may feed, each defined
	// in Config.Hubs.
	Hubs []string
	// HubKeys maps a hub's name to the key path where this repository's
	// image is set in that hub's values file, when it is not the hub's own
	// ConfigRepo.Key: a hub that offers several images, each fed by its own
	// repository, sets each one at its own key. Nil when no hub needs one.
	HubKeys map[string]string
	// Timeout is how long a rollout is followed before it gives up.
	Timeout time.Duration
	// ConfigureWithin is how long a hub may go on pointing at another image
	// after the new one is published before the rollout explains why.
	ConfigureWithin time.Duration
}

// Registry names the environment variables that hold the credentials for
// one registry host. Registries without an entry are read anonymously.
type Registry struct {
	Host        string
	UsernameEnv string // "" when the registry is read anonymously
	PasswordEnv string
	// Insecure lets imagebot reach the registry over plain HTTP, such as a
	// registry inside the cluster.
	Insecure bool
}

// Repository returns the configuration of a community repository by its
// "owner/name", compared case-insensitively as GitHub does.
func (c *Config) Repository(fullName string) (*Repository, bool) {
	for i := range c.Repositories {
		if strings.EqualFold(c.Repositories[i].FullName, fullName) {
			return &c.Repositories[i], true
		}
	}
	return nil, false
}

// Hub returns the hub with the given name.
func (c *Config) Hub(name string) (*Hub, bool) {
	for i := range c.Hubs {
		if c.Hubs[i].Name == name {
			return &c.Hubs[i], true
		}
	}
	return nil, false
}

// HubFor returns the hub with the given name as the repository named
// fullName sees it: its ConfigRepo.Key is the repository's own key for
// that hub (Repository.HubKeys), if it has one. The result is a copy when a
// key is replaced, so the shared Hub never changes.
func (c *Config) HubFor(fullName, name string) (*Hub, bool) {
	h, ok := c.Hub(name)
	if !ok {
		return nil, false
	}
	if repo, found := c.Repository(fullName); found {
		return repo.view(h), true
	}
	return h, true
}

// view is the hub as this repository sees it (see HubFor).
func (r *Repository) view(h *Hub) *Hub {
	key, ok := r.HubKeys[h.Name]
	if !ok || h.ConfigRepo == nil {
		return h
	}
	own, cr := *h, *h.ConfigRepo
	cr.Key = key
	own.ConfigRepo = &cr
	return &own
}

// Registry returns the credentials entry for a registry host, compared
// case-insensitively; docker.io, index.docker.io and registry-1.docker.io
// are the same host.
func (c *Config) Registry(host string) (*Registry, bool) {
	host = registryHost(host)
	for i := range c.Registries {
		if registryHost(c.Registries[i].Host) == host {
			return &c.Registries[i], true
		}
	}
	return nil, false
}

// InsecureRegistries returns the hosts of the registries that may be
// reached over plain HTTP, as the file writes them.
func (c *Config) InsecureRegistries() []string {
	var hosts []string
	for _, r := range c.Registries {
		if r.Insecure {
			hosts = append(hosts, r.Host)
		}
	}
	return hosts
}

// HubsFor returns the hubs a repository feeds, as it sees them (see
// HubFor): those the operator allowed for it, in the operator's order,
// narrowed to the names the repository's own .github/imagebot.yml lists
// (requested), if it lists any. Requested names the operator did not allow
// are returned as refused, once each and in the order requested, so that
// the caller can say so.
func (c *Config) HubsFor(repo *Repository, requested []string) (hubs []*Hub, refused []string) {
	allowed := map[string]bool{}
	for _, name := range repo.Hubs {
		allowed[name] = true
	}
	wanted := map[string]bool{}
	for _, name := range requested {
		if !allowed[name] && !wanted[name] {
			refused = append(refused, name)
		}
		wanted[name] = true
	}
	for _, name := range repo.Hubs {
		if len(requested) > 0 && !wanted[name] {
			continue
		}
		if h, ok := c.Hub(name); ok {
			hubs = append(hubs, repo.view(h))
		}
	}
	return hubs, refused
}

// Tag expands the tag template for a merge commit's SHA.
func (r *Repository) Tag(sha string) string { return config.ExpandTag(r.TagTemplate, sha) }
