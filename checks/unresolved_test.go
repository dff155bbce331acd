package checks

import (
	"strings"
	"testing"
)

// TestUnresolvableBaseImagesFail: a FROM imagebot cannot resolve fails
// image-pinned and says why; a plain FROM after very many others (up to the
// 131,072 lines BuildKit reads) is still resolved (the ARG budget counts only ARG values).
func TestUnresolvableBaseImagesFail(t *testing.T) {
	const fix = "Write the image in the FROM line with a tag and digest, or give its ARG (declared before the first FROM) a default that does, such as `ARG BASE=quay.io/jupyter/base-notebook:2024-10-03@sha256:<digest>`."
	const latestFix = "Pin a dated tag and its digest, for example `FROM python:<tag>@sha256:<digest>` (get the digest with `crane digest python:<tag>`)."
	long := "python:" + strings.Repeat("a", 5000)
	tests := []struct {
		name, dockerfile string
		want             Finding
	}{
		{"latest after 130,000 FROMs", strings.Repeat("FROM scratch\n", 130000) + "FROM python:latest\n",
			Finding{Severity: Error, Path: "Dockerfile", Line: 130001, Fix: latestFix,
				Message: "`FROM python:latest` follows `latest`, so each build can start from a different base image."}},
		{"a Dockerfile BuildKit would not read", strings.Repeat("FROM scratch\n", 200000) + "FROM python:latest\n",
			Finding{Severity: Error, Path: "Dockerfile",
				Message: "Dockerfile is not a valid Dockerfile: the Dockerfile has 200001 lines; the limit is 131072",
				Fix:     "Fix the file at the line shown, or regenerate it; the checks that need Dockerfile cannot use what they cannot read."}},
		{"reference over 4,096 characters", "FROM " + long + "\n",
			Finding{Severity: Error, Path: "Dockerfile", Line: 1, Fix: fix,
				Message: "imagebot cannot tell which base image `FROM " + clipTo(long, 120) + "` uses: it is longer than 4096 characters. What cannot be checked is not taken as pinned."}},
		{"ARG without a default", "ARG BASE\nFROM ${BASE}\n",
			Finding{Severity: Error, Path: "Dockerfile", Line: 2, Fix: fix,
				Message: "imagebot cannot tell which base image `FROM ${BASE}` uses: the ARG BASE has no default (it comes from the build command). What cannot be checked is not taken as pinned."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(Files{"Dockerfile": []byte(tt.dockerfile)}).Result(ImagePinned)
			if res.Conclusion != Failure || len(res.Findings) != 1 || res.Findings[0] != tt.want {
				t.Errorf("%s: %+v\nwant %+v", res.Conclusion, res.Findings, tt.want)
			}
		})
	}
}
