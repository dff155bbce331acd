package spec

import (
	"fmt"
	"strings"
	"testing"
)

// bigPixiTOML is a pixi manifest with 20 features of 50 dependencies each
// (inline tables and strings), about 60 KB: a large real manifest.
func bigPixiTOML() []byte {
	var b strings.Builder
	b.WriteString("[workspace]\nname = \"bench\"\nchannels = [\"conda-forge\"]\nplatforms = [\"linux-64\", \"osx-arm64\"]\n")
	for f := 0; f < 20; f++ {
		fmt.Fprintf(&b, "\n[feature.f%d.dependencies]\n", f)
		for d := 0; d < 50; d++ {
			if d%2 == 0 {
				fmt.Fprintf(&b, "pkg-%d-%d = \">=1.%d, <2\"\n", f, d, d)
			} else {
				fmt.Fprintf(&b, "pkg-%d-%d = { version = \"%d.*\", channel = \"conda-forge\" }\n", f, d, d)
			}
		}
		fmt.Fprintf(&b, "\n[feature.f%d.pypi-dependencies]\nlib-%d = { version = \"==1.0\", extras = [\"a\", \"b\"] }\n", f, f)
	}
	return []byte(b.String())
}

// BenchmarkParsePixiTOML is the whole pixi.toml path: limits and
// positions, decoding, and reading the requirements.
func BenchmarkParsePixiTOML(b *testing.B) {
	data := bigPixiTOML()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePixiTOML("pixi.toml", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexTOML is the positions and limits alone on the manifest of
// BenchmarkParsePixiTOML.
func BenchmarkIndexTOML(b *testing.B) {
	src := string(bigPixiTOML())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if x, line, msg := indexTOML(src); x == nil {
			b.Fatalf("line %d: %s", line, msg)
		}
	}
}

// BenchmarkIndexTOMLLargestArray indexes the largest array the limits
// accept, maxTOMLItems-2 values on one line: the memory a hostile document
// can make the index take before a limit stops it.
func BenchmarkIndexTOMLLargestArray(b *testing.B) {
	src := "a = [" + strings.Repeat("1,", maxTOMLItems-2) + "]\n"
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if x, line, msg := indexTOML(src); x == nil {
			b.Fatalf("line %d: %s", line, msg)
		}
	}
}

// BenchmarkIndexTOMLOverLimit indexes one array of almost
// maxTOMLSeparators values: over maxTOMLItems, but under the separator
// limit that is checked before parsing, so the parser builds its whole
// tree before the walk stops. This is the most memory a document can make
// the index take.
func BenchmarkIndexTOMLOverLimit(b *testing.B) {
	src := "a = [" + strings.Repeat("1,", maxTOMLSeparators-2) + "]\n"
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if x, _, _ := indexTOML(src); x != nil {
			b.Fatal("indexed a document over the limit")
		}
	}
}

// BenchmarkIndexTOMLSpecSized indexes a spec-sized (MaxSize) document of
// one array of 4 million values, which the separator limit rejects before
// parsing.
func BenchmarkIndexTOMLSpecSized(b *testing.B) {
	src := "a = [" + strings.Repeat("1,", MaxSize/2-4) + "]\n"
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if x, _, _ := indexTOML(src); x != nil {
			b.Fatal("indexed a document over the limit")
		}
	}
}
