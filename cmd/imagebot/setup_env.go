package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/imagebot/imagebot/bot/settings"
)

// writeAppEnv writes the App's credentials to path, which must not exist
// yet, readable by its owner only. The file is a shell environment file:
// `set -a; . ./imagebot-app.env` reads it, private key and all, and
// `imagebot serve` needs nothing else from GitHub.
func writeAppEnv(path string, cfg *github.AppConfig) error {
	values := []struct{ name, value string }{
		{settings.EnvAppID, fmt.Sprint(cfg.GetID())},
		{"GITHUB_APP_SLUG", cfg.GetSlug()},
		{settings.EnvWebhookSecret, cfg.GetWebhookSecret()},
		{settings.EnvPrivateKey, strings.TrimSpace(cfg.GetPEM())},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# The GitHub App %q (%s), registered by imagebot setup.\n", cfg.GetName(), cfg.GetHTMLURL())
	b.WriteString("# Secret: it holds the App's private key and webhook secret.\n")
	for _, v := range values {
		// Single quotes keep every character as it is; none of GitHub's
		// values holds one, and a value that did would be refused.
		if strings.Contains(v.value, "'") {
			return fmt.Errorf("GitHub's %s holds a quote; imagebot cannot write it safely", v.name)
		}
		fmt.Fprintf(&b, "%s='%s'\n", v.name, v.value)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(b.String()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
