// Package imagebot carries the files at the root of the repository that
// the binary needs: the GitHub App manifest, app.yml, which `imagebot
// setup` posts to GitHub. It holds no code and imports nothing of imagebot.
package imagebot

import _ "embed"

// AppManifest is app.yml, the GitHub App manifest.
//
//go:embed app.yml
var AppManifest []byte
