package app

import "github.com/fogbank/fogbank/internal/metrics"

// Metrics returns the registry of the components' metrics.
func (a *App) Metrics() *metrics.Registry { return a.metrics }
