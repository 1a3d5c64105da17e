package lambda

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/logship"
	"github.com/fogbank/fogbank/internal/rapi"
	"github.com/fogbank/fogbank/internal/storage"
)

// Invoke limits.
const (
	maxSyncPayload = 6 << 20 // request and response of RequestResponse
	maxTailLog     = 4 << 10 // X-Amz-Log-Result
)

// invocation is one run of a function version, and what came of it.
type invocation struct {
	id            string
	arn           string
	payload       []byte
	clientContext string
	version       *versionRecord

	// Results.
	output        []byte
	contentType   string
	functionError bool
	log           bytes.Buffer
	// wantLog is set when the caller wants the log (LogType Tail): it is
	// then complete when run returns.
	wantLog  bool
	logMarks []logMark // when the lines of log were written (logs.go)
}

// Invoke runs a function: RequestResponse (the result in the body),
// DryRun (204 after the checks) or Event (202 once queued durably; see
// async.go).
func (s *Service) Invoke(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, err := resolveInvoked(r)
	if err != nil {
		return nil, err
	}
	rec, err := s.invokedFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	vr, err := s.lookupVersion(rec, qualifier)
	if err != nil {
		return nil, err
	}
	inv := &invocation{id: logging.RequestID(ctx), arn: s.functionARN(name, qualifier), payload: r.Body, version: vr}
	if inv.id == "" {
		inv.id = newUUID()
	}
	if err := parseInvokeHeaders(r, inv); err != nil {
		return nil, err
	}
	inv.wantLog = r.Header("X-Amz-Log-Type") == "Tail"
	hdr := http.Header{"X-Amz-Executed-Version": {vr.Config.Version}}
	switch typ := r.Header("X-Amz-Invocation-Type"); typ {
	case "DryRun":
		return &restjson.Response{Status: http.StatusNoContent, Header: hdr}, nil
	case "Event":
		return s.enqueue(ctx, rec, qualifier, inv)
	case "", "RequestResponse":
	default:
		return nil, validationError(typ, "invocationType", "Member must satisfy enum value set: [Event, RequestResponse, DryRun]")
	}
	release, err := s.acquireSlot(name, rec.Reserved)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := s.run(context.WithoutCancel(ctx), inv); err != nil {
		return nil, err
	}
	if inv.functionError {
		hdr.Set("X-Amz-Function-Error", "Unhandled")
	}
	if r.Header("X-Amz-Log-Type") == "Tail" {
		hdr.Set("X-Amz-Log-Result", base64.StdEncoding.EncodeToString(tail(inv.log.Bytes(), maxTailLog)))
	}
	return &restjson.Response{Status: http.StatusOK, Header: hdr, ContentType: inv.contentType, Body: inv.output}, nil
}

// resolveInvoked is resolve with a fast path for the common FunctionName,
// a plain name.
func resolveInvoked(r *restjson.Request) (name, qualifier string, err error) {
	label := r.Label("FunctionName")
	if !isPlainName(label) {
		return resolve(r)
	}
	qualifier, err = qualifierOf("", r.Query("Qualifier"))
	return label, qualifier, err
}

// isPlainName reports whether s is a function name (nameRE) with no ARN
// parts or qualifier.
func isPlainName(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// functionTTL is how long an invocation trusts a function record read
// before. A change made through this node is seen at once (the change
// drops the cached record); one made through another node within
// functionTTL, as AWS's own configuration changes take effect within
// seconds.
const functionTTL = time.Second

// invokedFunction reads a function for an invocation, from the cache when
// it was read less than functionTTL ago. The decoded record is cached with
// the stored bytes it came from, and decoded again only when they changed.
// The record returned is shared: read-only.
func (s *Service) invokedFunction(ctx context.Context, name string) (*functionRecord, error) {
	c, cached := s.functions.Load(name)
	if cached && time.Since(c.(*cachedFunction).read) < functionTTL {
		return c.(*cachedFunction).rec, nil
	}
	read := time.Now()
	var raw []byte
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		raw, err = tx.Get(functionKey(name))
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		s.functions.Delete(name)
		return nil, functionNotFound(s.functionARN(name, ""))
	}
	if err != nil {
		return nil, fmt.Errorf("lambda: load function %q: %w", name, err)
	}
	var rec *functionRecord
	if cached && bytes.Equal(c.(*cachedFunction).raw, raw) {
		rec = c.(*cachedFunction).rec
	} else {
		rec = new(functionRecord)
		if err := json.Unmarshal(raw, rec); err != nil {
			return nil, fmt.Errorf("lambda: decode function %q: %w", name, err)
		}
	}
	s.functions.Store(name, &cachedFunction{raw: raw, rec: rec, read: read})
	return rec, nil
}

