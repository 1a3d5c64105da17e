// Command ceiling is the baseline for Fogbank's DynamoDB benchmarks: a minimal
// net/http server that decodes GetItem and PutItem requests as generic JSON,
// keeps items in a map in memory and answers with the same JSON shapes.
// It does no authentication, validation or durable storage, so its throughput
// is the ceiling for any JSON API on the machine.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().String()) // the driver reads the bound address from the first line
	s := &store{items: map[string]any{}}
	log.Fatal(http.Serve(ln, s))
}

// store is the in-memory table: items keyed by their key's JSON text.
type store struct {
	mu    sync.RWMutex
	items map[string]any
}

func (s *store) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req map[string]any
	if err := json.Unmarshal(body, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var resp any
	switch op := r.Header.Get("X-Amz-Target"); {
	case strings.HasSuffix(op, ".GetItem"):
		resp = s.get(req)
	case strings.HasSuffix(op, ".PutItem"):
		resp = s.put(req)
	default:
		http.Error(w, "unknown operation", http.StatusBadRequest)
		return
	}
	out, err := json.Marshal(resp)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Write(out)
}

func (s *store) get(req map[string]any) any {
	key, _ := json.Marshal(req["Key"])
	s.mu.RLock()
	item, ok := s.items[string(key)]
	s.mu.RUnlock()
	if !ok {
		return map[string]any{}
	}
	return map[string]any{"Item": item}
}

func (s *store) put(req map[string]any) any {
	item, _ := req["Item"].(map[string]any)
	key, _ := json.Marshal(map[string]any{"pk": item["pk"]})
	s.mu.Lock()
	s.items[string(key)] = item
	s.mu.Unlock()
	return map[string]any{}
}
