package store

import (
	"container/list"
	"context"
	"database/sql/driver"
)

// stmtCacheSize is how many prepared statements each SQLite connection
// keeps: more than imagebot's and River's statements together, so that in
// steady state no statement is parsed twice.
const stmtCacheSize = 256

// cachingConnector opens SQLite connections that keep their prepared
// statements (see cachingConn).
type cachingConnector struct{ driver.Connector }

func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newCachingConn(conn), nil
}

// sqliteConn is what the SQLite driver's connections implement, and what
// cachingConn forwards so that database/sql keeps using the context-aware
// paths.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// cachingConn runs ExecContext and QueryContext through statements it
// prepared once and keeps, the stmtCacheSize most recently used ones,
// instead of parsing each query anew: on the intake path parsing River's
// insert and the store's statements cost more than running them. A
// statement still in use (rows not yet closed) is not shared: a second
// query with the same text meanwhile runs unprepared, as without the cache.
// Statements that are scripts of several statements are parsed on each run
// by the driver whether cached or not.
//
// database/sql uses a connection from one goroutine at a time, so the cache
// needs no lock.
type cachingConn struct {
	sqliteConn
	lru     *list.List // of *cachedStmt, most recently used first
	byQuery map[string]*list.Element
}

type cachedStmt struct {
	query   string
	stmt    driver.Stmt
	busy    bool // its rows are open
	evicted bool // dropped from the cache while busy: closed once released
}

func newCachingConn(conn driver.Conn) driver.Conn {
	c, ok := conn.(sqliteConn)
	if !ok {
		return conn
	}
	return &cachingConn{sqliteConn: c, lru: list.New(), byQuery: map[string]*list.Element{}}
}

// Unwrap returns the driver's connection, for the driver's functions that
// look through wrappers.
func (c *cachingConn) Unwrap() driver.Conn { return c.sqliteConn }

// statement returns query's cached statement, preparing it if need be, or
// nil when it is busy (the caller then runs query unprepared).
func (c *cachingConn) statement(ctx context.Context, query string) (*cachedStmt, error) {
	if e, ok := c.byQuery[query]; ok {
		s := e.Value.(*cachedStmt)
		if s.busy {
			return nil, nil
		}
		c.lru.MoveToFront(e)
		return s, nil
	}
	stmt, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := &cachedStmt{query: query, stmt: stmt}
	c.byQuery[query] = c.lru.PushFront(s)
	if c.lru.Len() > stmtCacheSize {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		old := oldest.Value.(*cachedStmt)
		delete(c.byQuery, old.query)
		if old.busy {
			old.evicted = true
		} else {
			old.stmt.Close()
		}
	}
	return s, nil
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return s.stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.statement(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, s: s}, nil
}

// Close closes the cached statements, then the connection.
func (c *cachingConn) Close() error {
	for e := c.lru.Front(); e != nil; e = e.Next() {
		e.Value.(*cachedStmt).stmt.Close()
	}
	c.lru.Init()
	clear(c.byQuery)
	return c.sqliteConn.Close()
}

// cachedRows releases its statement for the next query when closed.
type cachedRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	if r.s.evicted {
		r.s.stmt.Close()
	}
	return err
}