// cachedFunction is a decoded function record, the bytes it came from and
// when they were read.
type cachedFunction struct {
	raw  []byte
	rec  *functionRecord
	read time.Time
}

// parseInvokeHeaders validates the payload size and the optional headers.
func parseInvokeHeaders(r *restjson.Request, inv *invocation) error {
	if len(inv.payload) > maxSyncPayload {
		return errTooLarge.Newf("Request must be smaller than %d bytes for the InvokeFunction operation", maxSyncPayload)
	}
	switch lt := r.Header("X-Amz-Log-Type"); lt {
	case "", "None", "Tail":
	default:
		return validationError(lt, "logType", "Member must satisfy enum value set: [None, Tail]")
	}
	if cc := r.Header("X-Amz-Client-Context"); cc != "" {
		b, err := base64.StdEncoding.DecodeString(cc)
		if err != nil || !json.Valid(b) {
			return errInvalidParameter.New("Client context must be a valid Base64-encoded JSON object.")
		}
		inv.clientContext = string(b)
	}
	if len(inv.payload) > 0 && !json.Valid(inv.payload) {
		return errInvalidContent.New("Could not parse request body into json: Could not parse payload into json: Unexpected character: was expecting a JSON value")
	}
	return nil
}

// tail returns the last n bytes of b.
func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// acquireSlot counts an invocation of the function against its reserved
// concurrency; release gives the slot back.
func (s *Service) acquireSlot(name string, reserved *int) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errService.Wrap(errShutdown, "The server is shutting down.")
	}
	if reserved != nil && s.inFlight[name] >= *reserved {
		return nil, errTooManyRequests.New("Rate Exceeded.").With("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded")
	}
	s.inFlight[name]++
	s.runs.Add(1)
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.inFlight[name]--; s.inFlight[name] == 0 {
			delete(s.inFlight, name)
		}
		s.runs.Done()
	}, nil
}

// takeFreshEnv is takeEnv, retiring the warm environments whose
// credentials could expire before the invocation ends.
func (s *Service) takeFreshEnv(ctx context.Context, vr *versionRecord) (env *environment, cold bool, err error) {
	needed := time.Now().Add(time.Duration(vr.Config.Timeout)*time.Second + credentialsMargin)
	for {
		env, cold, err = s.takeEnv(ctx, vr)
		if err != nil || cold || env.credsExpire.IsZero() || env.credsExpire.After(needed) {
			return env, cold, err
		}
		s.releaseEnv(env, false)
	}
}

// errInterrupted is run's error when ctx ended before the function did
// (the Event queue worker stopping); the invocation has no result.
var errInterrupted = errors.New("lambda: invocation interrupted")

// run runs inv in an execution environment, filling in its results. It
// fails only for server faults; function failures are results. The
// invocation ends early only when ctx ends, so a synchronous Invoke passes
// a context a client hanging up does not cancel, as on AWS.
func (s *Service) run(ctx context.Context, inv *invocation) error {
	cfg := &inv.version.Config
	begin := time.Now()
	fmt.Fprintf(&inv.log, "START RequestId: %s Version: %s\n", inv.id, cfg.Version)
	env, cold, err := s.takeFreshEnv(ctx, inv.version)
	var entry *entrypointError
	if errors.As(err, &entry) {
		inv.fail("Runtime.InvalidEntrypoint", entry.msg)
		s.finishLog(inv, 0, 0, 0)
		s.ship(logBatch(inv, logStreamName(cfg.Version), begin, time.Now()))
		return nil
	}
	if err != nil {
		return err
	}
	if cold {
		waitInit(ctx, env)
	}
	timeout := time.Duration(cfg.Timeout) * time.Second
	invCtx, cancel := context.WithTimeoutCause(ctx, timeout, errTimeout)
	defer cancel()
	start := time.Now()
	env.proc.SetBusy(true)
	res, err := env.rapi.Deliver(invCtx, rapi.Invocation{
		RequestID: inv.id, Payload: inv.payload, Deadline: start.Add(timeout), FunctionARN: inv.arn,
		TraceID: traceID(), ClientContext: inv.clientContext,
	})
	env.proc.SetBusy(false)
	end := time.Now()
	if ctx.Err() != nil && !errors.Is(err, errTimeout) {
		s.releaseEnv(env, false)
		return fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
	}
	inv.appendRuntimeLog(env.proc.ReadLog())
	keep := s.outcome(inv, res, err, timeout)
	var initDur time.Duration
	if ready := env.rapi.ReadyAt(); cold && !ready.IsZero() {
		initDur = ready.Sub(env.proc.Started())
		start = ready
	}
	report := func() logship.Batch {
		s.finishLog(inv, end.Sub(start), initDur, env.proc.MaxMemory())
		return logBatch(inv, env.logStream, begin, time.Now())
	}
	if keep && !inv.wantLog {
		// Nobody waits for the END and REPORT lines: the log shipper
		// writes them after the answer (none without a log sink), and
		// the environment serves again at once.
		s.releaseEnv(env, true)
		s.shipper.ShipLater(report)
		return nil
	}
	s.ship(report())
	s.releaseEnv(env, keep)
	return nil
}

