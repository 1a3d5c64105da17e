package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// machine is what the report says about where it ran.
type machine struct {
	date    string
	commit  string
	cores   int
	cpu     string
	virtual bool
	memGiB  float64
	load    string
	goVer   string
}

// describeMachine reads the machine's description from /proc and git.
func describeMachine(ctx context.Context) machine {
	m := machine{
		date:   time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		commit: gitCommit(ctx),
		cores:  runtime.NumCPU(),
		goVer:  runtime.Version(),
	}
	m.cpu, m.virtual = cpuModel()
	m.memGiB = float64(memTotalKiB()) / (1 << 20)
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil {
		m.load = strings.Join(strings.Fields(string(avg))[:3], " ")
	}
	return m
}

// describe renders the machine as one phrase.
func (m machine) describe() string {
	cpu := m.cpu
	if m.virtual {
		cpu += ", virtual machine"
	}
	return fmt.Sprintf("%d cores (%s), %.0f GiB memory, %s; load average %s when the report started",
		m.cores, cpu, m.memGiB, m.goVer, m.load)
}

// gitCommit returns the short commit hash, marked when the tree has
// uncommitted changes.
func gitCommit(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if status, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(status) > 0 {
		commit += " (with uncommitted changes)"
	}
	return commit
}

// cpuModel returns the first "model name" of /proc/cpuinfo and whether the
// CPU reports running under a hypervisor.
func cpuModel() (string, bool) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH, false
	}
	defer f.Close()
	model, virtual := runtime.GOARCH, false
	for sc := bufio.NewScanner(f); sc.Scan(); {
		key, value, ok := strings.Cut(sc.Text(), ":")
		switch key = strings.TrimSpace(key); {
		case !ok:
		case key == "model name":
			model = strings.TrimSpace(value)
		case key == "flags":
			virtual = strings.Contains(value, " hypervisor")
			return model, virtual
		}
	}
	return model, virtual
}

// memTotalKiB returns MemTotal from /proc/meminfo, 0 if unknown.
func memTotalKiB() int {
	meminfo, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(meminfo), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kib, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return kib
		}
	}
	return 0
}
