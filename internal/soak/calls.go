package soak

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Counts are the outcomes of a soak's calls.
type Counts struct {
	// OK counts the calls that succeeded.
	OK int64
	// Throttled counts the calls shed with ThrottlingException.
	Throttled int64
	// Races counts the conditional writes that lost a version race.
	Races int64
	// Errors counts the calls that failed any other way.
	Errors int64
	// FirstErr is the first of those errors, nil if none.
	FirstErr error
}

// String renders c as the soak logs it.
func (c Counts) String() string {
	return fmt.Sprintf("%d ok, %d throttled, %d lost version races, %d errors", c.OK, c.Throttled, c.Races, c.Errors)
}

// callStats counts outcomes and collects the latencies of the current
// sampling interval.
type callStats struct {
	mu        sync.Mutex
	c         Counts
	latencies []time.Duration
}

func (s *callStats) record(o outcome) {
	var throttle *types.ThrottlingException
	var race *types.ConditionalCheckFailedException
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case o.err == nil:
		s.c.OK++
		s.latencies = append(s.latencies, o.latency)
	case errors.As(o.err, &race):
		s.c.Races++
		s.latencies = append(s.latencies, o.latency)
	case errors.As(o.err, &throttle):
		s.c.Throttled++
	case errors.Is(o.err, context.Canceled): // cut short by the end of the run
	default:
		s.c.Errors++
		if s.c.FirstErr == nil {
			s.c.FirstErr = o.err
		}
	}
}

func (s *callStats) counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

// p99 returns the p99 latency since the last call and starts a new interval.
func (s *callStats) p99() time.Duration {
	s.mu.Lock()
	lat := s.latencies
	s.latencies = nil
	s.mu.Unlock()
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	return lat[(len(lat)-1)*99/100]
}
