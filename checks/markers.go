package checks

import (
	"strings"

	"github.com/imagebot/imagebot/checks/lock"
)

// markerEnvironment describes a locked platform in PEP 508 marker terms,
// so that PyPI requirements with markers are judged only where they
// apply. Variables it cannot know are left out, and markers that use them
// evaluate as unknown.
func markerEnvironment(platform string, p *lock.Platform) map[string]string {
	env := map[string]string{"implementation_name": "cpython", "platform_python_implementation": "CPython"}
	os, arch, _ := strings.Cut(platform, "-")
	switch os {
	case "linux":
		env["sys_platform"], env["platform_system"], env["os_name"] = "linux", "Linux", "posix"
	case "osx":
		env["sys_platform"], env["platform_system"], env["os_name"] = "darwin", "Darwin", "posix"
	case "win":
		env["sys_platform"], env["platform_system"], env["os_name"] = "win32", "Windows", "nt"
	}
	switch arch {
	case "64":
		if os == "win" {
			env["platform_machine"] = "AMD64"
		} else {
			env["platform_machine"] = "x86_64"
		}
	case "aarch64":
		env["platform_machine"] = "aarch64"
	case "arm64":
		env["platform_machine"] = "arm64"
	case "ppc64le":
		env["platform_machine"] = "ppc64le"
	}
	if p != nil {
		py := p.Package(lock.Conda, "python")
		if py == nil {
			py = p.Package(lock.PyPI, "python")
		}
		if py != nil {
			env["python_full_version"] = py.Version
			parts := strings.SplitN(py.Version, ".", 3)
			if len(parts) >= 2 {
				env["python_version"] = parts[0] + "." + parts[1]
			}
		}
	}
	return env
}
