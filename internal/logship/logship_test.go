package logship

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// recordingSink keeps what it is given, one entry per Append; it refuses
// the group "bad".
type recordingSink struct {
	mu      sync.Mutex
	appends []string // "group/stream:n ..."
	events  map[string][]string
}

func (s *recordingSink) Append(_ context.Context, batches []Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var desc []string
	for _, b := range batches {
		if b.Group == "bad" {
			return errors.New("refused")
		}
		desc = append(desc, fmt.Sprintf("%s/%s:%d", b.Group, b.Stream, len(b.Events)))
	}
	s.appends = append(s.appends, strings.Join(desc, " "))
	for _, b := range batches {
		for _, e := range b.Events {
			s.events[b.Group+"/"+b.Stream] = append(s.events[b.Group+"/"+b.Stream], e.Message)
		}
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

		want := []string{"g/s0:50 g/s1:50", "g/s0:1"}
		if fmt.Sprint(sink.appends) != fmt.Sprint(want) {
			t.Errorf("appends = %v, want %v", sink.appends, want)
		}
		s0 := sink.events["g/s0"]
		if len(s0) != 51 || s0[0] != "0" || s0[1] != "2" || s0[50] != "late" {
			t.Errorf("stream s0 = %v", s0)
		}
	})
}

// TestShipperIsolatesRefusedBatch: when the one write of a gathering
// fails, each stream is written alone, and only the refused one is lost.
func TestShipperIsolatesRefusedBatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &recordingSink{events: make(map[string][]string)}
		s := New(sink, nil)
		s.Ship("g", "a", []Event{{Message: "1"}})
		s.Ship("bad", "b", []Event{{Message: "2"}})
		s.Ship("g", "c", []Event{{Message: "3"}})
		s.Close()
		if want := []string{"g/a:1", "g/c:1"}; fmt.Sprint(sink.appends) != fmt.Sprint(want) {
			t.Errorf("appends = %v, want %v", sink.appends, want)
		}
	})
}

func TestNilShipperDrops(t *testing.T) {
	var s *Shipper
	s.Ship("g", "s", []Event{{Message: "x"}})
	s.Close()
}

// TestShipLater: a queued maker is called by the shipper when it gathers,
// not before, and its batch is merged like any other; one that makes no
// events adds nothing.
func TestShipLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &recordingSink{events: make(map[string][]string)}
		s := New(sink, nil)
		var made sync.WaitGroup
		made.Add(1)
		called := false
		s.Ship("g", "a", []Event{{Message: "first"}})
		s.ShipLater(func() Batch {
			called = true
			made.Done()
			return Batch{Group: "g", Stream: "a", Events: []Event{{Message: "later"}}}
		})
		s.ShipLater(func() Batch { return Batch{Group: "g", Stream: "empty"} })
		time.Sleep(Linger / 2)
		synctest.Wait()
		if called {
			t.Error("the maker was called before the gathering ended")
		}
		made.Wait()
		s.Close()
		if want := []string{"g/a:2"}; fmt.Sprint(sink.appends) != fmt.Sprint(want) {
			t.Errorf("appends = %v, want %v", sink.appends, want)
		}
	})
}

// TestFullQueueWakesShipper: producers that fill the queue do not wait
// for the end of the gathering.
func TestFullQueueWakesShipper(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sink := &recordingSink{events: make(map[string][]string)}
		s := New(sink, nil)
		start := time.Now()
		for i := range 2*QueueLen + 2 {
			s.Ship("g", "a", []Event{{Message: fmt.Sprint(i)}})
		}
		if waited := time.Since(start); waited >= Linger {
			t.Errorf("queueing %d batches took %v, want less than Linger", 2*QueueLen+2, waited)
		}
		s.Close()
		if n := len(sink.events["g/a"]); n != 2*QueueLen+2 {
			t.Errorf("%d events written, want %d", n, 2*QueueLen+2)
		}
	})
}