// initPhase bounds how long a new environment's runtime may initialise
// before the invocation's own timeout starts counting, as AWS's 10 s init
// phase does (a slower init then runs on in the invoke phase, under the
// function's timeout).
const initPhase = 10 * time.Second

// waitInit waits until the runtime of a new environment asks for its first
// event, fails, or has used up the init phase, so that the function's
// timeout counts from then, as on AWS.
func waitInit(ctx context.Context, env *environment) {
	t := time.NewTimer(initPhase)
	defer t.Stop()
	select {
	case <-env.rapi.Ready():
	case <-env.rapi.Dead():
	case <-t.C:
	case <-ctx.Done():
	}
}

// outcome records the result of Deliver in inv and reports whether the
// environment may serve again.
func (s *Service) outcome(inv *invocation, res rapi.Result, err error, timeout time.Duration) (keep bool) {
	var initErr *rapi.InitError
	var exitErr *exitError
	switch {
	case err == nil && res.ErrorType == "":
		inv.output, inv.contentType = res.Payload, res.ContentType
		if len(inv.output) > maxSyncPayload {
			inv.fail(rapi.ErrorTypeResponseTooLarge, fmt.Sprintf("Response payload size (%d bytes) exceeded maximum allowed payload size (%d bytes).", len(inv.output), maxSyncPayload))
		}
		return true
	case err == nil:
		inv.output, inv.contentType, inv.functionError = res.Payload, "application/json", true
		return res.ErrorType != rapi.ErrorTypeResponseTooLarge
	case errors.Is(err, errTimeout):
		msg := fmt.Sprintf("%s %s Task timed out after %.2f seconds", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), inv.id, timeout.Seconds())
		fmt.Fprintln(&inv.log, msg)
		inv.output, inv.contentType, inv.functionError = mustJSON(map[string]string{"errorMessage": msg}), "application/json", true
	case errors.As(err, &initErr):
		inv.output, inv.contentType, inv.functionError = initErr.Body, "application/json", true
	case errors.As(err, &exitErr):
		msg := fmt.Sprintf("RequestId: %s Error: %s", inv.id, exitErr.Error())
		fmt.Fprintf(&inv.log, "%s\nRuntime.ExitError\n", msg)
		inv.fail("Runtime.ExitError", msg)
	default:
		s.logger.Error("invoke failed", "request_id", inv.id, "err", err)
		inv.fail("Runtime.Unknown", "RequestId: "+inv.id+" Error: the execution environment failed")
	}
	return false
}

// fail sets a platform error as inv's result.
func (inv *invocation) fail(errorType, msg string) {
	inv.output = mustJSON(map[string]string{"errorType": errorType, "errorMessage": msg})
	inv.contentType, inv.functionError = "application/json", true
}

func mustJSON(v map[string]string) []byte {
	b, _ := json.Marshal(v) // string maps always encode
	return b
}

// finishLog appends the END and REPORT lines.
func (s *Service) finishLog(inv *invocation, dur, initDur time.Duration, maxRSS int64) {
	ms := float64(dur.Microseconds()) / 1000
	fmt.Fprintf(&inv.log, "END RequestId: %s\n", inv.id)
	fmt.Fprintf(&inv.log, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		inv.id, ms, int64(math.Ceil(ms)), inv.version.Config.MemorySize, maxRSS>>20)
	if initDur > 0 {
		fmt.Fprintf(&inv.log, "Init Duration: %.2f ms\t", float64(initDur.Microseconds())/1000)
	}
	inv.log.WriteByte('\n')
}

// traceID returns a fresh X-Ray trace header, not sampled.
func traceID() string {
	id := newUUID()
	hexID := id[:8] + id[9:13] + id[14:18] + id[19:23] + id[24:]
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", time.Now().Unix(), hexID[:24], hexID[16:32])
}
