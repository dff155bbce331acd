package checks

import (
	"path"
	"strings"

	"github.com/imagebot/imagebot/checks/config"
	"github.com/imagebot/imagebot/checks/lock"
)

// maxFileSize is the largest file the checks read.
const maxFileSize = lock.MaxSize

// fileKind says what role a file plays in an image repository.
type fileKind int

const (
	notWanted       fileKind = iota
	environmentFile          // environment.yml, a conda spec
	requirementsTxt          // requirements*.txt: a pip-compile lock or a spec, by content
	requirementsIn           // requirements*.in, a pip spec
	pyprojectFile            // pyproject.toml
	pixiTOML                 // pixi.toml
	lockFile                 // conda-lock.yml, *.lock: a lock of some format, by content
	dockerfile               // Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile
	postBuild                // repo2docker postBuild
	startScript              // repo2docker start
	appendix                 // repo2docker --appendix snippet
	workflow                 // .github/workflows/*.yml
	configFile               // .github/imagebot.yml
)

// classify names a file's role from its path alone.
func classify(p string) fileKind {
	base := path.Base(p)
	lower := strings.ToLower(base)
	switch {
	case p == config.Path:
		return configFile
	case strings.HasPrefix(p, ".github/workflows/") && path.Dir(p) == ".github/workflows" &&
		(strings.HasSuffix(lower, ".yml") || strings.HasSuffix(lower, ".yaml")):
		return workflow
	case lower == "environment.yml" || lower == "environment.yaml":
		return environmentFile
	case strings.HasPrefix(lower, "requirements") && strings.HasSuffix(lower, ".txt"):
		return requirementsTxt
	case strings.HasPrefix(lower, "requirements") && strings.HasSuffix(lower, ".in"):
		return requirementsIn
	case lower == "pyproject.toml":
		return pyprojectFile
	case lower == "pixi.toml":
		return pixiTOML
	case lower == "conda-lock.yml" || lower == "conda-lock.yaml" ||
		strings.HasSuffix(lower, ".conda-lock.yml") || strings.HasSuffix(lower, ".lock"):
		return lockFile
	case lower == "dockerfile" || lower == "containerfile" ||
		strings.HasPrefix(lower, "dockerfile.") || strings.HasSuffix(lower, ".dockerfile"):
		return dockerfile
	case base == "postBuild":
		return postBuild
	case base == "start":
		return startScript
	case base == "appendix":
		return appendix
	}
	return notWanted
}

// Wanted reports whether the checks read a file: the App fetches exactly
// these files and nothing else.
func Wanted(p string) bool { return classify(p) != notWanted }
