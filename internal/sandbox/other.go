//go:build !linux

package sandbox

import (
	"errors"
	"sync/atomic"
	"syscall"
)

// Outside Linux there are no cgroups and no mount namespaces: memory is
// sampled (where /proc exists) and /tmp is private through TMPDIR only.
var cgroupsOff, privateTmpOff atomic.Bool

type cgroup struct{}

func newCgroup(int64) (*cgroup, error)     { return nil, nil }
func (*cgroup) apply(*syscall.SysProcAttr) {}
func (*cgroup) usage() int64               { return 0 }
func (*cgroup) peak() int64                { return 0 }
func (*cgroup) oomKilled() bool            { return false }
func (*cgroup) remove()                    {}
func usePrivateTmp(Spec) bool              { return false }
func privateTmpSetup(string) func() error {
	return func() error { return errors.ErrUnsupported }
}

// pinning is empty: processes run on every CPU.
type pinning struct{}

func pickCPUs(int) *pinning   { return nil }
func (*pinning) apply() error { return nil }
func (*pinning) release()     {}
