package lock

import (
	"errors"
	"fmt"

	"github.com/imagebot/imagebot/checks/internal/textfile"
	"github.com/imagebot/imagebot/checks/parseerr"
)

// MaxSize is the largest input Parse accepts (larger input is an error, read nothing more).
const MaxSize = 64 << 20

// ParseError is the error for malformed input: the engine's one parse
// error, with the path and the 1-based line (0: the whole file is too
// large, or not a lockfile of the expected format at all).
type ParseError = parseerr.Error

// Parse detects the format and parses. Paths are slash-separated, relative to the repository root.
//
// The returned Lock is fresh and owned by the caller, but one Package may
// appear in several environments and platforms (pixi.lock lists a package
// once for all of them); treat Packages as read-only.
func Parse(path string, data []byte) (*Lock, error) {
	if len(data) > MaxSize {
		return nil, tooLarge(path, len(data))
	}
	src := textfile.Normalize(data)
	f, ok := detect(path, src)
	if !ok {
		return nil, &ParseError{Path: path, Msg: "not a lockfile: expected conda-lock.yml, an @EXPLICIT conda lock, pixi.lock, uv.lock or requirements written by pip-compile or uv pip compile"}
	}
	return parse(f, path, src)
}

// ParseFormat parses data as the given format.
func ParseFormat(f Format, path string, data []byte) (*Lock, error) {
	if len(data) > MaxSize {
		return nil, tooLarge(path, len(data))
	}
	if f == FormatUV && len(data) > uvMaxSize {
		return nil, uvTooLarge(path, len(data)) // before copying it
	}
	return parse(f, path, textfile.Normalize(data))
}

// parse parses src, a copy of the caller's data: the model's strings are
// substrings of it.
func parse(f Format, path, src string) (*Lock, error) {
	var (
		l   *Lock
		err error
	)
	switch f {
	case FormatCondaLock:
		l, err = parseCondaLock(path, src)
	case FormatExplicit:
		l, err = parseExplicit(path, src)
	case FormatPixi:
		l, err = parsePixi(path, src)
	case FormatUV:
		l, err = parseUV(path, src)
	case FormatPipCompile:
		l, err = parsePipCompile(path, src)
	default:
		return nil, fmt.Errorf("parse %s: unknown lockfile format %q", path, f)
	}
	if err != nil {
		return nil, err
	}
	l.Path, l.Format = path, f
	return l, nil
}

func tooLarge(path string, n int) error {
	return &ParseError{Path: path, Msg: fmt.Sprintf("file is %d bytes; lockfiles larger than %d MiB are not read", n, MaxSize>>20)}
}

// yamlParseError turns an error from parseYAML into a ParseError.
func yamlParseError(path string, err error) error {
	var ye *yamlError
	if errors.As(err, &ye) {
		return &ParseError{Path: path, Line: ye.line, Msg: "invalid YAML: " + ye.msg}
	}
	return &ParseError{Path: path, Msg: "invalid YAML: " + err.Error()}
}
