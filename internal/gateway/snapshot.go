package gateway

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// apiSnapshot is the immutable compiled form of one API's definition.
type apiSnapshot struct {
	disabled bool
	cors     *corsPolicy // nil when the API has no CorsConfiguration
	stages   map[string]*stageTable
}

// stageTable is what one stage serves.
type stageTable struct {
	name         string
	variables    map[string]string
	routes       []*compiledRoute
	defaultRoute *compiledRoute
	authorizers  map[string]*Authorizer
	accessLog    *accessLogFormat // nil without AccessLogSettings
}

// compile builds the snapshot of a definition.
func compile(def *Definition) *apiSnapshot {
	snap := &apiSnapshot{disabled: def.Disabled, cors: compileCors(def.Cors),
		stages: make(map[string]*stageTable)}
	for _, st := range def.Stages {
		snap.stages[st.Name] = compileStage(st)
	}
	return snap
}

func compileStage(st Stage) *stageTable {
	integrations := make(map[string]*Integration, len(st.Integrations))
	for i := range st.Integrations {
		integ := st.Integrations[i]
		integrations["integrations/"+integ.ID] = &integ
	}
	table := &stageTable{name: st.Name, variables: st.Variables, authorizers: make(map[string]*Authorizer, len(st.Authorizers)),
		accessLog: compileAccessLog(st.AccessLog, false)}
	for i := range st.Authorizers {
		table.authorizers[st.Authorizers[i].ID] = &st.Authorizers[i]
	}
	for _, rt := range st.Routes {
		limiter := newLimiter(st.DefaultThrottle, st.RouteThrottles[rt.Key])
		if rt.Key == defaultRouteKey {
			table.defaultRoute = &compiledRoute{Route: rt, method: "ANY", resource: defaultRouteKey,
				integ: integrations[rt.Target], limiter: limiter}
			continue
		}
		if cr, ok := compileRoute(rt); ok {
			cr.integ, cr.limiter = integrations[rt.Target], limiter
			table.routes = append(table.routes, cr)
		}
	}
	return table
}

// cache holds one compiled snapshot per API id, read without a lock (an
// atomic.Pointer per id) and revalidated by revision: a snapshot older
// than after is served on while the source's revision is unchanged, and
// rebuilt when it changed. It serves both HTTP and REST APIs.
type cache[T any] struct {
	entries sync.Map // id → *atomic.Pointer[cached[T]]
	after   time.Duration
	now     func() time.Time
	// revision is the source's current revision of an id.
	revision func(ctx context.Context, id string) (int64, error)
	// load reads and compiles an id's snapshot with its revision; keep
	// false drops the id's entry (nothing is remembered of it).
	load func(ctx context.Context, id string) (snap T, rev int64, keep bool, err error)
}

// cached is a snapshot with the revision it was compiled from and when
// that revision was last confirmed.
type cached[T any] struct {
	snap     T
	revision int64
	checked  time.Time
}

// get returns the snapshot of id, reloading it when the source changed it.
func (c *cache[T]) get(ctx context.Context, id string) (T, error) {
	now := c.now()
	if snap, ok, err := c.revalidate(ctx, id, now); ok || err != nil {
		return snap, err
	}
	snap, rev, keep, err := c.load(ctx, id)
	if err != nil || !keep {
		if err == nil {
			c.entries.Delete(id)
		}
		return snap, err
	}
	v, _ := c.entries.LoadOrStore(id, new(atomic.Pointer[cached[T]]))
	v.(*atomic.Pointer[cached[T]]).Store(&cached[T]{snap: snap, revision: rev, checked: now})
	return snap, nil
}

// revalidate returns the held snapshot of id when it is recent or its
// revision is still the source's; ok is false when it must be loaded.
func (c *cache[T]) revalidate(ctx context.Context, id string, now time.Time) (snap T, ok bool, err error) {
	v, found := c.entries.Load(id)
	if !found {
		return snap, false, nil
	}
	ptr := v.(*atomic.Pointer[cached[T]])
	e := ptr.Load()
	if e == nil {
		return snap, false, nil
	}
	if now.Sub(e.checked) < c.after {
		return e.snap, true, nil
	}
	rev, err := c.revision(ctx, id)
	if err != nil || rev != e.revision {
		return snap, false, err
	}
	ptr.CompareAndSwap(e, &cached[T]{snap: e.snap, revision: rev, checked: now})
	return e.snap, true, nil
}

// invalidate drops the snapshot of id, so that the next get loads it.
func (c *cache[T]) invalidate(id string) {
	if v, ok := c.entries.Load(id); ok {
		v.(*atomic.Pointer[cached[T]]).Store(nil)
	}
}

// forget drops the entry of id.
func (c *cache[T]) forget(id string) { c.entries.Delete(id) }

// newHTTPCache is the cache of HTTP APIs' snapshots over opts.Source; an
// id that is no HTTP API is not remembered.
func newHTTPCache(opts *Options) *cache[*apiSnapshot] {
	return &cache[*apiSnapshot]{after: opts.RevalidateAfter, now: opts.Now, revision: opts.Source.Revision,
		load: func(ctx context.Context, id string) (*apiSnapshot, int64, bool, error) {
			def, err := opts.Source.Definition(ctx, id)
			if err != nil || def == nil {
				return nil, 0, false, err
			}
			return compile(def), def.Revision, true, nil
		}}
}

// Invalidate drops the routing snapshot of an API, so that the next
// request reads its definition again. The control plane calls it after
// every change.
func (h *Handler) Invalidate(apiID string) { h.apis.invalidate(apiID) }
