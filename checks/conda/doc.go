// Package conda implements conda's version order, version specs and
// MatchSpecs, so that the checks can compare the versions a lock records and
// test them against the constraints that packages and environment files
// declare.
//
// Version follows conda's VersionOrder (CEP 33): an optional epoch, release
// components split on '.', '_' and '-', sub-components of digits and letters,
// the special strings "dev" and "post", and an optional local part after '+'.
// Spec is the version part of a MatchSpec (">=1.5.7,<1.6.0a0", "3.12.*",
// "1.2|(>=2,<3)"). MatchSpec adds the package name, channel, subdir and build
// glob ("conda-forge::python 3.12.* *_cpython").
//
// Where conda and rattler disagree the package follows conda, except where
// conda's result is an accident of its implementation ("=1.2*", ">=*"); there
// it follows rattler's lenient parser. The tests name each such case.
// Regular-expression specs ("^1\.2.*$") are rejected rather than
// half-supported.
//
// Parsing is bounded: inputs longer than MaxLength bytes and parentheses
// nested deeper than MaxDepth are errors, and no input makes the parsers
// panic.
//
// The package is pure and self-contained: standard library only, no I/O, no
// clock, and no other imagebot package.
package conda

// MaxLength is the longest version, spec or MatchSpec text, in bytes, that
// the parsers accept. Real ones are a few dozen bytes.
const MaxLength = 4096

// MaxDepth is the deepest nesting of parentheses that ParseSpec accepts.
const MaxDepth = 32
