package fakegithub

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestHookDeliveriesListNewestFirstByCursor(t *testing.T) {
	w := newWorld(t)
	var guids []string
	for i := range 5 {
		code := http.StatusAccepted
		if i%2 == 1 {
			code = http.StatusServiceUnavailable
		}
		d := w.s.AddHookDelivery(HookDelivery{GUID: string(rune('a' + i)), Event: "pull_request", Action: "opened",
			StatusCode: code, InstallationID: installation, DeliveredAt: fixedClock().Add(time.Duration(i) * time.Minute)})
		if d.ID == 0 {
			t.Fatal("no id assigned")
		}
		guids = append(guids, d.GUID)
	}
	app := w.appClient(t)
	var got []string
	opts := &github.ListCursorOptions{PerPage: 2}
	pages := 0
	for {
		page, resp, err := app.Apps.ListHookDeliveries(w.ctx, opts)
		must(t, err)
		pages++
		for _, d := range page {
			got = append(got, d.GetGUID())
		}
		if resp.Cursor == "" {
			break
		}
		opts.Cursor = resp.Cursor
	}
	slices.Reverse(guids)
	equal(t, "guids", got, guids)
	equal(t, "pages", pages, 3)

	// status=failure keeps the attempts answered 400 and above.
	req, err := app.NewRequest(http.MethodGet, "app/hook/deliveries?status=failure&per_page=100", nil)
	must(t, err)
	var failed []*github.HookDelivery
	_, err = app.Do(w.ctx, req, &failed)
	must(t, err)
	var failedGUIDs []string
	for _, d := range failed {
		failedGUIDs = append(failedGUIDs, d.GetGUID())
		equal(t, "status code of "+d.GetGUID(), d.GetStatusCode(), http.StatusServiceUnavailable)
	}
	equal(t, "failed guids", failedGUIDs, []string{"d", "b"})
}

func TestHookDeliveryRedelivered(t *testing.T) {
	w := newWorld(t)
	d := w.s.AddHookDelivery(HookDelivery{GUID: "g-1", Event: "pull_request", Action: "opened", StatusCode: 0})
	delivered := make(chan HookDelivery, 1)
	w.s.OnRedeliver(func(d HookDelivery) int {
		delivered <- d
		return http.StatusAccepted
	})
	_, resp, err := w.appClient(t).Apps.RedeliverHookDelivery(w.ctx, d.ID)
	var accepted *github.AcceptedError
	if !errors.As(err, &accepted) {
		t.Fatalf("redeliver: %v, want go-github's AcceptedError for a 202", err)
	}
	equal(t, "status", resp.StatusCode, http.StatusAccepted)
	select {
	case got := <-delivered:
		equal(t, "redelivered guid", got.GUID, "g-1")
	case <-time.After(5 * time.Second):
		t.Fatal("the redelivery was not delivered")
	}
	var log []HookDelivery
	for start := time.Now(); time.Since(start) < 5*time.Second; time.Sleep(10 * time.Millisecond) {
		if log = w.s.HookDeliveries(); len(log) == 2 {
			break
		}
	}
	if len(log) != 2 || log[1].GUID != "g-1" || !log[1].Redelivery || log[1].StatusCode != http.StatusAccepted || log[1].Status != "OK" {
		t.Errorf("log after the redelivery: %+v", log)
	}
	// An installation token may not list the App's deliveries.
	_, resp, err = w.c.Apps.ListHookDeliveries(w.ctx, nil)
	if err == nil || statusOf(resp) != http.StatusUnauthorized {
		t.Errorf("listing with an installation token: %v", err)
	}
}
