// Package yamledit reads and edits one value of a YAML file, such as a
// hub's Helm values file, by its key path
// (jupyterhub.singleuser.profileList[slug=python].kubespawner_override.image).
//
// ParseKeyPath reads the key path grammar, Find follows a path to its value
// (through aliases and "<<" merge keys) and Set rewrites that value's text
// alone, so that every other byte of the file, comments and formatting
// included, stays as it was. A path that leads nowhere is a *KeyError that
// names the file, the line, and the step that is missing.
//
// It works on bytes only and must not depend on GitHub, the network or any
// other imagebot package.
package yamledit
