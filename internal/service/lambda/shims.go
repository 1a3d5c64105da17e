package lambda

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
)

// shims are the bootstrap programs of the python and nodejs runtimes.
//
//go:embed shims/bootstrap.py shims/bootstrap.js
var shims embed.FS

// Names of the shims in the runtime directory.
const (
	pythonShim = "bootstrap.py"
	nodeShim   = "bootstrap.js"
)

// writeShims writes the embedded shims into dir (LAMBDA_RUNTIME_DIR).
func writeShims(dir string) error {
	for _, name := range []string{pythonShim, nodeShim} {
		data, err := shims.ReadFile("shims/" + name)
		if err != nil {
			return fmt.Errorf("lambda: %w", err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("lambda: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return fmt.Errorf("lambda: write runtime shim: %w", err)
		}
	}
	return nil
}
