package logship

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// recordingSink keeps what it is given, one entry per Append.
type recordingSink struct {
	mu      sync.Mutex
	appends []string // "group/stream:n"
	events  map[string][]string
}

func (s *recordingSink) Append(_ context.Context, group, stream string, events []Event) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.appends = append(s.appends, fmt.Sprintf("%s/%s:%d", group, stream, len(events)))
	for _, e := range events {
		s.events[group+"/"+stream] = append(s.events[group+"/"+stream], e.Message)
	}
	return nil
}

func TestShipperBatchesPerStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &recordingSink{events: make(map[string][]string)}
		s := New(sink, nil)
		for i := range 100 {
			s.Ship("g", fmt.Sprintf("s%d", i%2), []Event{{Timestamp: time.Now(), Message: fmt.Sprint(i)}})
		}
		time.Sleep(2 * Linger)
		s.Ship("g", "s0", []Event{{Timestamp: time.Now(), Message: "late"}})
		s.Close()
		s.Ship("g", "s0", []Event{{Message: "after close"}})

		want := []string{"g/s0:50", "g/s1:50", "g/s0:1"}
		if fmt.Sprint(sink.appends) != fmt.Sprint(want) {
			t.Errorf("appends = %v, want %v", sink.appends, want)
		}
		s0 := sink.events["g/s0"]
		if len(s0) != 51 || s0[0] != "0" || s0[1] != "2" || s0[50] != "late" {
			t.Errorf("stream s0 = %v", s0)
		}
	})
}

func TestNilShipperDrops(t *testing.T) {
	var s *Shipper
	s.Ship("g", "s", []Event{{Message: "x"}})
	s.Close()
}
