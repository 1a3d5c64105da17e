package server

import (
	"encoding/json"
	"net/http"
	"runtime"
)

// RuntimePath answers GET with a RuntimeStats document: what soak tests and
// operators watch for leaks and overload. Like the health check it is
// neither authenticated nor gated.
const RuntimePath = "/_fogbank/runtime"

// RuntimeStats is the document served at RuntimePath.
type RuntimeStats struct {
	// Goroutines is the number of goroutines in the process.
	Goroutines int `json:"goroutines"`
	// HeapBytes is the Go heap in use (runtime.MemStats.HeapAlloc).
	HeapBytes uint64 `json:"heap_bytes"`
	// Admission is each service's gate, by service name, for the services
	// that have had a request.
	Admission map[string]GateStats `json:"admission"`
}

// isRuntimeRequest reports whether r asks for the runtime stats.
func isRuntimeRequest(r *http.Request) bool {
	return r.URL.Path == RuntimePath && (r.Method == http.MethodGet || r.Method == http.MethodHead)
}

// serveRuntime answers with the current RuntimeStats.
func (s *Server) serveRuntime(w http.ResponseWriter) {
	var mem runtime.MemStats
	runtime.ReadMemStats(&mem)
	stats := RuntimeStats{Goroutines: runtime.NumGoroutine(), HeapBytes: mem.HeapAlloc, Admission: s.admission.stats()}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(stats) // a failed write means the client is gone
}
