package linearizability

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// Workload is a bounded run of concurrent clients calling a Store on a few
// keys, each call recorded in a History.
type Workload struct {
	// Keys are the items the clients share.
	Keys []string
	// Clients is the number of concurrent clients.
	Clients int
	// OpsPerClient bounds each client's calls (an Update counts with the
	// Get that learns the version it expects).
	OpsPerClient int
	// Duration bounds the run: no call starts after it.
	Duration time.Duration
	// Kinds are the operations clients pick from, uniformly; repeat a
	// kind to weight it.
	Kinds []Kind
	// StopOnError ends a client's run at its first error other than a
	// failed condition, as when the server has been killed.
	StopOnError bool
	// LateEffects reports that a call that failed with an error may still
	// take effect after the error was seen, as after a client timeout on a
	// live server; such calls get Forever as their return time. When
	// false, as when the server was killed, a failed call took effect
	// before its error or not at all.
	LateEffects bool
	// Seed makes the clients' choices reproducible.
	Seed uint64
	// FirstClient numbers this run's clients from FirstClient on, so that
	// several runs can share one History.
	FirstClient int
}

// Stats counts what a run did.
type Stats struct {
	// Calls is the number of calls made.
	Calls int
	// Failed is the number of calls whose condition failed.
	Failed int
	// Errors is the number of calls that failed otherwise (outcome unknown).
	Errors int
	// FirstErr is the first such error.
	FirstErr error
}

func (s *Stats) add(o Stats) {
	s.Calls += o.Calls
	s.Failed += o.Failed
	s.Errors += o.Errors
	if s.FirstErr == nil {
		s.FirstErr = o.FirstErr
	}
}

// Run runs the workload against store, recording into h, and returns when
// every client is done.
func (w Workload) Run(ctx context.Context, store Store, h *History) Stats {
	deadline := time.Now().Add(w.Duration)
	stats := make([]Stats, w.Clients)
	var wg sync.WaitGroup
	for c := range w.Clients {
		wg.Go(func() { stats[c] = w.client(ctx, store, h, w.FirstClient+c, deadline) })
	}
	wg.Wait()
	var total Stats
	for _, s := range stats {
		total.add(s)
	}
	return total
}

// client is one client's loop.
func (w Workload) client(ctx context.Context, store Store, h *History, id int, deadline time.Time) Stats {
	rng := rand.New(rand.NewPCG(w.Seed, uint64(id)))
	var st Stats
	for seq := 0; seq < w.OpsPerClient && time.Now().Before(deadline) && ctx.Err() == nil; seq++ {
		in := Input{Kind: w.Kinds[rng.IntN(len(w.Kinds))], Key: w.Keys[rng.IntN(len(w.Keys))], Val: fmt.Sprintf("c%d.%d", id, seq)}
		if in.Kind == Update {
			read, err := w.call(ctx, store, h, id, Input{Kind: Get, Key: in.Key}, &st)
			if err != nil {
				if w.StopOnError {
					return st
				}
				continue
			}
			in.Expect = -1
			if read.Item.Exists {
				in.Expect = read.Item.Ver
			}
		}
		if _, err := w.call(ctx, store, h, id, in, &st); err != nil && w.StopOnError {
			return st
		}
	}
	return st
}

// call makes one call and records it: a failed condition as a definite
// answer, any other error as an unknown outcome (reads, which change
// nothing, are then left out). It returns the error other than a failed
// condition.
func (w Workload) call(ctx context.Context, store Store, h *History, client int, in Input, st *Stats) (Output, error) {
	st.Calls++
	start := h.Now()
	out, err := invoke(ctx, store, in)
	end := h.Now()
	switch {
	case err == nil:
	case errors.Is(err, ErrConditionFailed):
		st.Failed++
		out, err = Output{Failed: true}, nil
	default:
		st.Errors++
		if st.FirstErr == nil {
			st.FirstErr = fmt.Errorf("%s: %w", in.Kind, err)
		}
		if in.Kind == Get {
			return out, err
		}
		if w.LateEffects {
			end = Forever
		}
		out = Output{Unknown: true}
	}
	h.Add(client, in, start, end, out)
	return out, err
}

// invoke makes the call in on store.
func invoke(ctx context.Context, store Store, in Input) (Output, error) {
	switch in.Kind {
	case Get:
		it, err := store.Get(ctx, in.Key)
		return Output{Item: it}, err
	case Put:
		return Output{}, store.Put(ctx, in.Key, in.Val)
	case Update:
		return Output{}, store.Update(ctx, in.Key, in.Expect, in.Val)
	case Increment:
		n, err := store.Increment(ctx, in.Key)
		return Output{Item: Item{N: n}}, err
	case Delete:
		it, err := store.Delete(ctx, in.Key)
		return Output{Item: it}, err
	}
	return Output{}, fmt.Errorf("linearizability: unknown operation %v", in.Kind)
}
