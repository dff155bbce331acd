package pep440

import "testing"

func BenchmarkParseVersion(b *testing.B) {
	texts := orderedVersions(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := ParseVersion(texts[i%len(texts)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseSpecifiers(b *testing.B) {
	const spec = ">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,<4"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSpecifiers(spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkContains(b *testing.B) {
	set, err := ParseSpecifiers(">=2.7,!=3.0.*,!=3.1.*,!=3.2.*,<4")
	if err != nil {
		b.Fatal(err)
	}
	var versions []Version
	for _, text := range orderedVersions(b) {
		v, err := ParseVersion(text)
		if err != nil {
			b.Fatal(err)
		}
		versions = append(versions, v)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		set.Contains(versions[i%len(versions)])
	}
}
