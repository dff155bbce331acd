package review

import (
	"context"
	"encoding/json"
	"runtime"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/imagebot/imagebot/bot/store"
	"github.com/imagebot/imagebot/bot/store/storetest"
	"github.com/imagebot/imagebot/bot/webhook"
	"github.com/imagebot/imagebot/internal/fixtures"
)

type recordingQueue struct{ jobs []CheckArgs }

func (q *recordingQueue) Insert(_ context.Context, args river.JobArgs, _ *river.InsertOpts) (bool, error) {
	q.jobs = append(q.jobs, args.(CheckArgs))
	return true, nil
}

// example loads a real webhook payload and applies edits to it.
func example(t *testing.T, event, action string, edits func(doc map[string]any)) []byte {
	var doc map[string]any
	if err := json.Unmarshal(fixtures.WebhookExample(t, event, action), &doc); err != nil {
		t.Fatal(err)
	}
	if edits != nil {
		edits(doc)
	}
	out, _ := json.Marshal(doc)
	return out
}

// event is the delivery "d" of payload, read as the receiver reads it.
func event(t *testing.T, name string, payload []byte) webhook.Event {
	t.Helper()
	e, err := webhook.NewEvent(name, "d", payload)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEvents(t *testing.T) {
	prFields := func(doc map[string]any) (pr map[string]any) { return doc["pull_request"].(map[string]any) }
	tests := []struct {
		name    string
		event   string
		action  string
		edit    func(doc map[string]any)
		stored  *store.Pull
		want    []CheckArgs
		wantErr bool
	}{
		{name: "opened", event: "pull_request", action: "opened", want: []CheckArgs{{}}},
		{name: "synchronize", event: "pull_request", action: "synchronize", want: []CheckArgs{{}}},
		{name: "reopened", event: "pull_request", action: "reopened", want: []CheckArgs{{}}},
		{name: "ready for review", event: "pull_request", action: "ready_for_review", want: []CheckArgs{{}}},
		{name: "a draft opened", event: "pull_request", action: "opened",
			edit: func(doc map[string]any) { prFields(doc)["draft"] = true }, want: []CheckArgs{{Draft: true}}},
		{name: "closed starts nothing", event: "pull_request", action: "closed"},
		{name: "edited title starts nothing", event: "pull_request", action: "opened",
			edit: func(doc map[string]any) {
				doc["action"] = "edited"
				doc["changes"] = map[string]any{"title": map[string]any{"from": "old"}}
			}},
		{name: "edited base starts a check", event: "pull_request", action: "opened",
			edit: func(doc map[string]any) {
				doc["action"] = "edited"
				doc["changes"] = map[string]any{"base": map[string]any{"ref": map[string]any{"from": "old"}, "sha": map[string]any{"from": "0000"}}}
			}, want: []CheckArgs{{}}},
		{name: "check suite requested, PR known as a draft", event: "check_suite", action: "requested",
			edit: func(doc map[string]any) {
				suite := doc["check_suite"].(map[string]any)
				suite["pull_requests"] = []any{map[string]any{"number": 7, "id": 1, "url": "https://api.github.com/x",
					"head": map[string]any{"sha": suite["head_sha"], "ref": "bump"}, "base": map[string]any{"sha": "b45e", "ref": "main"}}}
			},
			stored: &store.Pull{Draft: true}, want: []CheckArgs{{Draft: true}}},
		{name: "check suite requested for a head no PR has", event: "check_suite", action: "requested",
			edit: func(doc map[string]any) {
				doc["check_suite"].(map[string]any)["pull_requests"] = []any{map[string]any{"number": 7, "id": 1, "url": "https://api.github.com/x",
					"head": map[string]any{"sha": "0ther", "ref": "bump"}, "base": map[string]any{"sha": "b45e", "ref": "main"}}}
			}},
		{name: "check suite rerequested", event: "check_suite", action: "rerequested", want: []CheckArgs{{}}},
		{name: "check suite completed starts nothing", event: "check_suite", action: "completed"},
		{name: "a pull_request that is not an object starts nothing (the receiver drops it)", event: "pull_request", action: "opened",
			edit: func(doc map[string]any) { doc["pull_request"] = "x" }},
		{name: "garbage check suite", event: "check_suite", action: "requested", edit: func(doc map[string]any) { doc["check_suite"] = "x" }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := storetest.Open(t, store.SQLite)
			payload := example(t, tt.event, tt.action, tt.edit)
			var head struct {
				Repository struct {
					Name  string `json:"name"`
					Owner struct {
						Login string `json:"login"`
					} `json:"owner"`
				} `json:"repository"`
				Installation struct {
					ID int64 `json:"id"`
				} `json:"installation"`
				PullRequest struct {
					Number int `json:"number"`
					Head   struct{ SHA string }
					Base   struct{ SHA string }
				} `json:"pull_request"`
				CheckSuite struct {
					HeadSHA      string `json:"head_sha"`
					PullRequests []struct {
						Number int `json:"number"`
						Head   struct{ SHA string }
						Base   struct{ SHA string }
					} `json:"pull_requests"`
				} `json:"check_suite"`
			}
			json.Unmarshal(payload, &head)
			number, headSHA, baseSHA := head.PullRequest.Number, head.PullRequest.Head.SHA, head.PullRequest.Base.SHA
			if tt.event == "check_suite" && len(head.CheckSuite.PullRequests) > 0 && len(tt.want) > 0 {
				p := head.CheckSuite.PullRequests[0]
				number, headSHA, baseSHA = p.Number, head.CheckSuite.HeadSHA, p.Base.SHA
			}
			full := head.Repository.Owner.Login + "/" + head.Repository.Name
			if tt.stored != nil {
				pull := *tt.stored
				pull.Repo, pull.Number, pull.HeadSHA, pull.UpdatedAt = full, number, headSHA, time.Now()
				if err := st.PutPull(context.Background(), pull); err != nil {
					t.Fatal(err)
				}
			}
			q := &recordingQueue{}
			h := &Events{Queue: q, Pulls: st, Now: time.Now}
			err := h.Handle(context.Background(), event(t, tt.event, payload))
			if (err != nil) != tt.wantErr {
				t.Fatalf("Handle: %v", err)
			}
			for i := range tt.want {
				tt.want[i].InstallationID = head.Installation.ID
				tt.want[i].Owner, tt.want[i].Repo = head.Repository.Owner.Login, head.Repository.Name
				tt.want[i].Number, tt.want[i].HeadSHA, tt.want[i].BaseSHA, tt.want[i].Delivery = number, headSHA, baseSHA, "d"
			}
			if len(q.jobs) != len(tt.want) {
				t.Fatalf("jobs %+v, want %+v", q.jobs, tt.want)
			}
			for i := range q.jobs {
				if q.jobs[i] != tt.want[i] {
					t.Errorf("job %+v, want %+v", q.jobs[i], tt.want[i])
				}
			}
			if tt.event == "pull_request" && len(tt.want) > 0 {
				got, ok, _ := st.Pull(context.Background(), full, number)
				if !ok || got.HeadSHA != headSHA || got.Draft != tt.want[0].Draft {
					t.Errorf("stored pull %+v", got)
				}
			}
		})
	}
}

