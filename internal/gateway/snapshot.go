package gateway

import (
	"context"
	"sync/atomic"
	"time"
)

// apiSnapshot is the immutable compiled form of one API's definition.
type apiSnapshot struct {
	revision int64
	checked  time.Time // when the revision was last confirmed
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
}

// compile builds the snapshot of a definition.
func compile(def *Definition, now time.Time) *apiSnapshot {
	snap := &apiSnapshot{revision: def.Revision, checked: now, disabled: def.Disabled, cors: compileCors(def.Cors),
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
	table := &stageTable{name: st.Name, variables: st.Variables, authorizers: make(map[string]*Authorizer, len(st.Authorizers))}
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

// snapshot returns the routing snapshot of an API, nil when the API does
// not exist. It reloads the definition when the control plane changed it.
func (h *Handler) snapshot(ctx context.Context, apiID string) (*apiSnapshot, error) {
	now := h.opts.Now()
	var ptr *atomic.Pointer[apiSnapshot]
	if v, ok := h.cache.Load(apiID); ok {
		ptr = v.(*atomic.Pointer[apiSnapshot])
		snap := ptr.Load()
		if snap != nil && now.Sub(snap.checked) < h.opts.RevalidateAfter {
			return snap, nil
		}
		if snap != nil {
			rev, err := h.opts.Source.Revision(ctx, apiID)
			if err != nil {
				return nil, err
			}
			if rev == snap.revision {
				fresh := *snap
				fresh.checked = now
				ptr.CompareAndSwap(snap, &fresh)
				return &fresh, nil
			}
		}
	}
	def, err := h.opts.Source.Definition(ctx, apiID)
	if err != nil || def == nil {
		if def == nil {
			h.cache.Delete(apiID)
		}
		return nil, err
	}
	snap := compile(def, now)
	if ptr == nil {
		v, _ := h.cache.LoadOrStore(apiID, new(atomic.Pointer[apiSnapshot]))
		ptr = v.(*atomic.Pointer[apiSnapshot])
	}
	ptr.Store(snap)
	return snap, nil
}

// Invalidate drops the routing snapshot of an API, so that the next
// request reads its definition again. The control plane calls it after
// every change.
func (h *Handler) Invalidate(apiID string) {
	if v, ok := h.cache.Load(apiID); ok {
		v.(*atomic.Pointer[apiSnapshot]).Store(nil)
	}
}
