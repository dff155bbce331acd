package queue

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/imagebot/imagebot/bot/joblog"
)

// jobLogging is worker middleware that gives each job its own logger (see
// joblog): the process's logger with the job's id, kind and attempt, and
// what the job's args say it acts on.
type jobLogging struct {
	river.MiddlewareDefaults
	logger *slog.Logger
}

func (m *jobLogging) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) error {
	l := m.logger.With("job", job.ID, "kind", job.Kind, "attempt", job.Attempt).With(joblog.Attrs(job.EncodedArgs)...)
	return doInner(joblog.Into(ctx, l))
}

// routineHandler lowers River's routine INFO lines (producer counts,
// migrations, leader elections, periodic job runs) to DEBUG; River's
// warnings and errors keep their level.
type routineHandler struct{ slog.Handler }

func quiet(level slog.Level) slog.Level {
	if level == slog.LevelInfo {
		return slog.LevelDebug
	}
	return level
}

func (h routineHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.Handler.Enabled(ctx, quiet(level))
}

func (h routineHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Level = quiet(r.Level)
	return h.Handler.Handle(ctx, r)
}

func (h routineHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return routineHandler{h.Handler.WithAttrs(attrs)}
}

func (h routineHandler) WithGroup(name string) slog.Handler {
	return routineHandler{h.Handler.WithGroup(name)}
}

// riverLogger is the logger River gets: logger, with its INFO lines
// lowered to DEBUG.
func riverLogger(logger *slog.Logger) *slog.Logger {
	return slog.New(routineHandler{logger.Handler()})
}
