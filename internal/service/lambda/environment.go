package lambda

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/rapi"
	"github.com/fogbank/fogbank/internal/sandbox"
)

// environment is one execution environment: a runtime process and the
// Runtime API it polls.
type environment struct {
	key     string
	proc    *sandbox.Process
	rapi    *rapi.Server
	watched chan struct{} // closed when the exit watcher has returned
	// logStream is the log stream of this environment's function log.
	logStream string
	// invoked is false until the environment served its first invocation
	// (which then reports the Init Duration).
	invoked bool
	// credsExpire is when the environment's credentials expire.
	credsExpire time.Time
}

// exitError is the cause an invocation ends with when its runtime exited.
type exitError struct{ err error }

func (e *exitError) Error() string { return "Runtime exited with error: " + e.err.Error() }

// Causes an invocation may end with.
var (
	errTimeout  = errors.New("lambda: function timed out")
	errShutdown = errors.New("lambda: server shutting down")
)

// entrypointError is a runtime that cannot be started at all.
type entrypointError struct{ msg string }

func (e *entrypointError) Error() string { return e.msg }

// envKey names the pool of environments of one version as configured now.
func envKey(v *versionRecord) string {
	c := &v.Config
	return c.FunctionName + "/" + c.Version + "/" + c.RevisionID
}

// takeEnv returns a warm environment of vr or starts a new one; cold is
// true for a new one.
func (s *Service) takeEnv(ctx context.Context, vr *versionRecord) (env *environment, cold bool, err error) {
	key := envKey(vr)
	env, ok := s.pool.Get(key)
	if !ok {
		if env, err = s.startEnv(ctx, vr); err != nil {
			return nil, false, err
		}
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		s.stopEnv(env)
		return nil, false, errService.Wrap(errShutdown, "The server is shutting down.")
	}
	s.busy[env] = struct{}{}
	s.mu.Unlock()
	return env, !ok, nil
}

// releaseEnv returns env to the pool, or stops it when it is no longer usable.
func (s *Service) releaseEnv(env *environment, keep bool) {
	s.mu.Lock()
	delete(s.busy, env)
	s.mu.Unlock()
	if keep {
		s.pool.Put(env.key, env)
		return
	}
	s.stopEnv(env)
}

// mbPerCPU is the memory size that buys a function one CPU: Lambda
// allocates CPU power in proportion to memory, one vCPU's worth at
// 1,769 MB.
const mbPerCPU = 1769

// cpuShare returns how many CPUs a function of memory size mb may run on:
// one per 1,769 MB, rounded up. A Go runtime sizes GOMAXPROCS to it, so a
// small function does not keep spare threads spinning on a shared machine.
func cpuShare(mb int) int { return (mb + mbPerCPU - 1) / mbPerCPU }

// startEnv starts a runtime process for vr with its Runtime API.
func (s *Service) startEnv(ctx context.Context, vr *versionRecord) (*environment, error) {
	path, args, extraEnv, err := s.command(vr)
	if err != nil {
		return nil, err
	}
	creds, err := s.opts.Credentials(ctx, vr.Config.Role, vr.Config.FunctionName)
	if err != nil {
		return nil, fmt.Errorf("lambda: credentials of the execution environment: %w", err)
	}
	api := rapi.New(rapi.Options{Logger: s.logger})
	if err := api.Start(ctx); err != nil {
		return nil, err
	}
	taskRoot := s.code.taskRoot(vr.CodeHex)
	stream := logStreamName(vr.Config.Version)
	proc, err := sandbox.Start(sandbox.Spec{
		Path: path, Args: args, Dir: taskRoot, Root: s.sandboxDir,
		Env:         append(s.environ(vr, taskRoot, api.Addr(), stream, creds), extraEnv...),
		Paths:       []string{s.runtimeDir, s.opts.NodePath},
		MemoryLimit: int64(vr.Config.MemorySize) << 20,
		CPUs:        cpuShare(vr.Config.MemorySize),
	})
	if err != nil {
		return nil, errors.Join(err, api.Close())
	}
	env := &environment{key: envKey(vr), proc: proc, rapi: api, watched: make(chan struct{}), logStream: stream,
		credsExpire: creds.Expiration}
	go func() {
		defer close(env.watched)
		<-proc.Done()
		api.Fail(&exitError{err: proc.ExitError()})
	}()
	return env, nil
}

