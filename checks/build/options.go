package build

import "strings"

// optionTable maps every spelling of a value-taking option ("-n", "--name") to a canonical
// key ("name"). Options not in the table take no value, except --long=value spellings,
// which carry their own.
type optionTable map[string]string

// options is a command's arguments sorted into options and operands.
type options struct {
	operands []word
	values   map[string][]word // by canonical key, in order
	switches map[string]bool   // options without a value, as spelled: "--no-deps", "-y"
	rest     []word            // with stopAtOperand: the first operand and all after it
}

func (o options) value(key string) string {
	if v := o.values[key]; len(v) > 0 {
		return v[0].val
	}
	return ""
}

func (o options) has(spellings ...string) bool {
	for _, s := range spellings {
		if o.switches[s] {
			return true
		}
	}
	return false
}

// parseOptions sorts args the way getopt_long and argparse do: "--" ends options, short
// options cluster (-yc conda-forge), a value may be attached (-rfile, --file=x) or the next
// word. With stopAtOperand, the first operand and everything after it go to rest unparsed,
// for commands that run another command (sudo, conda run, env).
func parseOptions(args []word, table optionTable, stopAtOperand bool) options {
	o := options{values: map[string][]word{}, switches: map[string]bool{}}
	add := func(key string, w word) { o.values[key] = append(o.values[key], w) }
	for i := 0; i < len(args); i++ {
		a := args[i]
		v := a.val
		switch {
		case v == "--":
			if stopAtOperand {
				o.rest = args[i+1:]
			} else {
				o.operands = append(o.operands, args[i+1:]...)
			}
			return o
		case strings.HasPrefix(v, "--"):
			name, value, attached := strings.Cut(v, "=")
			key, valued := table[name]
			switch {
			case valued && attached:
				add(key, word{val: value, raw: a.raw, line: a.line, pos: a.pos})
			case valued && i+1 < len(args):
				i++
				add(key, args[i])
			case !valued:
				o.switches[name] = true
			}
		case len(v) > 1 && v[0] == '-':
			for j := 1; j < len(v); j++ {
				spelling := "-" + v[j:j+1]
				key, valued := table[spelling]
				if !valued {
					o.switches[spelling] = true
					continue
				}
				if j+1 < len(v) {
					add(key, word{val: strings.TrimPrefix(v[j+1:], "="), raw: a.raw, line: a.line, pos: a.pos})
				} else if i+1 < len(args) {
					i++
					add(key, args[i])
				}
				break
			}
		default:
			if stopAtOperand {
				o.rest = args[i:]
				return o
			}
			o.operands = append(o.operands, a)
		}
	}
	return o
}

// table builds an optionTable from groups of spellings that share a key: the first
// spelling without its dashes names the key.
func table(groups ...[]string) optionTable {
	t := optionTable{}
	for _, g := range groups {
		key := strings.TrimLeft(g[0], "-")
		for _, s := range g {
			t[s] = key
		}
	}
	return t
}

// merge returns a table with the entries of all given tables.
func merge(tables ...optionTable) optionTable {
	t := optionTable{}
	for _, x := range tables {
		for k, v := range x {
			t[k] = v
		}
	}
	return t
}
