package command

import "testing"

func TestPlan(t *testing.T) {
	for _, tt := range []struct {
		body, association string
		want              Action
	}{
		{"/imagebot recheck", "OWNER", Recheck},
		{"/imagebot recheck", "MEMBER", Recheck},
		{"/imagebot recheck", "COLLABORATOR", Recheck},
		{"  /imagebot   rollout \r\n", "COLLABORATOR", Rollout},
		{"/imagebot help", "MEMBER", Help},
		{"/imagebot", "OWNER", Help},                                 // the prefix alone asks what there is
		{"/imagebot recheck\nthe mirror was down", "OWNER", Recheck}, // only the first line is the command
		{"/imagebot rechek", "OWNER", Unknown},                       // a typo gets 😕 and the list
		{"/imagebot recheck now", "OWNER", Unknown},                  // verbs take no arguments
		{"/imagebot recheck", "CONTRIBUTOR", Refuse},                 // has had a pull request merged, but cannot write
		{"/imagebot recheck", "FIRST_TIME_CONTRIBUTOR", Refuse},
		{"/imagebot help", "NONE", Refuse},     // even help: refused authors get nothing but 😕
		{"/imagebot rollout", "owner", Refuse}, // GitHub spells associations in capitals
		{"/imagebot recheck", "", Refuse},
		{"/imagebotrecheck", "OWNER", Ignore},
		{"/IMAGEBOT recheck", "OWNER", Ignore},
		{"please run /imagebot recheck", "OWNER", Ignore}, // a mention is not a command
		{"LGTM\n/imagebot recheck", "OWNER", Ignore},
		{"", "OWNER", Ignore},
		{"> /imagebot recheck", "NONE", Ignore}, // quoting a command is not giving it
	} {
		if got := Plan(tt.body, tt.association); got != tt.want {
			t.Errorf("Plan(%q, %q) = %q, want %q", tt.body, tt.association, got, tt.want)
		}
	}
}

// FuzzPlan: any comment from anyone gets one of the actions, and only a
// permitted author's comment is ever obeyed.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{"/imagebot recheck", "/imagebot", "  /imagebot   rollout \r\n", "/imagebot\rhelp", "x\n/imagebot help", "\x00/imagebot"} {
		f.Add(s, "OWNER")
		f.Add(s, "NONE")
	}
	f.Fuzz(func(t *testing.T, body, association string) {
		a := Plan(body, association)
		switch a {
		case Ignore, Refuse, Unknown, Recheck, Rollout, Help:
		default:
			t.Fatalf("Plan(%q, %q) = %q", body, association, a)
		}
		if !permitted[association] && a != Ignore && a != Refuse {
			t.Fatalf("Plan(%q, %q) = %q for an author who may not give commands", body, association, a)
		}
	})
}
