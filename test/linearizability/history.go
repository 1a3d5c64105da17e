package linearizability

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/anishathalye/porcupine"
)

// Forever is the return time of a call whose effect may still be pending
// when the history ends: the checker may place it anywhere after its call.
const Forever int64 = math.MaxInt64

// History records calls with their invocation and response times on one
// monotonic clock. It is safe for concurrent use.
type History struct {
	start time.Time

	mu  sync.Mutex
	ops []porcupine.Operation
}

// NewHistory returns an empty history whose clock starts now.
func NewHistory() *History { return &History{start: time.Now()} }

// Now returns the history's clock: nanoseconds since it began.
func (h *History) Now() int64 { return int64(time.Since(h.start)) }

// Add records one call by client, invoked at call and answered with out at
// ret (Forever for a call of unknown outcome that may yet take effect).
func (h *History) Add(client int, in Input, call, ret int64, out Output) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.ops = append(h.ops, porcupine.Operation{ClientId: client, Input: in, Call: call, Output: out, Return: ret})
}

// Len returns the number of calls recorded.
func (h *History) Len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.ops)
}

// WriteText writes the history as text, one call a line in order of
// invocation: client, invocation and response times (ns), and the call.
func (h *History) WriteText(w io.Writer) error {
	h.mu.Lock()
	ops := slices.SortedFunc(slices.Values(h.ops), func(a, b porcupine.Operation) int { return cmp.Compare(a.Call, b.Call) })
	h.mu.Unlock()
	for _, op := range ops {
		end := "pending"
		if op.Return != Forever {
			end = fmt.Sprint(op.Return)
		}
		if _, err := fmt.Fprintf(w, "c%d\t%d\t%s\t%s\n", op.ClientId, op.Call, end, describe(op.Input, op.Output)); err != nil {
			return err
		}
	}
	return nil
}

// Verdict is the checker's answer for a history.
type Verdict struct {
	// Result is porcupine.Ok, porcupine.Illegal, or porcupine.Unknown when
	// the check timed out.
	Result porcupine.CheckResult

	info porcupine.LinearizationInfo
}

// Check checks the history against Model within timeout.
func (h *History) Check(timeout time.Duration) Verdict {
	h.mu.Lock()
	ops := append([]porcupine.Operation(nil), h.ops...)
	h.mu.Unlock()
	res, info := porcupine.CheckOperationsVerbose(Model, ops, timeout)
	return Verdict{Result: res, info: info}
}

// Visualize writes porcupine's HTML view of the history and the longest
// linearizations found to path.
func (v Verdict) Visualize(path string) error {
	return porcupine.VisualizePath(Model, v.info, path)
}
