package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Transactions runs a group of deliveries' work in one transaction; the job
// queue implements it (queue.Queue). Under InTransaction's context the
// deliveries' records, the handlers' state and their jobs are written in
// that transaction, and committed together when fn returns nil. InBatch is
// InTransaction with the jobs inserted together at the commit; when that
// insert fails, InBatch fails as a whole. Savepoint, under either context,
// undoes what fn wrote (its jobs included) when it fails, and keeps the
// rest.
type Transactions interface {
	InTransaction(ctx context.Context, fn func(ctx context.Context) error) error
	InBatch(ctx context.Context, fn func(ctx context.Context) error) error
	Savepoint(ctx context.Context, fn func(ctx context.Context) error) error
}

// Batch records many deliveries with one statement (see
// store.Store.RecordDeliveries).
type Batch interface {
	RecordDeliveries(ctx context.Context, ids, events, actions []string, now time.Time) (fresh []bool, err error)
}

// MaxGroup is the most deliveries one commit answers.
const MaxGroup = 256

// commitTimeout bounds one group's transaction, where Transactions honours
// a deadline (queue.Queue does on PostgreSQL, not on SQLite).
const commitTimeout = 30 * time.Second

// separately runs every delivery in its own writes: without Transactions,
// a group is only a loop.
type separately struct{}

func (separately) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
func (separately) InBatch(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}
func (separately) Savepoint(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(ctx)
}

// intake is a verified delivery waiting for its group's commit.
type intake struct {
	e        Event
	handlers []EventHandler
	done     chan outcome
}

// outcome is what became of a delivery: accepted, duplicate, or err.
type outcome struct {
	result string
	err    error
}

// groupCommit gathers concurrent deliveries into groups that share one
// transaction. A delivery that finds no group gathering starts one and
// leads it: it waits for the commit in progress, if any, while later
// deliveries join (up to MaxGroup), then commits the group and answers
// every member. A delivery thus waits at most for one commit before its
// own, and an idle server commits each delivery at once.
type groupCommit struct {
	tx         Transactions
	deliveries Deliveries
	now        func() time.Time
	metrics    *Metrics // nil: commits are not timed

	mu        sync.Mutex
	gathering *group

	committing sync.Mutex
}

type group struct{ members []*intake }

// submit hands in to a group and waits for its commit's outcome.
func (c *groupCommit) submit(in *intake) outcome {
	c.mu.Lock()
	if g := c.gathering; g != nil {
		g.members = append(g.members, in)
		if len(g.members) == MaxGroup {
			c.gathering = nil
		}
		c.mu.Unlock()
		return <-in.done
	}
	g := &group{members: []*intake{in}}
	c.gathering = g
	c.mu.Unlock()

	c.committing.Lock()
	defer c.committing.Unlock()
	c.mu.Lock()
	if c.gathering == g {
		c.gathering = nil
	}
	members := g.members
	c.mu.Unlock()
	c.commit(members)
	return <-in.done
}

// errNoBatch stands for a batch not tried: without Transactions, or with
// Deliveries that cannot record a batch.
var errNoBatch = errors.New("no batch")

// commit handles members in one transaction and answers them all once it
// has committed. It first tries them as a batch (see batch); when the
// batch fails as a whole, it runs them again one by one, each in a
// savepoint, so that one failing delivery fails only itself.
func (c *groupCommit) commit(members []*intake) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	start := time.Now()
	outcomes := make([]outcome, len(members))
	err := errNoBatch
	batch, ok := c.deliveries.(Batch)
	if _, alone := c.tx.(separately); ok && !alone {
		err = c.tx.InBatch(ctx, func(ctx context.Context) error { return c.batch(ctx, batch, members, outcomes) })
	}
	if err != nil {
		clear(outcomes)
		err = c.tx.InTransaction(ctx, func(ctx context.Context) error {
			for i, in := range members {
				outcomes[i] = c.handle(ctx, in)
			}
			return nil
		})
	}
	if c.metrics != nil {
		c.metrics.observeCommit(time.Since(start))
	}
	for i, in := range members {
		if err != nil && outcomes[i].err == nil {
			outcomes[i] = outcome{result: "error", err: err}
		}
		in.done <- outcomes[i]
	}
}

// batch records members with one statement and gives the fresh ones to
// their handlers. It is optimistic: a handler's error fails the whole
// batch (commit then runs the group again delivery by delivery, each in a
// savepoint), so that the usual group, where every handler succeeds, costs
// no savepoint statements.
func (c *groupCommit) batch(ctx context.Context, b Batch, members []*intake, outcomes []outcome) error {
	ids, events, actions := make([]string, len(members)), make([]string, len(members)), make([]string, len(members))
	for i, in := range members {
		ids[i], events[i], actions[i] = in.e.DeliveryID, in.e.Name, in.e.Action
	}
	fresh, err := b.RecordDeliveries(ctx, ids, events, actions, c.now())
	if err != nil {
		return err
	}
	for i, in := range members {
		if !fresh[i] {
			outcomes[i] = outcome{result: "duplicate"}
			continue
		}
		if err := handleSafely(ctx, in.handlers, in.e); err != nil {
			return err
		}
		outcomes[i] = outcome{result: "accepted"}
	}
	return nil
}

// handle records one delivery and gives it to its handlers, or finds it
// recorded already: a redelivery does nothing. In a shared transaction the
// record is written first, and its insert tells whether the delivery is
// fresh (one statement, not two): a failing handler's savepoint undoes it.
// Without one, the record is written only once the handlers succeeded.
func (c *groupCommit) handle(ctx context.Context, in *intake) outcome {
	result := "accepted"
	_, alone := c.tx.(separately)
	err := c.tx.Savepoint(ctx, func(ctx context.Context) error {
		var fresh bool
		var err error
		if alone {
			var seen bool
			seen, err = c.deliveries.DeliverySeen(ctx, in.e.DeliveryID)
			fresh = !seen
		} else {
			fresh, err = c.deliveries.RecordDelivery(ctx, in.e.DeliveryID, in.e.Name, in.e.Action, c.now())
		}
		if err != nil {
			return err
		}
		if !fresh {
			result = "duplicate"
			return nil
		}
		if err := handleSafely(ctx, in.handlers, in.e); err != nil {
			return err
		}
		if alone {
			_, err = c.deliveries.RecordDelivery(ctx, in.e.DeliveryID, in.e.Name, in.e.Action, c.now())
		}
		return err
	})
	if err != nil {
		return outcome{result: "error", err: err}
	}
	return outcome{result: result}
}

// handleSafely is handleAll with a panic turned into an error: a handler
// that panics fails its own delivery, not the whole group, and never leaves
// the commit lock held.
func handleSafely(ctx context.Context, handlers []EventHandler, e Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("a %s handler panicked: %v", e.Name, p)
		}
	}()
	return handleAll(ctx, handlers, e)
}
