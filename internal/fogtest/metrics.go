package fogtest

import "github.com/fogbank/fogbank/internal/metrics"

// Metrics returns the server's metrics registry.
func (s *Server) Metrics() *metrics.Registry { return s.app.Metrics() }