func TestInstallations(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	h := &Installations{State: st}
	ctx := context.Background()
	for _, step := range []struct{ event, action string }{
		{"installation", "created"},
		{"installation_repositories", "added"},
		{"installation", "deleted"},
	} {
		payload := fixtures.WebhookExample(t, step.event, step.action)
		if err := h.Handle(ctx, webhook.Event{Name: step.event, Action: step.action, Payload: payload}); err != nil {
			t.Fatalf("%s.%s: %v", step.event, step.action, err)
		}
		var p struct {
			Installation struct{ ID int64 } `json:"installation"`
		}
		json.Unmarshal(payload, &p)
		active, known, err := st.InstallationActive(ctx, p.Installation.ID)
		if err != nil || !known || active != (step.action != "deleted") {
			t.Errorf("after %s.%s: active %v known %v err %v", step.event, step.action, active, known, err)
		}
	}
}

// TestHugeLabelsAreNotKept handles a pull_request delivery whose labels
// array makes it 8 MB: what reading and handling it allocate stays a small fraction of the
// payload, since only the fields a check needs are decoded.
func TestHugeLabelsAreNotKept(t *testing.T) {
	label := map[string]any{"id": 208045946, "node_id": "MDU6TGFiZWwyMDgwNDU5NDY=", "name": "bug", "color": "d73a4a", "default": true,
		"url": "https://api.github.com/repos/Codertocat/Hello-World/labels/bug", "description": "Something isn't working"}
	payload := example(t, "pull_request", "opened", func(doc map[string]any) {
		labels := make([]any, 50000)
		for i := range labels {
			labels[i] = label
		}
		doc["pull_request"].(map[string]any)["labels"] = labels
	})
	if len(payload) < 8<<20 {
		t.Fatalf("payload of %d bytes, want at least 8 MB", len(payload))
	}
	q := &recordingQueue{}
	h := &Events{Queue: q, Pulls: storetest.Open(t, store.SQLite), Now: time.Now}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	e := event(t, "pull_request", payload)
	if err := h.Handle(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if len(q.jobs) != 1 {
		t.Fatalf("%d jobs, want 1", len(q.jobs))
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 1<<20 {
		t.Errorf("Handle allocated %d bytes for an %d-byte payload, want under 1 MiB", allocated, len(payload))
	}
}