// stopEnv ends an environment's process and Runtime API.
func (s *Service) stopEnv(env *environment) {
	if err := env.proc.Stop(s.opts.StopGrace); err != nil {
		s.logger.Warn("stop sandbox", "err", err)
	}
	<-env.watched
	if err := env.rapi.Close(); err != nil {
		s.logger.Warn("close runtime API", "err", err)
	}
}

// command returns the program that runs vr's runtime, and the
// runtime-specific environment.
func (s *Service) command(vr *versionRecord) (path string, args, env []string, err error) {
	taskRoot := s.code.taskRoot(vr.CodeHex)
	switch runtimes[vr.Config.Runtime] {
	case kindProvided:
		bootstrap := filepath.Join(taskRoot, "bootstrap")
		if info, err := os.Stat(bootstrap); err != nil || info.IsDir() {
			return "", nil, nil, &entrypointError{msg: "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]"}
		}
		return bootstrap, nil, nil, nil
	case kindPython:
		python, err := s.interpreter(s.opts.Python, "-c", "import sys; print(sys.executable)")
		if err != nil {
			return "", nil, nil, err
		}
		return python, []string{filepath.Join(s.runtimeDir, pythonShim)}, []string{"PYTHONUNBUFFERED=1"}, nil
	case kindNode:
		node, err := s.interpreter(s.opts.Node, "-p", "process.execPath")
		if err != nil {
			return "", nil, nil, err
		}
		return node, []string{filepath.Join(s.runtimeDir, nodeShim)}, []string{"NODE_PATH=" + s.opts.NodePath}, nil
	}
	return "", nil, nil, fmt.Errorf("lambda: runtime %q has no command", vr.Config.Runtime)
}

// interpreters caches the absolute paths of the runtime interpreters
// (resolving shims such as pyenv's once).
var interpreters sync.Map

// interpreter returns the absolute path of the program name, asking it
// with args (which must print the path).
func (s *Service) interpreter(name string, args ...string) (string, error) {
	if p, ok := interpreters.Load(name); ok {
		return p.(string), nil
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return "", &entrypointError{msg: fmt.Sprintf("Fogbank could not run the host interpreter %s: %v", name, err)}
	}
	p := strings.TrimSpace(string(out))
	interpreters.Store(name, p)
	return p, nil
}

// environ returns the environment of a runtime process of vr, as Lambda
// sets it, then the function's own variables.
func (s *Service) environ(vr *versionRecord, taskRoot, runtimeAPI, logStream string, creds Credentials) []string {
	c := &vr.Config
	env := []string{
		"_HANDLER=" + c.Handler,
		"AWS_LAMBDA_FUNCTION_NAME=" + c.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION=" + c.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=" + strconv.Itoa(c.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME=" + c.LoggingConfig.LogGroup,
		"AWS_LAMBDA_LOG_STREAM_NAME=" + logStream,
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_RUNTIME_API=" + runtimeAPI,
		"AWS_REGION=" + s.opts.Region,
		"AWS_DEFAULT_REGION=" + s.opts.Region,
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID,
		"AWS_ACCESS_KEY=" + creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_ENDPOINT_URL=" + endpointURL(s.opts.ServerAddr()),
		"AWS_XRAY_CONTEXT_MISSING=LOG_ERROR",
		"LAMBDA_TASK_ROOT=" + taskRoot,
		"LAMBDA_RUNTIME_DIR=" + s.runtimeDir,
		"LANG=en_US.UTF-8",
		"TZ=:UTC",
		"PATH=" + os.Getenv("PATH"),
	}
	if creds.SessionToken != "" {
		env = append(env, "AWS_SESSION_TOKEN="+creds.SessionToken)
	}
	if runtimes[c.Runtime] != kindProvided {
		env = append(env, "AWS_EXECUTION_ENV=AWS_Lambda_"+c.Runtime)
	}
	if c.Environment != nil {
		for k, v := range c.Environment.Variables {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// logStreamName returns a log stream name as Lambda makes them:
// "2024/01/02/[$LATEST]<32 hex digits>".
func logStreamName(version string) string {
	return time.Now().UTC().Format("2006/01/02") + "/[" + version + "]" + strings.ReplaceAll(newUUID(), "-", "")
}
