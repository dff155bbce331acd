package build

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

// This file finds the steps that push images: jupyterhub/repo2docker-action,
// docker/build-push-action, docker/bake-action, and docker, podman, buildah and
// repo2docker commands in run: scripts.

// input returns a with: input (input names are case-insensitive) and its line.
func (st step) input(name string) (string, int) {
	k, v := entry(st.with, name, true)
	s, ok := scalar(v)
	if !ok {
		return "", 0
	}
	line := k.Line
	if v.Line > 0 {
		line = v.Line
	}
	return strings.TrimSpace(s), line
}

// repo2dockerAction reads jupyterhub/repo2docker-action, following its create_docker_image.sh:
// the image is [DOCKER_REGISTRY/]IMAGE_NAME (by default DOCKER_USERNAME, or the actor, / the
// repository name, lower-cased); it always pushes the first 12 characters of the commit SHA,
// :latest unless LATEST_TAG_OFF has any value (even "false"), and ADDITIONAL_TAG when set;
// NO_PUSH with any value but "false" pushes nothing.
func (j *jobScan) repo2dockerAction(st step) {
	noPush, _ := st.input("NO_PUSH")
	condition := st.condition
	switch {
	case strings.Contains(noPush, "${{"):
		condition = joinConditions(condition, "when NO_PUSH (`"+expressionOf(noPush)+"`) is empty or false")
	case noPush != "" && noPush != "false":
		return
	}
	image, _ := st.input("IMAGE_NAME")
	image = resolveEnv(image, st.env)
	if image == "" {
		user, _ := st.input("DOCKER_USERNAME")
		if user == "" {
			user = "${{ github.actor }}"
		}
		image = lowerOutsideExpressions(user + "/${{ github.event.repository.name }}")
	}
	if registry, _ := st.input("DOCKER_REGISTRY"); resolveEnv(registry, st.env) != "" {
		image = resolveEnv(registry, st.env) + "/" + image
	}
	const via = "jupyterhub/repo2docker-action"
	j.publish(Publish{Line: st.usesLine, Via: via, Image: image, Tag: "{{sha}}", SHALength: 12, Condition: condition,
		Reason: "jupyterhub/repo2docker-action always pushes the first 12 characters of the commit SHA as a tag"})
	switch off, _ := st.input("LATEST_TAG_OFF"); {
	case off == "":
		j.publish(Publish{Line: st.usesLine, Via: via, Image: image, Tag: "latest", Condition: condition,
			Reason: "jupyterhub/repo2docker-action pushes :latest unless LATEST_TAG_OFF is set"})
	case strings.Contains(off, "${{"):
		j.publish(Publish{Line: st.usesLine, Via: via, Image: image, Tag: "latest",
			Condition: joinConditions(condition, "when LATEST_TAG_OFF (`"+expressionOf(off)+"`) is empty"),
			Reason:    "jupyterhub/repo2docker-action pushes :latest unless LATEST_TAG_OFF is set"})
	}
	if tag, line := st.input("ADDITIONAL_TAG"); tag != "" {
		j.publish(Publish{Line: line, Via: via, Image: image, Tag: resolveEnv(tag, st.env), Condition: condition,
			Reason: "jupyterhub/repo2docker-action pushes ADDITIONAL_TAG as well"})
	}
}

// pushes reports whether a push: input (and outputs:) make a build push, and the
// expression it depends on.
func (st step) pushes() (bool, string) {
	push, _ := st.input("push")
	if yes, maybe := isTrue(push); yes || maybe {
		if maybe {
			return true, "when push (`" + expressionOf(push) + "`) is true"
		}
		return true, ""
	}
	outputs, _ := st.input("outputs")
	return strings.Contains(outputs, "type=registry") || strings.Contains(outputs, "push=true"), ""
}

// buildPushAction reads docker/build-push-action: with push: true (or outputs: to a
// registry) it pushes every tags: entry. cache-from and cache-to only name caches.
func (j *jobScan) buildPushAction(st step) {
	push, cond := st.pushes()
	if !push {
		return
	}
	cond = joinConditions(st.condition, cond)
	for _, it := range j.listItems(get(st.with, "tags"), true) {
		j.pushRef(resolveEnv(it.text, st.env), it.line, "docker/build-push-action", "docker/build-push-action", cond)
	}
}

