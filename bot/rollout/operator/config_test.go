package operator

import (
	"reflect"
	"testing"
)

func TestLookups(t *testing.T) {
	c := exampleConfig
	tests := []struct {
		name string
		got  func() (any, bool)
		want any
		ok   bool
	}{
		{"repository by exact name", func() (any, bool) { r, ok := c.Repository("example-org/hub-image"); return r, ok }, &c.Repositories[0], true},
		{"repository names ignore case", func() (any, bool) { r, ok := c.Repository("Example-Org/Workshop-Image"); return r, ok }, &c.Repositories[1], true},
		{"unknown repository", func() (any, bool) { r, ok := c.Repository("example-org/other"); return r, ok }, (*Repository)(nil), false},
		{"hub by name", func() (any, bool) { h, ok := c.Hub("prod"); return h, ok }, &c.Hubs[1], true},
		{"hub names are exact", func() (any, bool) { h, ok := c.Hub("Prod"); return h, ok }, (*Hub)(nil), false},
		{"registry by host", func() (any, bool) { r, ok := c.Registry("GHCR.io"); return r, ok }, &c.Registries[0], true},
		{"registry without credentials", func() (any, bool) { r, ok := c.Registry("quay.io"); return r, ok }, (*Registry)(nil), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.got()
			if got != tt.want || ok != tt.ok {
				t.Errorf("got %p, %v; want %p, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestRegistryDockerHubAliases(t *testing.T) {
	c := &Config{Registries: []Registry{{Host: "index.docker.io", UsernameEnv: "U", PasswordEnv: "P"}}}
	for _, host := range []string{"docker.io", "registry-1.docker.io", "Index.Docker.io"} {
		if r, ok := c.Registry(host); !ok || r != &c.Registries[0] {
			t.Errorf("Registry(%q) = %v, %v; want the index.docker.io entry", host, r, ok)
		}
	}
}

func TestHubsFor(t *testing.T) {
	c := &Config{Hubs: []Hub{{Name: "staging"}, {Name: "prod"}, {Name: "workshop"}}}
	repo := &Repository{Hubs: []string{"prod", "staging"}}
	tests := []struct {
		name      string
		requested []string
		hubs      []string
		refused   []string
	}{
		{"nothing requested: every allowed hub, in the operator's order", nil, []string{"prod", "staging"}, nil},
		{"an empty request is no request", []string{}, []string{"prod", "staging"}, nil},
		{"narrowed to one", []string{"staging"}, []string{"staging"}, nil},
		{"the repository's order does not matter", []string{"staging", "prod"}, []string{"prod", "staging"}, nil},
		{"a hub the operator did not allow is refused", []string{"staging", "workshop"}, []string{"staging"}, []string{"workshop"}},
		{"a hub nobody defined is refused", []string{"elsewhere"}, nil, []string{"elsewhere"}},
		{"each refused name once, in the order requested", []string{"x", "prod", "workshop", "x"}, []string{"prod"}, []string{"x", "workshop"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hubs, refused := c.HubsFor(repo, tt.requested)
			var names []string
			for _, h := range hubs {
				got, _ := c.Hub(h.Name)
				if got != h {
					t.Errorf("hub %q is not the Config's own", h.Name)
				}
				names = append(names, h.Name)
			}
			if !reflect.DeepEqual(names, tt.hubs) || !reflect.DeepEqual(refused, tt.refused) {
				t.Errorf("got %q, refused %q; want %q, refused %q", names, refused, tt.hubs, tt.refused)
			}
		})
	}
}

func TestTag(t *testing.T) {
	const sha = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		template, sha, want string
	}{
		{"{sha12}", sha, "0123456789ab"},
		{"{sha7}", sha, "0123456"},
		{"{sha}", sha, sha},
		{"sha-{sha7}-py312", sha, "sha-0123456-py312"},
		{"{sha7}.{sha12}", sha, "0123456.0123456789ab"},
		{"{sha12}", "abc", "abc"}, // a short SHA is used whole
	}
	for _, tt := range tests {
		r := &Repository{TagTemplate: tt.template}
		if got := r.Tag(tt.sha); got != tt.want {
			t.Errorf("Tag(%q) with %q = %q, want %q", tt.sha, tt.template, got, tt.want)
		}
	}
}

func TestHubForUsesTheRepositorysKey(t *testing.T) {
	const own = "basehub.jupyterhub.singleuser.profileList[slug=default].profile_options.image.choices.r.kubespawner_override.image"
	c := &Config{
		Hubs: []Hub{
			{Name: "prod", ConfigRepo: &ConfigRepo{Repository: "org/infra", Path: "prod.yaml", Key: "jupyterhub.singleuser.image.name"}},
			{Name: "cluster-only", Kubernetes: &Kubernetes{Namespace: "c"}},
		},
		Repositories: []Repository{
			{FullName: "org/r-image", Hubs: []string{"prod", "cluster-only"}, HubKeys: map[string]string{"prod": own}},
			{FullName: "org/py-image", Hubs: []string{"prod"}},
		},
	}
	tests := []struct {
		repo, hub string
		key       string // "" for a hub without ConfigRepo
		shared    bool   // the Config's own Hub is returned
	}{
		{"org/r-image", "prod", own, false},
		{"Org/R-Image", "prod", own, false},
		{"org/py-image", "prod", "jupyterhub.singleuser.image.name", true},
		{"org/unknown", "prod", "jupyterhub.singleuser.image.name", true},
		{"org/r-image", "cluster-only", "", true},
	}
	for _, tt := range tests {
		h, ok := c.HubFor(tt.repo, tt.hub)
		if !ok {
			t.Fatalf("HubFor(%q, %q) found nothing", tt.repo, tt.hub)
		}
		shared, _ := c.Hub(tt.hub)
		var key string
		if h.ConfigRepo != nil {
			key = h.ConfigRepo.Key
		}
		if key != tt.key || (h == shared) != tt.shared {
			t.Errorf("HubFor(%q, %q): key %q, shared %v; want %q, %v", tt.repo, tt.hub, key, h == shared, tt.key, tt.shared)
		}
	}
	if c.Hubs[0].ConfigRepo.Key != "jupyterhub.singleuser.image.name" {
		t.Errorf("HubFor changed the shared hub: %q", c.Hubs[0].ConfigRepo.Key)
	}
	if _, ok := c.HubFor("org/r-image", "nowhere"); ok {
		t.Error("HubFor found a hub nobody defined")
	}
	hubs, _ := c.HubsFor(&c.Repositories[0], nil)
	if len(hubs) != 2 || hubs[0].ConfigRepo.Key != own {
		t.Errorf("HubsFor does not give the repository's key: %+v", hubs)
	}
}

func TestInsecureRegistries(t *testing.T) {
	c := &Config{Registries: []Registry{
		{Host: "ghcr.io", UsernameEnv: "U", PasswordEnv: "P"},
		{Host: "registry.jhub.svc:5000", Insecure: true},
		{Host: "harbor.internal", UsernameEnv: "U", PasswordEnv: "P", Insecure: true},
	}}
	if got, want := c.InsecureRegistries(), []string{"registry.jhub.svc:5000", "harbor.internal"}; !reflect.DeepEqual(got, want) {
		t.Errorf("InsecureRegistries() = %q, want %q", got, want)
	}
}

func TestHubAPI(t *testing.T) {
	tests := []struct{ url, api, want string }{
		{"https://hub.example.org", "", "https://hub.example.org"},
		{"https://example.org/jupyter/", "", "https://example.org/jupyter"},
		{"https://hub.example.org", "http://hub.jhub.svc:8081/", "http://hub.jhub.svc:8081"},
	}
	for _, tt := range tests {
		h := &Hub{URL: tt.url, APIURL: tt.api}
		if got := h.API(); got != tt.want {
			t.Errorf("API() of url %q, apiURL %q = %q, want %q", tt.url, tt.api, got, tt.want)
		}
	}
}
