package app

import (
	"os"
	"reflect"
	"sort"
	"testing"

	"go.yaml.in/yaml/v3"
)

// alwaysDelivered are the events GitHub sends every App without asking.
var alwaysDelivered = map[string]bool{"installation": true, "installation_repositories": true}

// TestManifestSubscribesToHandledEvents keeps app.yml's events exactly the
// events the App handles.
func TestManifestSubscribesToHandledEvents(t *testing.T) {
	data, err := os.ReadFile("../../app.yml")
	if err != nil {
		t.Fatal(err)
	}
	var manifest struct {
		Name          string            `yaml:"name"`
		Permissions   map[string]string `yaml:"default_permissions"`
		Events        []string          `yaml:"default_events"`
		HookAttribute struct {
			URL string `yaml:"url"`
		} `yaml:"hook_attributes"`
	}
	if err := yaml.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	var handled []string
	seen := map[string]bool{}
	for _, h := range eventHandlers(nil, nil, nil) {
		for _, e := range h.Handles() {
			if !alwaysDelivered[e] && !seen[e] {
				seen[e] = true
				handled = append(handled, e)
			}
		}
	}
	sort.Strings(handled)
	events := append([]string(nil), manifest.Events...)
	sort.Strings(events)
	if !reflect.DeepEqual(events, handled) {
		t.Errorf("app.yml subscribes to %v; the App handles %v", events, handled)
	}
	want := map[string]string{"checks": "write", "contents": "read", "pull_requests": "write", "metadata": "read",
		"deployments": "write", "actions": "read", "packages": "read"}
	if !reflect.DeepEqual(manifest.Permissions, want) {
		t.Errorf("permissions %v, want %v", manifest.Permissions, want)
	}
	if manifest.HookAttribute.URL == "" || manifest.Name != "imagebot" {
		t.Errorf("manifest: %+v", manifest)
	}
}
