package lambda

import (
	"encoding/json"
	"strings"
	"time"
)

// Conditions of an invocation record: how an Event invocation ended.
const (
	conditionSuccess          = "Success"
	conditionRetriesExhausted = "RetriesExhausted"
	conditionEventAgeExceeded = "EventAgeExceeded"
)

// eventResponse is the result of an Event invocation's latest run, kept
// for its invocation record.
type eventResponse struct {
	ExecutedVersion string `json:"ExecutedVersion"`
	FunctionError   string `json:"FunctionError,omitempty"`
	Payload         []byte `json:"Payload,omitempty"`
}

// eventEnd is how an Event invocation ended, and what goes to its
// destination.
type eventEnd struct {
	// condition is Success, RetriesExhausted or EventAgeExceeded; empty
	// when the event was dropped for another reason.
	condition string
	// reason says why a dropped event was dropped.
	reason string
	// destination is the ARN the record goes to; empty for none.
	destination string
	// record is the invocation record (JSON), when there is a destination.
	record []byte
}

// invocationRecord is what Lambda sends to an Event invocation's
// destination.
type invocationRecord struct {
	Version         string           `json:"version"`
	Timestamp       string           `json:"timestamp"`
	RequestContext  recordRequest    `json:"requestContext"`
	RequestPayload  json.RawMessage  `json:"requestPayload"`
	ResponseContext *recordResponse  `json:"responseContext,omitempty"`
	ResponsePayload *json.RawMessage `json:"responsePayload,omitempty"`
}

type recordRequest struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

type recordResponse struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// ended returns the end of ev under condition after invokes runs, the
// latest with result resp (nil when it never ran), with the invocation
// record for the destination cfg names for the condition.
func (s *Service) ended(ev *queuedEvent, cfg eventInvokeRecord, condition string, invokes int, resp *eventResponse) *eventEnd {
	end := &eventEnd{condition: condition, destination: cfg.destination(condition)}
	if condition != conditionSuccess {
		end.reason = condition
	}
	if end.destination == "" {
		return end
	}
	qualifier := ev.Qualifier
	if qualifier == "" {
		qualifier = latest
	}
	rec := invocationRecord{Version: "1.0", Timestamp: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		RequestContext: recordRequest{RequestID: ev.ID, FunctionArn: s.functionARN(ev.Function, qualifier),
			Condition: condition, ApproximateInvokeCount: invokes},
		RequestPayload: rawJSON(ev.Payload)}
	if resp != nil {
		rec.ResponseContext = &recordResponse{StatusCode: 200, ExecutedVersion: resp.ExecutedVersion, FunctionError: resp.FunctionError}
		payload := rawJSON(resp.Payload)
		rec.ResponsePayload = &payload
	}
	end.record, _ = json.Marshal(rec) // raw members are valid JSON
	return end
}

// destination returns the destination ARN for an event that ended under
// condition; empty for none.
func (e eventInvokeRecord) destination(condition string) string {
	d := e.DestinationConfig
	switch {
	case d == nil:
		return ""
	case condition == conditionSuccess && d.OnSuccess != nil:
		return d.OnSuccess.Destination
	case condition != conditionSuccess && d.OnFailure != nil:
		return d.OnFailure.Destination
	}
	return ""
}

// rawJSON returns b as a JSON value: itself when valid JSON, null when
// empty, else a string.
func rawJSON(b []byte) json.RawMessage {
	switch {
	case len(b) == 0:
		return json.RawMessage("null")
	case json.Valid(b):
		return b
	}
	s, _ := json.Marshal(string(b)) // strings always encode
	return s
}

// destinationEvent returns the Event invocation that delivers end's record
// to its destination when that is a Lambda function
// (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]); nil
// for other destinations.
func destinationEvent(end *eventEnd) *queuedEvent {
	parts := strings.Split(end.destination, ":")
	if end.record == nil || len(parts) < 7 || len(parts) > 8 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
		return nil
	}
	now := time.Now()
	ev := &queuedEvent{ID: newUUID(), Function: parts[6], Payload: end.record, Enqueued: now.UnixMilli(), Due: now.UnixNano()}
	if len(parts) == 8 {
		ev.Qualifier = parts[7]
	}
	return ev
}
