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
// never merged with another.
func uniqueKey(args river.JobArgs, opts *river.InsertOpts) string {
	var unique river.UniqueOpts
	if opts != nil {
		unique = opts.UniqueOpts
	}
	if reflect.ValueOf(unique).IsZero() {
		if withOpts, ok := args.(river.JobArgsWithInsertOpts); ok {
			unique = withOpts.InsertOpts().UniqueOpts
		}
	}
	if reflect.ValueOf(unique).IsZero() || unique.ByPeriod != 0 || unique.ByQueue || unique.ExcludeKind {
		return ""
	}
	key := args.Kind() + "\x00" + states(unique.ByState)
	if !unique.ByArgs {
		return key
	}
	encoded, err := json.Marshal(args)
	if err != nil {
		return "" // River fails the insert itself
	}
	tagged := cachedUniqueFields(reflect.TypeOf(args))
	if len(tagged) == 0 {
		return key + "\x00" + string(encoded)
	}
	for _, name := range tagged {
		key += "\x00" + gjson.GetBytes(encoded, gjson.Escape(name)).Raw
	}
	return key
}

// uniqueFieldsOf caches uniqueFields by type: a job's args are of one of
// a few types, and reading their tags on every insert costs the intake.
var uniqueFieldsOf sync.Map // reflect.Type → []string

func cachedUniqueFields(t reflect.Type) []string {
	if names, ok := uniqueFieldsOf.Load(t); ok {
		return names.([]string)
	}
	names := uniqueFields(t)
	uniqueFieldsOf.Store(t, names)
	return names
}

// states spells job states, in order, as "[available pending]".
func states(s []rivertype.JobState) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, st := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(string(st))
	}
	b.WriteByte(']')
	return b.String()
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
