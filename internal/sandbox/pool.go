package sandbox

import (
	"sync"
	"time"
)

// PoolOptions configure a Pool.
type PoolOptions[E any] struct {
	// IdleTimeout is how long an environment may stay idle before it is
	// stopped. Required.
	IdleTimeout time.Duration
	// Stop ends an environment the pool no longer keeps. Required.
	Stop func(E)
}

// Pool keeps idle environments by key. It is safe for concurrent use.
type Pool[E any] struct {
	opts PoolOptions[E]

	mu     sync.Mutex
	idle   map[string][]idleEnv[E]
	closed bool

	quit chan struct{}
	wg   sync.WaitGroup
}

type idleEnv[E any] struct {
	env   E
	since time.Time
}

// NewPool returns a Pool and starts its expiry loop; Close stops it.
func NewPool[E any](opts PoolOptions[E]) *Pool[E] {
	p := &Pool[E]{opts: opts, idle: make(map[string][]idleEnv[E]), quit: make(chan struct{})}
	p.wg.Go(p.expireLoop)
	return p
}

// Get takes the most recently idle environment of key, if any.
func (p *Pool[E]) Get(key string) (E, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	envs := p.idle[key]
	if len(envs) == 0 {
		var zero E
		return zero, false
	}
	e := envs[len(envs)-1]
	p.idle[key] = envs[:len(envs)-1]
	return e.env, true
}

// Put returns env to the pool as idle; after Close it is stopped instead.
func (p *Pool[E]) Put(key string, env E) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.opts.Stop(env)
		return
	}
	p.idle[key] = append(p.idle[key], idleEnv[E]{env: env, since: time.Now()})
	p.mu.Unlock()
}

// Evict stops every idle environment of key.
func (p *Pool[E]) Evict(key string) {
	p.mu.Lock()
	envs := p.idle[key]
	delete(p.idle, key)
	p.mu.Unlock()
	p.stopAll(envs)
}

// Idle returns the number of idle environments of key.
func (p *Pool[E]) Idle(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle[key])
}

// Close stops the expiry loop and every idle environment; environments
// Put later are stopped at once.
func (p *Pool[E]) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	var envs []idleEnv[E]
	for _, es := range p.idle {
		envs = append(envs, es...)
	}
	p.idle = nil
	p.mu.Unlock()
	close(p.quit)
	p.wg.Wait()
	p.stopAll(envs)
}

func (p *Pool[E]) stopAll(envs []idleEnv[E]) {
	var wg sync.WaitGroup
	for _, e := range envs {
		wg.Go(func() { p.opts.Stop(e.env) })
	}
	wg.Wait()
}

// expireLoop stops idle environments past their idle timeout.
func (p *Pool[E]) expireLoop() {
	tick := time.NewTicker(max(p.opts.IdleTimeout/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-p.quit:
			return
		case now := <-tick.C:
			p.stopAll(p.takeExpired(now))
		}
	}
}

// takeExpired removes and returns the environments idle since before
// now-IdleTimeout.
func (p *Pool[E]) takeExpired(now time.Time) []idleEnv[E] {
	p.mu.Lock()
	defer p.mu.Unlock()
	var expired []idleEnv[E]
	for key, envs := range p.idle {
		kept := envs[:0]
		for _, e := range envs {
			if now.Sub(e.since) >= p.opts.IdleTimeout {
				expired = append(expired, e)
			} else {
				kept = append(kept, e)
			}
		}
		if len(kept) == 0 {
			delete(p.idle, key)
		} else {
			p.idle[key] = kept
		}
	}
	return expired
}
