package build

import "testing"

func TestClassifyTag(t *testing.T) {
	const digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
	tests := []struct {
		tag, digest string
		want        TagKind
		reason      string
	}{
		{"latest", "", Latest, ""},
		{"LATEST", "", Latest, "tags compare without case here: Latest is as mutable as latest"},
		{"", "", NoTag, "no tag means :latest"},
		{"", digest, Digest, ""},
		{"latest", digest, Digest, "a digest pins the image whatever the tag says"},
		{"main", "", BranchLike, ""},
		{"master", "", BranchLike, ""},
		{"dev", "", BranchLike, ""},
		{"develop", "", BranchLike, ""},
		{"nightly", "", BranchLike, "metadata-action's type=schedule default"},
		{"stable", "", BranchLike, ""},
		{"edge", "", BranchLike, "metadata-action's type=edge"},
		{"beta", "", BranchLike, ""},
		{"main-py311", "", BranchLike, "starts with a branch name"},
		{"pr-12", "", BranchLike, "a pull request's tag moves with each push to it"},
		{"latest-gpu", "", BranchLike, "a variant of latest"},
		{"python-latest", "", BranchLike, "a variant of latest"},
		{"python-3.11", "", BranchLike, "docker-stacks rebuilds python-3.11 with every image build"},
		{"ubuntu-22.04", "", BranchLike, "docker-stacks rebuilds OS tags in place"},
		{"lab-4.0.7", "", BranchLike, "docker-stacks component tag"},
		{"r-4.3.1", "", BranchLike, "docker-stacks component tag"},
		{"py311", "", BranchLike, "component and version without a separator"},
		{"cuda12.1.0-runtime-ubuntu22.04", "", BranchLike, "NVIDIA rebuilds CUDA tags in place"},
		{"gpu", "", BranchLike, "a bare word names no build"},
		{"deadbeef", "", BranchLike, "hexadecimal letters without digits read as a word, not a SHA"},
		{"2024-10-03", "", Versioned, "docker-stacks date tag"},
		{"2024.10.03", "", Versioned, ""},
		{"20241003", "", Versioned, ""},
		{"2024_10_03", "", Versioned, ""},
		{"python-3.11-2024-10-03", "", Versioned, "a date makes a component tag one build"},
		{"nightly-20241003", "", Versioned, "a dated nightly"},
		{"jammy-20240911", "", Versioned, "the date wins over the OS codename"},
		{"1a2b3c4d5e6f", "", Versioned, "12 characters of a commit SHA, repo2docker-action's tag"},
		{"f2370ca", "", Versioned, "7-character short SHA"},
		{"sha-1a2b3c4", "", Versioned, "metadata-action type=sha"},
		{"v1.2.3", "", Versioned, ""},
		{"1.2", "", Versioned, "a version number, though publishers may move it to 1.2.x"},
		{"4.0.7", "", Versioned, ""},
		{"3.11-slim", "", Versioned, "leads with a version"},
		{"1.2.3-rc1", "", Versioned, ""},
		{"2024-13-45", "", Versioned, "not a calendar date, still a number"},
		{"12345678", "", Versioned, "digits only: a build number"},
		{"build42", "", Versioned, "carries a number"},
		{"{{sha}}", "", Versioned, "metadata-action short SHA"},
		{"sha-{{sha}}", "", Versioned, ""},
		{"{{date 'YYYYMMDD'}}", "", Versioned, ""},
		{"{{version}}", "", Versioned, "semver from the git tag"},
		{"{{major}}.{{minor}}", "", Versioned, ""},
		{"{{tag}}", "", Versioned, "the git tag itself"},
		{"{{branch}}", "", BranchLike, ""},
		{"pr-{{pr}}", "", BranchLike, ""},
		{"${{ github.sha }}", "", Versioned, ""},
		{"${GITHUB_SHA::12}", "", Versioned, ""},
		{"$(git rev-parse --short HEAD)", "", Versioned, ""},
		{"${{ github.ref_name }}", "", BranchLike, "the branch on branch pushes"},
		{"${{ inputs.tag }}", "", Unknown, "an input the file does not show"},
		{"$TAG", "", Unknown, ""},
	}
	for _, tt := range tests {
		kind, why := ExplainTag(tt.tag, tt.digest)
		if kind != tt.want {
			t.Errorf("ClassifyTag(%q, %q) = %s, want %s (%s)", tt.tag, tt.digest, kind, tt.want, tt.reason)
		}
		if why == "" {
			t.Errorf("ExplainTag(%q, %q) gives no reason", tt.tag, tt.digest)
		}
		if got := ClassifyTag(tt.tag, tt.digest); got != kind {
			t.Errorf("ClassifyTag(%q) = %s, ExplainTag says %s", tt.tag, got, kind)
		}
	}
}
