// Package webhook receives GitHub webhook deliveries: it bounds the memory
// that bodies hold before and after their signature is checked (see
// bodyBudget), verifies each one's signature while reading it and before
// reading any JSON, caps its size, drops events no one handles and payloads
// no handler could act on, deduplicates redeliveries, and hands the rest to
// the event handlers, which only record state or enqueue durable jobs.
// Concurrent deliveries share one transaction (see groupCommit): each is
// answered once its record and its jobs are committed together. The
// response goes out within milliseconds; the work runs in jobs.
//
// It knows the HTTP side of webhooks and nothing of what the App does
// with them; it must not call GitHub.
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// MaxBody is the largest delivery accepted; GitHub caps payloads at 25 MB.
const MaxBody = 25 << 20

// busyRetryAfter is the Retry-After, in seconds, of a delivery refused
// because the body budget was full.
const busyRetryAfter = "5"

// queueFullRetryAfter is the Retry-After, in seconds, of a delivery refused
// because the job backlog is full.
const queueFullRetryAfter = "60"

// Event is one verified delivery.
type Event struct {
	Name           string // X-GitHub-Event
	Action         string
	DeliveryID     string // X-GitHub-Delivery
	InstallationID int64
	Payload        []byte
	Fields         Fields // read from Payload once (see DecodeFields)
}

// NewEvent returns the Event of a delivery whose payload is read (see
// DecodeFields), or the error that makes it unreadable.
func NewEvent(name, delivery string, payload []byte) (Event, error) {
	f, err := DecodeFields(payload)
	if err != nil {
		return Event{}, err
	}
	return Event{Name: name, Action: f.Action, DeliveryID: delivery, InstallationID: f.Installation.ID,
		Payload: payload, Fields: f}, nil
}

// EventHandler handles the events it names. Handle must be quick: record
// state or enqueue jobs, nothing slow. Several handlers may name the same
// event; each gets it.
type EventHandler interface {
	Handles() []string
	Handle(ctx context.Context, e Event) error
}

// ErrQueueFull is returned by a handler that cannot take more work now;
// the delivery is answered 503 so that GitHub shows it as failed and an
// operator can redeliver it.
var ErrQueueFull = errors.New("the job queue is full")

// Deliveries remembers which deliveries were handled.
type Deliveries interface {
	DeliverySeen(ctx context.Context, id string) (bool, error)
	RecordDelivery(ctx context.Context, id, event, action string, now time.Time) (fresh bool, err error)
}

// Handler is the http.Handler for POST /api/github/webhooks.
type Handler struct {
	secret     []byte
	macs       *macs
	handlers   map[string][]EventHandler
	deliveries Deliveries
	logger     *slog.Logger
	now        func() time.Time
	metrics    *Metrics
	budget     *bodyBudget
	group      *groupCommit
}

// Option configures a Handler.
type Option func(*Handler)

// WithLogger sets the logger.
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.logger = l } }

