package build

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// describePublish renders a Publish compactly: line, via, image, tag, kind, SHA length and
// condition.
func describePublish(p Publish) string {
	s := fmt.Sprintf("%d %s %s :%s %s", p.Line, p.Via, p.Image, p.Tag, p.Kind)
	if p.SHALength > 0 {
		s += fmt.Sprintf(" sha=%d", p.SHALength)
	}
	if p.Condition != "" {
		s += " [" + p.Condition + "]"
	}
	return s
}

func TestWorkflowFixtures(t *testing.T) {
	const pr = "when push (`github.event_name != 'pull_request'`) is true"
	tests := []struct {
		file   string
		name   string
		want   []string
		reason string
	}{
		{"workflows/repo2docker-action.yml", "Build images", []string{
			"15 jupyterhub/repo2docker-action quay.io/2i2c-org/Community-Image :{{sha}} versioned sha=12",
			"22 jupyterhub/repo2docker-action quay.io/2i2c-org/Community-Image :stable branch-like",
			"26 jupyterhub/repo2docker-action org/img :{{sha}} versioned sha=12",
			"34 jupyterhub/repo2docker-action org/img :{{sha}} versioned sha=12 [github.repository == 'org/img'; github.event_name == 'push']",
			"34 jupyterhub/repo2docker-action org/img :latest latest [github.repository == 'org/img'; github.event_name == 'push'; when LATEST_TAG_OFF (`github.ref != 'refs/heads/main'`) is empty]",
			"49 jupyterhub/repo2docker-action ${{ secrets.DOCKER_USERNAME }}/${{ github.event.repository.name }} :{{sha}} versioned sha=12",
			"49 jupyterhub/repo2docker-action ${{ secrets.DOCKER_USERNAME }}/${{ github.event.repository.name }} :latest latest",
		}, "LATEST_TAG_OFF: true and even false turn latest off (the action tests -z); NO_PUSH: true pushes nothing; env: values resolve through two levels"},
		{"workflows/metadata-semver.yml", "ci", []string{
			"26 docker/metadata-action ghcr.io/org/hub-image :{{version}} versioned [on git tag pushes; " + pr + "]",
			"27 docker/metadata-action ghcr.io/org/hub-image :{{major}}.{{minor}} versioned [on git tag pushes; " + pr + "]",
			"24 docker/metadata-action ghcr.io/org/hub-image :{{branch}} branch-like [on branch pushes; " + pr + "]",
			"25 docker/metadata-action ghcr.io/org/hub-image :pr-{{pr}} branch-like [on pull requests; " + pr + "]",
			"28 docker/metadata-action ghcr.io/org/hub-image :sha-{{sha}} versioned sha=7 [" + pr + "]",
			"26 docker/metadata-action ghcr.io/org/hub-image :latest latest [on git tag pushes; " + pr + "]",
		}, "semver outranks ref and sha, so latest=auto adds :latest on tag pushes; the disabled docker.io image and the gha cache publish nothing"},
		{"workflows/metadata-default.yml", "workflows/metadata-default.yml", []string{
			"10 docker/metadata-action ghcr.io/org/image :{{branch}} branch-like [on branch pushes]",
			"10 docker/metadata-action ghcr.io/org/image :pr-{{pr}} branch-like [on pull requests]",
		}, "default tags; the triggers rule out schedules and git tags, so no nightly, {{tag}} or latest"},
		{"workflows/metadata-flavor.yml", "flavors", []string{
			"19 docker/metadata-action quay.io/org/image :py311-{{date 'YYYYMMDD'}} versioned [on scheduled runs]",
			"18 docker/metadata-action quay.io/org/image :sha-{{sha}} versioned sha=40",
			"15 docker/metadata-action quay.io/org/image :latest latest",
			"32 docker/metadata-action quay.io/org/image :latest latest [on pushes to the default branch, on scheduled runs]",
			"33 docker/metadata-action quay.io/org/image :{{sha}} versioned sha=7 [when `github.ref_type == 'branch'`]",
			"47 docker/metadata-action quay.io/org/image :{{version}} versioned [on git tag pushes]",
		}, "type=sha keeps its own sha- prefix over the flavor's; latest=true adds latest everywhere, latest=false nowhere"},
		{"workflows/cache-only.yml", "cache", []string{
			"18 docker/build-push-action ghcr.io/org/image :${{ github.sha }} versioned",
		}, "the cache step's latest is only a cache-from/cache-to ref; push: false publishes nothing"},
		{"workflows/run-push.yml", "shell pushes", []string{
			"17 docker push quay.io/org/image :${GITHUB_SHA::12} versioned [github.ref == 'refs/heads/main']",
			"18 docker push quay.io/org/image :latest latest [github.ref == 'refs/heads/main']",
			"19 docker push quay.io/org/other :latest latest [github.ref == 'refs/heads/main']",
			"25 docker buildx build --push quay.io/org/image :nightly branch-like",
			"35 docker/metadata-action quay.io/org/meta :{{tag}} versioned [on git tag pushes]",
			"35 docker/metadata-action quay.io/org/meta :latest latest [on git tag pushes]",
		}, "docker build alone and push --all-tags publish nothing determinable; a folded run: maps to its first line; a broken script is skipped"},
		{"workflows/bake.yml", "bake", []string{
			"14 docker/metadata-action ghcr.io/org/image :{{match}} versioned",
			"14 docker/metadata-action ghcr.io/org/image :latest latest",
		}, "type=match makes latest=auto add latest; type=edge needs a branch push, which the triggers rule out"},
		{"workflows/anchors.yml", "anchors", []string{
			"8 jupyterhub/repo2docker-action org/anchored :{{sha}} versioned sha=12",
		}, "one anchored step used by three jobs is one publish"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			w, err := ScanWorkflow(tt.file, readFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if w.Name != tt.name {
				t.Errorf("name %q, want %q", w.Name, tt.name)
			}
			var got []string
			for _, p := range w.Publishes {
				got = append(got, describePublish(p))
				if p.Path != tt.file || p.Reason == "" || p.Kind != ClassifyTag(p.Tag, "") {
					t.Errorf("publish %+v: path, reason or kind wrong", p)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("publishes (%s)\n got  %s\n want %s", tt.reason, strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

// TestWorkflowRules covers one rule per row with a small workflow.
func TestWorkflowRules(t *testing.T) {
	job := func(steps string) string {
		return "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" + steps
	}
	tests := []struct {
		name, src string
		want      []string
		reason    string
	}{
		{"latest off as bool", job("      - uses: jupyterhub/repo2docker-action@master\n        with: {IMAGE_NAME: a/b, LATEST_TAG_OFF: true}\n"),
			[]string{"6 jupyterhub/repo2docker-action a/b :{{sha}} versioned sha=12"}, ""},
		{"latest off empty", job("      - uses: jupyterhub/repo2docker-action@master\n        with: {IMAGE_NAME: a/b, LATEST_TAG_OFF: ''}\n"),
			[]string{"6 jupyterhub/repo2docker-action a/b :{{sha}} versioned sha=12", "6 jupyterhub/repo2docker-action a/b :latest latest"}, "an empty value leaves latest on"},
		{"no push expression", job("      - uses: jupyterhub/repo2docker-action@master\n        with: {IMAGE_NAME: a/b, LATEST_TAG_OFF: x, NO_PUSH: '${{ github.event_name == ''pull_request'' }}'}\n"),
			[]string{"6 jupyterhub/repo2docker-action a/b :{{sha}} versioned sha=12 [when NO_PUSH (`github.event_name == 'pull_request'`) is empty or false]"}, ""},
		{"default image lower-cased", job("      - uses: jupyterhub/repo2docker-action@master\n        with:\n          DOCKER_USERNAME: MyUser\n          LATEST_TAG_OFF: 1\n"),
			[]string{"6 jupyterhub/repo2docker-action myuser/${{ github.event.repository.name }} :{{sha}} versioned sha=12"}, ""},
		{"action ref case", job("      - uses: JupyterHub/Repo2Docker-Action@v1\n        with: {IMAGE_NAME: a/b, LATEST_TAG_OFF: y}\n"),
			[]string{"6 jupyterhub/repo2docker-action a/b :{{sha}} versioned sha=12"}, "GitHub matches action names without case"},
		{"build-push literal tags", job("      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ghcr.io/o/i:latest,ghcr.io/o/i:1.0\n"),
			[]string{"9 docker/build-push-action ghcr.io/o/i :latest latest", "9 docker/build-push-action ghcr.io/o/i :1.0 versioned"}, "comma-separated list"},
		{"build-push no tag", job("      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: |\n            ghcr.io/o/i\n"),
			[]string{"10 docker/build-push-action ghcr.io/o/i :latest latest"}, "no tag means latest"},
		{"build-push outputs registry", job("      - uses: docker/build-push-action@v6\n        with:\n          outputs: type=registry\n          tags: ghcr.io/o/i:main\n"),
			[]string{"9 docker/build-push-action ghcr.io/o/i :main branch-like"}, "outputs: type=registry pushes"},
		{"build-push without push", job("      - uses: docker/build-push-action@v6\n        with:\n          tags: ghcr.io/o/i:latest\n"), nil, "push defaults to false"},
		{"metadata without a push", job("      - id: meta\n        uses: docker/metadata-action@v5\n        with:\n          images: o/i\n          tags: type=raw,value=latest\n"), nil, "tags that reach no push are not published"},
		{"metadata tags in build-push through env", job("      - id: meta\n        uses: docker/metadata-action@v5\n        with:\n          images: o/i\n          tags: type=raw,value=latest\n      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: ${{ env.DOCKER_METADATA_OUTPUT_TAGS }}\n"),
			[]string{"10 docker/metadata-action o/i :latest latest"}, "the action exports its tags as DOCKER_METADATA_OUTPUT_TAGS"},
		{"short sha length from env", "on: push\nenv:\n  DOCKER_METADATA_SHORT_SHA_LENGTH: 12\njobs:\n  j:\n    steps:\n      - id: m\n        uses: docker/metadata-action@v5\n        with: {images: o/i, tags: type=sha}\n      - run: docker push ${{ steps.m.outputs.tags }}\n",
			[]string{"9 docker/metadata-action o/i :sha-{{sha}} versioned sha=12"}, ""},
		{"priority changes latest", job("      - id: m\n        uses: docker/metadata-action@v5\n        with:\n          images: o/i\n          tags: |\n            type=raw,value=stable,priority=1000\n            type=semver,pattern={{version}}\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: '${{ steps.m.outputs.tags }}'}\n"),
			[]string{"11 docker/metadata-action o/i :stable branch-like", "12 docker/metadata-action o/i :{{version}} versioned [on git tag pushes]"}, "a raw entry of higher priority comes first, so latest=auto adds nothing"},
		{"repo2docker cli push", job("      - env:\n          IMG: quay.io/o/i:v1\n        run: jupyter-repo2docker --push --image-name \"$IMG\" .\n"),
			[]string{"8 repo2docker --push quay.io/o/i :v1 versioned"}, ""},
		{"repo2docker cli without push", job("      - run: repo2docker --no-run --image-name quay.io/o/i:latest .\n"), nil, "builds only"},
		{"docker push via variable", job("      - env: {REF: 'ghcr.io/o/i:${{ github.sha }}'}\n        run: docker push $REF\n"),
			[]string{"7 docker push ghcr.io/o/i :${{ github.sha }} versioned"}, ""},
		{"unknown variable", job("      - run: docker push ghcr.io/o/i:$VERSION\n"),
			[]string{"6 docker push ghcr.io/o/i :$VERSION unknown"}, "defined elsewhere"},
		{"reusable workflow job", "on: push\njobs:\n  call:\n    uses: org/repo/.github/workflows/build.yml@main\n", nil, "its steps are in another file"},
		{"on as list", "on: [pull_request]\njobs:\n  j:\n    steps:\n      - id: m\n        uses: docker/metadata-action@v5\n        with: {images: o/i}\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: '${{ steps.m.outputs.tags }}'}\n",
			[]string{"6 docker/metadata-action o/i :pr-{{pr}} branch-like"}, "only pull requests trigger it, which is every run"},
		{"tags only trigger", "on:\n  push:\n    tags: ['*']\njobs:\n  j:\n    steps:\n      - id: m\n        uses: docker/metadata-action@v5\n        with: {images: o/i}\n      - uses: docker/build-push-action@v6\n        with: {push: true, tags: '${{ steps.m.outputs.tags }}'}\n",
			[]string{"8 docker/metadata-action o/i :{{tag}} versioned", "8 docker/metadata-action o/i :latest latest"}, "default tags on a tag push: {{tag}} and latest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := ScanWorkflow(".github/workflows/build.yml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range w.Publishes {
				got = append(got, describePublish(p))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("(%s)\n got  %q\n want %q", tt.reason, got, tt.want)
			}
		})
	}
}

func TestWorkflowErrors(t *testing.T) {
	tests := []struct {
		name, src string
		line      int
		msg       string
	}{
		{"not YAML", "name: x\njobs: [\n", 2, "not valid YAML: did not find expected node content"},
		{"tab indentation", "jobs:\n\tbuild: {}\n", 2, "not valid YAML: found character that cannot start any token"},
		{"a list", "- a\n- b\n", 1, "a workflow is a mapping with name:, on: and jobs:"},
		{"empty", "", 1, "a workflow is a mapping with name:, on: and jobs:"},
		{"no jobs", "name: x\non: push\n", 1, "a workflow needs a jobs: mapping"},
		{"jobs a list", "on: push\njobs:\n  - a\n", 2, "a workflow needs a jobs: mapping"},
		{"job a string", "on: push\njobs:\n  build: yes\n", 3, `job "build" is not a mapping`},
		{"steps a mapping", "on: push\njobs:\n  build:\n    steps:\n      run: x\n", 4, `steps of job "build" are not a list`},
		{"step a string", "on: push\njobs:\n  build:\n    steps:\n      - run echo\n", 5, `a step of job "build" is not a mapping`},
		{"NUL", "name: x\x00\n", 1, "binary data: the file contains a NUL byte"},
		{"run: too deeply nested", "on: push\njobs:\n  b:\n    steps:\n      - run: |\n          echo ok\n          " + strings.Repeat("( ", 10000) + "docker push a:1" + strings.Repeat(")", 10000) + "\n", 7, "run: " + tooNestedMessage},
		{"bash -c too deeply nested", "on: push\njobs:\n  b:\n    steps:\n      - run: echo ok\n      - run: bash -c '" + strings.Repeat("( ", 10000) + "docker push a:1" + strings.Repeat(")", 10000) + "'\n", 6, "run: " + tooNestedMessage},
	}
	for _, tt := range tests {
		_, err := ScanWorkflow("w.yml", []byte(tt.src))
		pe, ok := err.(*ParseError)
		if !ok {
			t.Errorf("%s: error %v, want a *ParseError", tt.name, err)
			continue
		}
		if pe.Line != tt.line || pe.Msg != tt.msg {
			t.Errorf("%s: got %q at line %d, want %q at line %d", tt.name, pe.Msg, pe.Line, tt.msg, tt.line)
		}
	}
}
