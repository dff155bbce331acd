// Package deploy holds imagebot's release artefacts and their tests: the
// Helm chart (helm/imagebot), the GitHub Action (action), and the tests of
// the container image the repository's Dockerfile builds. It has no code
// of its own; its tests render the chart with Helm, build and inspect the
// image with go-containerregistry, and run the Action's script.
package deploy
