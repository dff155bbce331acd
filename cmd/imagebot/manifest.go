package main

import (
	"bytes"
	"fmt"
	"sort"

	"go.yaml.in/yaml/v3"

	"github.com/imagebot/imagebot"
)

// appManifest is a GitHub App manifest: the parameters GitHub's App
// Manifest flow accepts, and nothing else (app.yml is decoded strictly).
type appManifest struct {
	Name               string            `yaml:"name" json:"name"`
	URL                string            `yaml:"url" json:"url"`
	Description        string            `yaml:"description" json:"description,omitempty"`
	Public             bool              `yaml:"public" json:"public"`
	HookAttributes     hookAttributes    `yaml:"hook_attributes" json:"hook_attributes"`
	RedirectURL        string            `yaml:"redirect_url" json:"redirect_url"`
	CallbackURLs       []string          `yaml:"callback_urls" json:"callback_urls,omitempty"`
	SetupURL           string            `yaml:"setup_url" json:"setup_url,omitempty"`
	SetupOnUpdate      bool              `yaml:"setup_on_update" json:"setup_on_update,omitempty"`
	DefaultPermissions map[string]string `yaml:"default_permissions" json:"default_permissions"`
	DefaultEvents      []string          `yaml:"default_events" json:"default_events"`
}

type hookAttributes struct {
	URL    string `yaml:"url" json:"url"`
	Active bool   `yaml:"active" json:"active"`
}

// loadManifest decodes app.yml strictly.
func loadManifest(data []byte) (appManifest, error) {
	var m appManifest
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("app.yml: %w", err)
	}
	return m, nil
}

// setupManifest is app.yml as `imagebot setup` posts it: the webhook URL
// given, the redirect back to setup's own callback, and the permissions
// the operator needs. Without bumpPRs, contents is read-only: imagebot
// only writes to repositories to open the pull requests that bump a hub's
// values file (configRepo.openPullRequest).
func setupManifest(webhookURL, redirectURL string, bumpPRs bool) (appManifest, error) {
	m, err := loadManifest(imagebot.AppManifest)
	if err != nil {
		return m, err
	}
	m.HookAttributes = hookAttributes{URL: webhookURL, Active: true}
	m.RedirectURL = redirectURL
	perms := make(map[string]string, len(m.DefaultPermissions))
	for k, v := range m.DefaultPermissions {
		perms[k] = v
	}
	if bumpPRs {
		perms["contents"], perms["pull_requests"] = "write", "write"
	}
	m.DefaultPermissions = perms
	return m, nil
}

// permissionList is the manifest's permissions as "name: access", sorted.
func (m appManifest) permissionList() []string {
	list := make([]string, 0, len(m.DefaultPermissions))
	for name, access := range m.DefaultPermissions {
		list = append(list, name+": "+access)
	}
	sort.Strings(list)
	return list
}