// WithClock sets the clock used to timestamp deliveries.
func WithClock(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// WithBodyBudget bounds the bytes that request bodies hold at once
// (default DefaultBodyBudget); it must leave room for a MaxBody delivery
// (see bodyBudget), or NewHandler fails.
func WithBodyBudget(total int64) Option { return func(h *Handler) { h.budget = newBodyBudget(total) } }

// WithTransactions makes concurrent deliveries share one transaction (see
// groupCommit): their records, the handlers' writes and jobs commit
// together. Without it each delivery's writes stand alone.
func WithTransactions(t Transactions) Option { return func(h *Handler) { h.group.tx = t } }

// WithMetrics counts deliveries.
func WithMetrics(m *Metrics) Option { return func(h *Handler) { h.metrics = m } }

// NewHandler returns a webhook handler. It refuses an empty secret: an
// App that cannot verify deliveries must not accept them.
func NewHandler(secret []byte, deliveries Deliveries, handlers []EventHandler, opts ...Option) (*Handler, error) {
	if len(secret) == 0 {
		return nil, errors.New("webhook: a webhook secret is required")
	}
	h := &Handler{secret: secret, macs: newMACs(secret), handlers: map[string][]EventHandler{}, deliveries: deliveries,
		logger: slog.Default(), now: time.Now, budget: newBodyBudget(DefaultBodyBudget)}
	h.group = &groupCommit{tx: separately{}, deliveries: deliveries, now: func() time.Time { return h.now() }}
	for _, eh := range handlers {
		for _, name := range eh.Handles() {
			h.handlers[name] = append(h.handlers[name], eh)
		}
	}
	for _, o := range opts {
		o(h)
	}
	h.group.metrics = h.metrics
	if h.budget.largeRoom() < MaxBody {
		return nil, fmt.Errorf("webhook: the body budget must leave room for a %d MiB delivery", MaxBody>>20)
	}
	return h, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := r.Header.Get("X-GitHub-Event")
	delivery := r.Header.Get("X-GitHub-Delivery")
	want, ok := parseSignature(r.Header.Get(SignatureHeader))
	if !ok {
		h.logger.Warn("webhook signature missing", "event", name, "delivery", delivery, "remote", r.RemoteAddr)
		h.answer(w, name, "bad_signature", http.StatusUnauthorized, "signature missing or wrong")
		return
	}
	mac := h.macs.get()
	defer h.macs.put(mac)
	body, release, err := h.budget.read(r, mac)
	switch {
	case errors.Is(err, errTooLarge):
		h.answer(w, name, "too_large", http.StatusRequestEntityTooLarge, "payload larger than 25 MB")
		return
	case errors.Is(err, errBusy):
		w.Header().Set("Retry-After", busyRetryAfter)
		h.answer(w, name, "busy", http.StatusServiceUnavailable, "busy receiving other deliveries; retry later")
		return
	case err != nil:
		h.answer(w, name, "unreadable", http.StatusBadRequest, "cannot read the body")
		return
	}
	defer release()
	var sum [sha256.Size]byte
	if !hmac.Equal(mac.Sum(sum[:0]), want) {
		h.logger.Warn("webhook signature mismatch", "event", name, "delivery", delivery, "remote", r.RemoteAddr)
		h.answer(w, name, "bad_signature", http.StatusUnauthorized, "signature missing or wrong")
		return
	}
	if name == "" || delivery == "" {
		h.answer(w, name, "malformed", http.StatusBadRequest, "X-GitHub-Event and X-GitHub-Delivery are required")
		return
	}
	if name == "ping" {
		h.answer(w, name, "ping", http.StatusOK, "pong")
		return
	}
	handlers, ok := h.handlers[name]
	if !ok {
		h.answer(w, name, "ignored", http.StatusAccepted, "event not handled")
		return
	}
	e, err := NewEvent(name, delivery, body)
	if err != nil {
		h.answer(w, name, "malformed", http.StatusBadRequest, err.Error())
		return
	}
	if why := e.Fields.missing(name); why != "" {
		// Signed, so GitHub sent it, but no handler could act on it: a job
		// would fail on every attempt. Answered 202 so that GitHub does not
		// redeliver it.
		h.logger.Warn("webhook dropped: "+why, "event", name, "action", e.Action, "delivery", delivery)
		h.answer(w, name, "invalid", http.StatusAccepted, "dropped: "+why)
		return
	}
	out := h.group.submit(&intake{e: e, handlers: handlers, done: make(chan outcome, 1)})
	switch {
	case errors.Is(out.err, ErrQueueFull):
		w.Header().Set("Retry-After", queueFullRetryAfter)
		h.logEvent(r.Context(), slog.LevelWarn, "webhook refused: queue full", e)
		h.answer(w, name, "queue_full", http.StatusServiceUnavailable, "busy; redeliver later")
	case out.err != nil:
		h.logEvent(r.Context(), slog.LevelError, "webhook handling failed", e, "err", out.err)
		h.answer(w, name, "error", http.StatusInternalServerError, "could not handle the delivery")
	case out.result == "duplicate":
		h.logEvent(r.Context(), slog.LevelInfo, "redelivery ignored", e)
		h.answer(w, name, "duplicate", http.StatusAccepted, "duplicate delivery")
	default:
		h.logEvent(r.Context(), slog.LevelInfo, "webhook accepted", e)
		h.answer(w, name, "accepted", http.StatusAccepted, "accepted")
	}
}

// logEvent logs msg with e's event, action, delivery and installation, and
// builds nothing when level is not logged: on the intake path an accepted
// delivery's Info line usually is not.
func (h *Handler) logEvent(ctx context.Context, level slog.Level, msg string, e Event, args ...any) {
	if !h.logger.Enabled(ctx, level) {
		return
	}
	h.logger.Log(ctx, level, msg, append([]any{"event", e.Name, "action", e.Action, "delivery", e.DeliveryID,
		"installation", e.InstallationID}, args...)...)
}

// handleAll gives the event to every handler of its name, in order, and
// stops at the first that fails: the delivery's writes are then undone and
// it is answered with an error, so that a redelivery gives it to all of
// them again.
func handleAll(ctx context.Context, handlers []EventHandler, e Event) error {
	for _, h := range handlers {
		if err := h.Handle(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (h *Handler) answer(w http.ResponseWriter, event, result string, status int, msg string) {
	if h.metrics != nil {
		h.metrics.observe(event, result)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}
