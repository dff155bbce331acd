package queue

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/tidwall/gjson"
)

// UniqueUntilFinalized returns unique options under which a job is inserted
// only if no job of the same kind with the same args is unfinished:
// available, pending, scheduled, retryable or running. Once that job has
// completed, been discarded or been cancelled, the same args insert a new
// job. Args are compared whole, or by the fields tagged `river:"unique"` if
// any are.
//
// Running is included because River (v0.51.1) requires available, pending,
// running and scheduled in any ByState it is given; only retryable may be
// left out. A job must therefore read the latest state (a pull request's
// head, say) when it runs, since an insert made while it runs is dropped;
// put what identifies new work (the head SHA) in its unique args.
func UniqueUntilFinalized() river.UniqueOpts {
	return river.UniqueOpts{
		ByArgs: true,
		ByState: []rivertype.JobState{
			rivertype.JobStateAvailable,
			rivertype.JobStatePending,
			rivertype.JobStateRetryable,
			rivertype.JobStateRunning,
			rivertype.JobStateScheduled,
		},
	}
}

// uniqueKey identifies args among the jobs of one InBatch, as River's
// unique key does, so that equal unique jobs are inserted once (River
// refuses a batch holding a unique key twice): the kind, and the args
// whole or, when fields are tagged `river:"unique"`, those fields' JSON. It
// is "" for a job without unique options or unique by period, which is
// never merged with another. unique are the job's options (see uniqueOpts).
func uniqueKey(args river.JobArgs, unique river.UniqueOpts) string {
	if reflect.ValueOf(unique).IsZero() || unique.ByPeriod != 0 || unique.ByQueue || unique.ExcludeKind {
		return ""
	}
	var key strings.Builder
	key.Grow(128)
	key.WriteString(args.Kind())
	key.WriteString("\x00[")
	for i, st := range unique.ByState {
		if i > 0 {
			key.WriteByte(' ')
		}
		key.WriteString(string(st))
	}
	key.WriteByte(']')
	if !unique.ByArgs {
		return key.String()
	}
	encoded, err := json.Marshal(args)
	if err != nil {
		return "" // River fails the insert itself
	}
	paths := uniquePaths(reflect.TypeOf(args))
	if len(paths) == 0 {
		key.WriteByte(0)
		key.Write(encoded)
		return key.String()
	}
	doc := string(encoded)
	for _, path := range paths {
		key.WriteByte(0)
		key.WriteString(gjson.Get(doc, path).Raw)
	}
	return key.String()
}

// uniqueOpts are the unique options River applies to a job: opts' when
// set, else those of args' InsertOpts.
func uniqueOpts(args river.JobArgs, opts *river.InsertOpts) river.UniqueOpts {
	var unique river.UniqueOpts
	if opts != nil {
		unique = opts.UniqueOpts
	}
	if reflect.ValueOf(unique).IsZero() {
		if withOpts, ok := args.(river.JobArgsWithInsertOpts); ok {
			unique = withOpts.InsertOpts().UniqueOpts
		}
	}
	return unique
}

// uniquePathsOf caches uniquePaths by type: a job's args are of one of a
// few types, and reading their tags on every insert costs the intake.
var uniquePathsOf sync.Map // reflect.Type → []string

// uniquePaths are the gjson paths of t's fields tagged `river:"unique"`.
func uniquePaths(t reflect.Type) []string {
	if paths, ok := uniquePathsOf.Load(t); ok {
		return paths.([]string)
	}
	paths := uniqueFields(t)
	for i, name := range paths {
		paths[i] = gjson.Escape(name)
	}
	uniquePathsOf.Store(t, paths)
	return paths
}

// uniqueFields are the JSON names of t's fields tagged `river:"unique"`.
func uniqueFields(t reflect.Type) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for f := range t.Fields() {
		if !slices.Contains(strings.Split(f.Tag.Get("river"), ","), "unique") {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}
