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
	"github.com/fogbank/fogbank/internal/rapi"
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
}

// Invoke runs a function: RequestResponse (the result in the body),
// DryRun (204 after the checks) or Event (202 once queued durably; see
// async.go).
func (s *Service) Invoke(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, rec, vr, err := s.resolveVersion(ctx, r)
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
	env, cold, err := s.takeEnv(ctx, inv.version)
	var entry *entrypointError
	if errors.As(err, &entry) {
		inv.fail("Runtime.InvalidEntrypoint", entry.msg)
		s.finishLog(inv, 0, 0, 0)
		s.shipLogs(inv, logStreamName(cfg.Version), begin, time.Now())
		return nil
	}
	if err != nil {
		return err
	}
	timeout := time.Duration(cfg.Timeout) * time.Second
	invCtx, cancel := context.WithTimeoutCause(ctx, timeout, errTimeout)
	defer cancel()
	start := time.Now()
	res, err := env.rapi.Deliver(invCtx, rapi.Invocation{
		RequestID: inv.id, Payload: inv.payload, Deadline: start.Add(timeout), FunctionARN: inv.arn,
		TraceID: traceID(), ClientContext: inv.clientContext,
	})
	end := time.Now()
	if ctx.Err() != nil && !errors.Is(err, errTimeout) {
		s.releaseEnv(env, false)
		return fmt.Errorf("%w: %w", errInterrupted, context.Cause(ctx))
	}
	output, logErr := env.proc.ReadLog()
	inv.log.Write(output)
	keep := s.outcome(inv, res, err, timeout)
	var initDur time.Duration
	if ready := env.rapi.ReadyAt(); cold && !ready.IsZero() {
		initDur = ready.Sub(env.proc.Started())
		start = ready
	}
	s.finishLog(inv, end.Sub(start), initDur, env.proc.MaxRSS())
	s.shipLogs(inv, env.logStream, begin, time.Now())
	s.releaseEnv(env, keep)
	return logErr
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
