package fakegithub

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// HookDelivery is one attempt to deliver a webhook of the App, as GitHub lists it under
// /app/hook/deliveries.
type HookDelivery struct {
	// ID is the attempt's numeric id, which a redelivery request names; the server assigns it.
	ID int64
	// GUID is the delivery's X-GitHub-Delivery value, shared by its redeliveries.
	GUID           string
	Event          string
	Action         string // "" for events without one
	StatusCode     int    // what the App answered; 0 when it could not be reached
	Status         string // GitHub's description of the outcome; default from StatusCode
	DeliveredAt    time.Time
	Redelivery     bool
	InstallationID int64
	RepositoryID   int64
	Duration       float64 // seconds
}

// hookDeliveries is the App's delivery log and what a redelivery does.
type hookDeliveries struct {
	log       []HookDelivery // oldest first
	redeliver func(HookDelivery) int
}

// AddHookDelivery appends an attempt to the App's delivery log, assigning its ID (and its
// DeliveredAt, when zero, from the server's clock), and returns it.
func (s *Server) AddHookDelivery(d HookDelivery) HookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addHookDelivery(d)
}

func (s *Server) addHookDelivery(d HookDelivery) HookDelivery {
	d.ID = s.newID()
	if d.DeliveredAt.IsZero() {
		d.DeliveredAt = s.now()
	}
	if d.Status == "" {
		d.Status = deliveryStatus(d.StatusCode)
	}
	s.hooks.log = append(s.hooks.log, d)
	return d
}

// deliveryStatus is GitHub's wording for an attempt's outcome.
func deliveryStatus(code int) string {
	switch {
	case code == 0:
		return "failed to connect to host"
	case code < 400:
		return "OK"
	}
	return "Invalid HTTP Response: " + strconv.Itoa(code)
}

// HookDeliveries returns the App's delivery log, oldest first.
func (s *Server) HookDeliveries() []HookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.hooks.log)
}

// OnRedeliver sets what a redelivery does: deliver is called, outside the request, with
// the attempt asked to be redelivered, delivers it (a test posts the webhook to the App)
// and returns the status the App answered, which the log's new attempt records. Without
// it a redelivery is logged as answered 200.
func (s *Server) OnRedeliver(deliver func(HookDelivery) int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.redeliver = deliver
}

func (d HookDelivery) json() object {
	var action, installation, repository any
	if d.Action != "" {
		action = d.Action
	}
	if d.InstallationID != 0 {
		installation = d.InstallationID
	}
	if d.RepositoryID != 0 {
		repository = d.RepositoryID
	}
	return object{
		"id": d.ID, "guid": d.GUID, "delivered_at": ts(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration, "status": d.Status, "status_code": d.StatusCode, "event": d.Event,
		"action": action, "installation_id": installation, "repository_id": repository, "throttled_at": nil,
	}
}

// listHookDeliveries lists the App's delivery attempts, newest first (by DeliveredAt), a page at a time
// with cursor pagination: the Link header's next link carries the cursor of the page
// after. status=success keeps the attempts answered below 400, status=failure the others.
func listHookDeliveries(s *Server, req *request) reply {
	perPage := min(max(intQuery(req, "per_page", defaultPerPage), 1), maxPerPage)
	var items []HookDelivery
	for _, d := range s.hooks.log {
		failed := d.StatusCode == 0 || d.StatusCode >= 400
		switch req.query.Get("status") {
		case "success":
			if failed {
				continue
			}
		case "failure":
			if !failed {
				continue
			}
		}
		items = append(items, d)
	}
	slices.SortStableFunc(items, func(a, b HookDelivery) int {
		if c := b.DeliveredAt.Compare(a.DeliveredAt); c != 0 {
			return c
		}
		return cmp.Compare(b.ID, a.ID)
	})
	start := 0
	if cursor := req.query.Get("cursor"); cursor != "" {
		start = slices.IndexFunc(items, func(d HookDelivery) bool { return strconv.FormatInt(d.ID, 10) == cursor })
		if start < 0 {
			return errorReply(http.StatusBadRequest, "Bad request: unknown cursor")
		}
	}
	end := min(start+perPage, len(items))
	out := make([]object, 0, end-start)
	for _, d := range items[start:end] {
		out = append(out, d.json())
	}
	if end == len(items) {
		return ok(out)
	}
	q := req.http.URL.Query()
	q.Set("per_page", strconv.Itoa(perPage))
	q.Set("cursor", strconv.FormatInt(items[end].ID, 10))
	link := fmt.Sprintf(`<%s%s?%s>; rel="next"`, s.http.URL, req.http.URL.EscapedPath(), q.Encode())
	return paged(out, http.Header{"Link": {link}})
}

// redeliverHookDelivery asks for an attempt to be delivered again: it answers 202 at once
// and, as GitHub does, delivers afterwards, logging the new attempt.
func redeliverHookDelivery(s *Server, req *request) reply {
	id := intParam(req, "delivery_id")
	i := slices.IndexFunc(s.hooks.log, func(d HookDelivery) bool { return d.ID == id })
	if i < 0 {
		return notFound()
	}
	d, deliver := s.hooks.log[i], s.hooks.redeliver
	go func() {
		status := http.StatusOK
		if deliver != nil {
			status = deliver(d)
		}
		again := d
		again.Redelivery, again.StatusCode, again.Status, again.DeliveredAt = true, status, "", time.Time{}
		s.AddHookDelivery(again)
	}()
	return reply{status: http.StatusAccepted, body: object{}}
}
