package sandbox

import (
	"os"
	"syscall"
)

// fallocate modes of Linux (not in package syscall).
const (
	fallocKeepSize  = 0x01
	fallocPunchHole = 0x02
)

// discard frees the disk blocks of the first n bytes of f, keeping its
// size and offsets, so that a log file read incrementally stays small.
func discard(f *os.File, n int64) error {
	return syscall.Fallocate(int(f.Fd()), fallocPunchHole|fallocKeepSize, 0, n)
}
