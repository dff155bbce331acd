package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version and revision are stamped by release builds that have no VCS
// metadata to read (the Dockerfile passes them with -ldflags -X, because a
// container build context has no .git). When they are empty, the build
// information Go records in every binary supplies them.
var (
	version  string
	revision string
)

// buildDescription is what `imagebot version` prints.
type buildDescription struct {
	Version  string // the module version, such as v1.2.0, or "(devel)"
	Revision string // the VCS revision, with "-modified" for a dirty tree; "unknown" when not recorded
	Go       string // the Go toolchain that built the binary
}

// describeBuild reads the binary's build information; stamped values win.
func describeBuild(info *debug.BuildInfo, ok bool, stampedVersion, stampedRevision string) buildDescription {
	d := buildDescription{Version: "(devel)", Revision: "unknown", Go: "unknown"}
	if ok {
		d.Go = info.GoVersion
		if info.Main.Version != "" {
			d.Version = info.Main.Version
		}
		var modified bool
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				d.Revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && d.Revision != "unknown" {
			d.Revision += "-modified"
		}
	}
	if stampedVersion != "" {
		d.Version = stampedVersion
	}
	if stampedRevision != "" {
		d.Revision = stampedRevision
	}
	return d
}

// runVersion is `imagebot version`.
func runVersion(args []string, stdout io.Writer) error {
	cmd := newCommand("version", "imagebot version", "Prints imagebot's version, the VCS revision it was built from and the Go version.")
	operands, err := cmd.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(operands) > 0 {
		return usagef("version takes no arguments")
	}
	info, ok := debug.ReadBuildInfo()
	d := describeBuild(info, ok, version, revision)
	_, err = fmt.Fprintf(stdout, "imagebot %s\nrevision: %s\ngo: %s\n", d.Version, d.Revision, d.Go)
	return err
}
