package deploy

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// stage is one stage of the Dockerfile: its FROM and its instructions,
// as the image test reads them.
type stage struct {
	from         string            // the FROM line's image, ARGs expanded
	name         string            // its AS name
	args         map[string]string // ARG defaults declared in the stage
	labels       map[string]string // LABEL values, ARGs expanded
	runs         []string          // RUN commands, continuation lines joined
	copies       []string          // COPY instructions' arguments
	user         string
	workdir      string
	entrypoint   []string // exec form only
	cmd          []string // exec form only
	exposedPorts []string
}

// dockerfile is the repository's Dockerfile, parsed.
type dockerfile struct {
	globalArgs map[string]string // ARGs before the first FROM
	stages     []*stage
}

var (
	instructionLine = regexp.MustCompile(`^([A-Za-z]+)\s+(.*)$`)
	labelPair       = regexp.MustCompile(`([A-Za-z0-9_.-]+)="([^"]*)"`)
	argReference    = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)
)

// readDockerfile reads the instructions the image test relies on, with
// buildArgs overriding ARG defaults as `docker build --build-arg` does. It
// knows comments, line continuations, ARG, FROM … AS, LABEL k="v" pairs,
// RUN, COPY, USER, EXPOSE and exec-form ENTRYPOINT and CMD; anything else
// fails the test, so that the Dockerfile cannot drift from what is checked.
func readDockerfile(t *testing.T, path string, buildArgs map[string]string) *dockerfile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	df := &dockerfile{globalArgs: map[string]string{}}
	var logical []string
	var current strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") || (trimmed == "" && current.Len() == 0) {
			continue
		}
		if body, ok := strings.CutSuffix(trimmed, `\`); ok {
			current.WriteString(strings.TrimSpace(body) + " ")
			continue
		}
		current.WriteString(trimmed)
		logical = append(logical, current.String())
		current.Reset()
	}
	var st *stage
	expand := func(s string) string {
		return argReference.ReplaceAllStringFunc(s, func(ref string) string {
			name := argReference.FindStringSubmatch(ref)[1]
			if st != nil {
				if v, ok := st.args[name]; ok {
					return v
				}
			}
			return df.globalArgs[name]
		})
	}
	for _, line := range logical {
		m := instructionLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("Dockerfile: cannot read %q", line)
		}
		keyword, rest := strings.ToUpper(m[1]), m[2]
		if st == nil && keyword != "ARG" && keyword != "FROM" {
			t.Fatalf("Dockerfile: %s before the first FROM", keyword)
		}
		switch keyword {
		case "ARG":
			name, def, _ := strings.Cut(rest, "=")
			if v, ok := buildArgs[name]; ok {
				def = v
			}
			if st == nil {
				df.globalArgs[name] = def
			} else {
				st.args[name] = def
			}
		case "FROM":
			image, name, _ := strings.Cut(rest, " AS ")
			st = &stage{from: expand(image), name: name, args: map[string]string{}, labels: map[string]string{}}
			df.stages = append(df.stages, st)
		case "LABEL":
			for _, pair := range labelPair.FindAllStringSubmatch(rest, -1) {
				st.labels[pair[1]] = expand(pair[2])
			}
		case "RUN":
			st.runs = append(st.runs, rest)
		case "COPY":
			st.copies = append(st.copies, rest)
		case "USER":
			st.user = rest
		case "EXPOSE":
			st.exposedPorts = append(st.exposedPorts, strings.Fields(rest)...)
		case "ENTRYPOINT", "CMD":
			var exec []string
			if err := json.Unmarshal([]byte(rest), &exec); err != nil {
				t.Fatalf("Dockerfile: %s is not in exec form: %s", keyword, rest)
			}
			if keyword == "CMD" {
				st.cmd = exec
			} else {
				st.entrypoint = exec
			}
		case "WORKDIR":
			st.workdir = rest
		default:
			t.Fatalf("Dockerfile: the image test does not know %s; teach readDockerfile what it means for the image", keyword)
		}
	}
	return df
}

func (df *dockerfile) runtime() *stage { return df.stages[len(df.stages)-1] }

func (df *dockerfile) stage(name string) *stage {
	for _, s := range df.stages {
		if s.name == name {
			return s
		}
	}
	return nil
}