// bakeAction reads docker/bake-action: with push: true it pushes the tags of the metadata
// steps whose bake files it is given.
func (j *jobScan) bakeAction(st step) {
	push, cond := st.pushes()
	if !push {
		return
	}
	cond = joinConditions(st.condition, cond)
	for _, it := range j.listItems(get(st.with, "files"), true) {
		if m := stepOutput.FindStringSubmatch(it.text); m != nil && strings.HasPrefix(m[2], "bake-file") {
			if meta := j.metadata[m[1]]; meta != nil {
				j.publishMetadata(meta, "docker/bake-action", cond)
			}
		}
	}
}

// pushRef records the push of one reference: the tags of a metadata step when it names the
// step's outputs, otherwise the image and tag it spells (no tag means latest).
func (j *jobScan) pushRef(ref string, line int, via, pusher, cond string) {
	if m := stepOutput.FindStringSubmatch(ref); m != nil {
		if meta := j.metadata[m[1]]; meta != nil && m[2] == "tags" {
			j.publishMetadata(meta, pusher, cond)
		}
		return
	}
	if strings.Contains(ref, "DOCKER_METADATA_OUTPUT_TAGS") {
		if j.last != nil {
			j.publishMetadata(j.last, pusher, cond)
		}
		return
	}
	image, tag := splitImageTag(ref)
	reason := fmt.Sprintf("%s pushes %s", pusher, ref)
	if tag == "" {
		tag = "latest"
		reason = fmt.Sprintf("%s pushes %s without a tag, which is :latest", pusher, ref)
	}
	j.publish(Publish{Line: line, Via: via, Image: image, Tag: tag, Reason: reason, Condition: cond})
}

// publishMetadata records every image and tag of a metadata step that a push uses.
func (j *jobScan) publishMetadata(m *metadataStep, pusher, cond string) {
	key := fmt.Sprintf("%p\x00%s\x00%s", m, pusher, cond)
	if j.pushed[key] {
		return
	}
	if j.pushed == nil {
		j.pushed = map[string]bool{}
	}
	j.pushed[key] = true
	images := m.images
	if len(images) == 0 {
		images = []string{""}
	}
	for _, image := range images {
		for _, t := range m.tags {
			if j.work < 0 {
				return
			}
			j.publish(Publish{
				Line: t.line, Via: "docker/metadata-action", Image: image, Tag: t.tag,
				Reason:    t.reason + ", pushed by " + pusher,
				Condition: joinConditions(t.condition, cond), SHALength: t.shaLength,
			})
		}
	}
}

var (
	dockerGlobalOptions = table([]string{"--config"}, []string{"--context", "-c"}, []string{"--host", "-H"},
		[]string{"--log-level", "-l"}, []string{"--tlscacert"}, []string{"--tlscert"}, []string{"--tlskey"})
	dockerBuildOptions = table([]string{"--tag", "-t"}, []string{"--file", "-f"}, []string{"--output", "-o"},
		[]string{"--build-arg"}, []string{"--cache-from"}, []string{"--cache-to"}, []string{"--label"},
		[]string{"--platform"}, []string{"--target"}, []string{"--secret"}, []string{"--ssh"},
		[]string{"--builder"}, []string{"--progress"}, []string{"--network"}, []string{"--iidfile"},
		[]string{"--metadata-file"}, []string{"--annotation"}, []string{"--build-context"},
		[]string{"--attest"}, []string{"--sbom"}, []string{"--provenance"}, []string{"--shm-size"},
		[]string{"--ulimit"}, []string{"--add-host"}, []string{"--allow"}, []string{"--call"},
		[]string{"--cgroup-parent"}, []string{"--memory", "-m"}, []string{"--cpu-shares"})
	dockerPushOptions  = table([]string{"--platform"})
	repo2dockerOptions = table([]string{"--image-name"}, []string{"--ref"}, []string{"--user-id"},
		[]string{"--user-name"}, []string{"--target-repo-dir"}, []string{"--appendix"}, []string{"--subdir"},
		[]string{"--build-memory-limit"}, []string{"--cache-from"}, []string{"--label"},
		[]string{"--build-arg"}, []string{"--publish", "-p"}, []string{"--volume", "-v"},
		[]string{"--env", "-e"}, []string{"--config"}, []string{"--engine"}, []string{"--editable", "-E"})
)

