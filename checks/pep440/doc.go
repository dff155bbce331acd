// Package pep440 reads the version language of Python packages: PEP 440
// versions and specifier sets, PEP 508 requirements with their environment
// markers, and PEP 503 distribution names. imagebot uses it to judge the pip
// and PyPI half of a lock: whether a locked version satisfies a declared
// range, which way a version moved, and which dependencies apply on a
// platform.
//
// It is written here rather than taken from
// github.com/aquasecurity/go-pep440-version because that module gets PEP 440
// wrong in ways a lock check meets: it does not normalise local labels
// (1.0+abc-5 differs from 1.0+abc.5), ==1.0.* does not match 1, ~=1.4.5a4
// rejects 1.4.6, it accepts syntax PEP 440 lacks (bare versions, "||",
// specifiers without commas) and it rejects release numbers above 2^64.
//
// Where PEP 440 is terse, behaviour follows current pypa/packaging: <V
// excludes only pre-releases of V itself (<1.0.post1 admits 1.0a1) and >V
// only V's own post releases and local versions (>1.0a1 admits 1.0.post0).
// Marker comparisons fall back to string comparison when a side is not a
// version, as PEP 508 says.
//
// Numbers are kept as decimal digit strings, so every version PEP 440 allows
// parses, however long its numbers. Every parser rejects input longer than
// 64 KiB, invalid UTF-8, and markers nested deeper than 32 parentheses, so
// hostile text costs bounded time and memory.
//
// The package is pure: it must not depend on I/O, the network, the clock,
// GitHub types, or any other imagebot package.
package pep440
