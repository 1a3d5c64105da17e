package storagetest

import (
	"bytes"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/fogbank/fogbank/internal/storage"
)

// Benchmark data shape.
const (
	benchKeys      = 10000
	benchValueSize = 100
	benchScanLen   = 100
)

var benchValue = bytes.Repeat([]byte("v"), benchValueSize)

// benchKey returns the i-th benchmark key.
func benchKey(i int) []byte { return fmt.Appendf(nil, "bench/%08d", i) }

// RunBenchmarks runs the storage benchmarks against engines made by open,
// one engine per benchmark, reporting ops/s alongside ns/op:
//
//   - Get: a point read in its own View, over 10,000 keys;
//   - Put: one 100-byte write in its own (durably synced) Update;
//   - PutParallel: Puts from many goroutines, which group commit can batch;
//   - Scan100: a View scanning 100 consecutive pairs.
func RunBenchmarks(b *testing.B, open func(b *testing.B) storage.Engine) {
	b.Run("Get", func(b *testing.B) { benchGet(b, openBenchEngine(b, open, benchKeys)) })
	b.Run("Put", func(b *testing.B) { benchPut(b, openBenchEngine(b, open, 0)) })
	b.Run("PutParallel", func(b *testing.B) { benchPutParallel(b, openBenchEngine(b, open, 0)) })
	b.Run("Scan100", func(b *testing.B) { benchScan(b, openBenchEngine(b, open, benchKeys)) })
}

// openBenchEngine opens an engine holding n benchmark keys and closes it
// when b ends.
func openBenchEngine(b *testing.B, open func(b *testing.B) storage.Engine, n int) storage.Engine {
	b.Helper()
	e := open(b)
	b.Cleanup(func() {
		if err := e.Close(); err != nil && !errors.Is(err, storage.ErrClosed) {
			b.Errorf("Close: %v", err)
		}
	})
	for start := 0; start < n; start += 1000 {
		err := e.Update(b.Context(), func(tx storage.Tx) error {
			for i := start; i < min(start+1000, n); i++ {
				if err := tx.Set(benchKey(i), benchValue); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatalf("load: %v", err)
		}
	}
	return e
}

// reportOps adds an ops/s metric.
func reportOps(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func benchGet(b *testing.B, e storage.Engine) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		key := benchKey(i * 7919 % benchKeys)
		i++
		err := e.View(b.Context(), func(tx storage.ReadTx) error {
			_, err := tx.Get(key)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}

func benchPut(b *testing.B, e storage.Engine) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		key := benchKey(i)
		i++
		if err := e.Update(b.Context(), func(tx storage.Tx) error { return tx.Set(key, benchValue) }); err != nil {
			b.Fatal(err)
		}
	}
	reportOps(b)
}

func benchPutParallel(b *testing.B, e storage.Engine) {
	b.ReportAllocs()
	b.SetParallelism(16)
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := benchKey(int(next.Add(1)))
			if err := e.Update(b.Context(), func(tx storage.Tx) error { return tx.Set(key, benchValue) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportOps(b)
}

func benchScan(b *testing.B, e storage.Engine) {
	b.ReportAllocs()
	b.SetBytes(benchScanLen * benchValueSize)
	i := 0
	for b.Loop() {
		start := benchKey(i * 7919 % (benchKeys - benchScanLen))
		i++
		n := 0
		err := e.View(b.Context(), func(tx storage.ReadTx) error {
			return tx.Scan(storage.Range{Start: start, Limit: benchScanLen}, func(_, _ []byte) bool {
				n++
				return true
			})
		})
		if err != nil || n != benchScanLen {
			b.Fatalf("Scan visited %d pairs, err %v; want %d", n, err, benchScanLen)
		}
	}
	reportOps(b)
}