// runScript reads the pushes of a run: script. A script that is not valid shell
// contributes the pushes before its error; one too large or too deeply nested to check
// fails the scan.
func (j *jobScan) runScript(st step, node *yaml.Node) {
	src, ok := scalar(node)
	if !ok || !j.spend(len(src)) {
		return
	}
	lines := mapScalar(j.src, node)
	w := &walker{visit: func(inv invocation) { j.runCommand(st, inv, lines.at(inv.pos)) }, expressions: true}
	if se, ok := w.script(src, 1, 0, -1).(*shellError); ok && se.limit && j.refused == nil {
		j.refused = &ParseError{Path: j.path, Line: lines.at(se.pos), Msg: "run: " + se.msg}
	}
}

// runCommand reads one command of a run: script.
func (j *jobScan) runCommand(st step, inv invocation, line int) {
	argv := make([]word, len(inv.argv))
	for i, a := range inv.argv {
		a.val = resolveEnv(resolveShell(a.val, st.env), st.env)
		argv[i] = a
	}
	if len(argv) == 0 {
		return
	}
	switch programName(argv[0].val) {
	case "docker", "podman", "nerdctl", "buildah":
		rest := parseOptions(argv[1:], dockerGlobalOptions, true).rest
		if len(rest) > 0 && (rest[0].val == "image" || rest[0].val == "buildx" || rest[0].val == "builder") {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return
		}
		switch rest[0].val {
		case "push":
			o := parseOptions(rest[1:], dockerPushOptions, false)
			if len(o.operands) > 0 && !o.has("-a", "--all-tags") {
				ref := o.operands[0].val
				if len(o.operands) > 1 {
					ref = o.operands[1].val // buildah push image destination
				}
				j.pushRef(strings.TrimPrefix(ref, "docker://"), line, "docker push", "`docker push` in a run: script", st.condition)
			}
		case "build", "bud":
			o := parseOptions(rest[1:], dockerBuildOptions, false)
			output := strings.Join(values(o.values["output"]), ",")
			if o.has("--push") || strings.Contains(output, "type=registry") || strings.Contains(output, "push=true") {
				for _, t := range o.values["tag"] {
					j.pushRef(t.val, line, "docker buildx build --push", "`docker buildx build --push` in a run: script", st.condition)
				}
			}
		}
	case "jupyter-repo2docker", "repo2docker":
		o := parseOptions(argv[1:], repo2dockerOptions, false)
		cond := st.condition
		push := o.has("--push")
		for _, op := range o.operands {
			if strings.Contains(op.val, "${{") && strings.Contains(op.val, "'--push'") {
				push = true
				cond = joinConditions(cond, "when `"+expressionOf(op.val)+"` gives --push")
			}
		}
		if image := o.value("image-name"); push && image != "" {
			j.pushRef(image, line, "repo2docker --push", "`jupyter-repo2docker --push` in a run: script", cond)
		}
	}
}

// resolveShell substitutes $NAME and ${NAME} with values from env, keeping variables env
// does not define. A text that would grow by more than maxResolved bytes is returned as
// written.
func resolveShell(s string, e env) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		name, end := "", i+1
		switch {
		case s[i+1] == '{':
			if c := strings.IndexByte(s[i+2:], '}'); c >= 0 {
				name, end = s[i+2:i+2+c], i+3+c
			}
		case isNameStart(s[i+1]):
			end = i + 1
			for end < len(s) && isNameByte(s[end]) {
				end++
			}
			name = s[i+1 : end]
		}
		v, ok := e.lookup(name)
		if name == "" || !ok {
			b.WriteByte(s[i])
			continue
		}
		if b.Len()+len(v) > len(s)+maxResolved {
			return s
		}
		b.WriteString(v)
		i = end - 1
	}
	return b.String()
}
