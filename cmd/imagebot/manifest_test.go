package main

import (
	"reflect"
	"strings"
	"testing"

	"github.com/imagebot/imagebot"
)

// TestAppManifestIsPostable decodes app.yml strictly as a GitHub App
// manifest: only manifest parameters, access levels GitHub knows, and the
// URLs a manifest needs.
func TestAppManifestIsPostable(t *testing.T) {
	m, err := loadManifest(imagebot.AppManifest)
	if err != nil {
		t.Fatalf("app.yml is not a GitHub App manifest: %v", err)
	}
	if m.Name == "" || !strings.HasPrefix(m.URL, "https://") || !strings.HasPrefix(m.HookAttributes.URL, "https://") || len(m.DefaultEvents) == 0 {
		t.Errorf("app.yml lacks a name, url, hook_attributes.url or events: %+v", m)
	}
	for name, access := range m.DefaultPermissions {
		if access != "read" && access != "write" {
			t.Errorf("permission %s: %q is not read or write", name, access)
		}
	}
	if _, err := loadManifest([]byte("name: x\nhook_attributes: {url: https://x, secret: s}\n")); err == nil || !strings.Contains(err.Error(), "field secret not found") {
		t.Errorf("a key GitHub does not know is accepted: %v", err)
	}
}

func TestSetupManifestPermissions(t *testing.T) {
	base, err := loadManifest(imagebot.AppManifest)
	if err != nil {
		t.Fatal(err)
	}
	for _, bump := range []bool{false, true} {
		m, err := setupManifest("https://imagebot.example.org/api/github/webhooks", "http://127.0.0.1:3000/callback", bump)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for k, v := range base.DefaultPermissions {
			want[k] = v
		}
		want["contents"] = map[bool]string{false: "read", true: "write"}[bump]
		if !reflect.DeepEqual(m.DefaultPermissions, want) || m.HookAttributes.URL != "https://imagebot.example.org/api/github/webhooks" ||
			!m.HookAttributes.Active || m.RedirectURL != "http://127.0.0.1:3000/callback" {
			t.Errorf("bump %v: %+v", bump, m)
		}
	}
	if base.DefaultPermissions["contents"] != "read" {
		t.Errorf("app.yml asks for contents: %s; write only comes with --bump-prs", base.DefaultPermissions["contents"])
	}
}
