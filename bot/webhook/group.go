package webhook

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Transactions runs a group of deliveries' work in one transaction; the job
// queue implements it (queue.Queue). Under InTransaction's context the
// deliveries' records, the handlers' state and their jobs are written in
// that transaction, and committed together when fn returns nil. Savepoint,
// under that context, undoes what fn wrote when it fails, and keeps the rest.
type Transactions interface {
	InTransaction(ctx context.Context, fn func(ctx context.Context) error) error
	Savepoint(ctx context.Context, fn func(ctx context.Context) error) error
}

// MaxGroup is the most deliveries one commit answers.
const MaxGroup = 256

// commitTimeout bounds one group's transaction.
const commitTimeout = 30 * time.Second

// separately runs every delivery in its own writes: without Transactions,
// a group is only a loop.
type separately struct{}

func (separately) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
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

// commit handles members in one transaction, each in a savepoint so that
// one failing delivery does not fail the others, and answers them all
// once the transaction has committed.
func (c *groupCommit) commit(members []*intake) {
	ctx, cancel := context.WithTimeout(context.Background(), commitTimeout)
	defer cancel()
	outcomes := make([]outcome, len(members))
	err := c.tx.InTransaction(ctx, func(ctx context.Context) error {
		for i, in := range members {
			outcomes[i] = c.handle(ctx, in)
		}
		return nil
	})
	for i, in := range members {
		if err != nil && outcomes[i].err == nil {
			outcomes[i] = outcome{result: "error", err: err}
		}
		in.done <- outcomes[i]
	}
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
