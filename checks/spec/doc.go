// Package spec reads the files that environments are locked from: conda
// environment files (environment.yml), pip requirement files
// (requirements.in and hand-written requirements*.txt), pyproject.toml
// ([project], [dependency-groups] and [tool.pixi]) and pixi.toml. Each
// becomes a Spec: the channels, platforms and pixi environments it declares,
// and every dependency it asks for with its 1-based line, so that the
// checks can compare a spec with its lock and point at the line to fix.
//
// TOML is decoded by BurntSushi/toml; the lines of its keys, tables and
// array elements come from the syntax tree of pelletier/go-toml/v2's
// position-aware parser (toml_index.go), which also enforces the nesting
// and item limits before the decoder runs.
//
// Parsing is static: bytes in, a *Spec and errors out. Inputs are bounded
// (MaxSize, and limits on nesting and item counts), and no input makes a
// parser panic.
//
// The package must not depend on I/O, the network, the clock, GitHub types
// or the checks engine; it uses only the lock, conda and pep440 packages
// for their package-manager names and version languages.
package spec
