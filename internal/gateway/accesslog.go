package gateway

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fogbank/fogbank/internal/logship"
)

// accessLogFormat is a stage's compiled AccessLogSettings: the log group
// and the format split into literal runs and $context variables.
type accessLogFormat struct {
	group  string
	rest   bool // a REST API's stage: routeKey is "-", resourcePath is set
	pieces []logPiece
}

// logPiece is a literal run of a format or, with variable set, the name
// of a $context variable without "$context.", e.g. "identity.sourceIp".
type logPiece struct {
	text     string
	variable bool
}

// contextVariable matches $context variables: dotted names, never ending
// in a dot (so "$context.status." leaves the full stop to the text).
var contextVariable = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\$context\.[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*`)
})

// compileAccessLog compiles a stage's AccessLogSettings; nil when it has
// none, no format, or a destination that is no CloudWatch Logs group (a
// Firehose stream is not modelled).
func compileAccessLog(al *AccessLog, rest bool) *accessLogFormat {
	if al == nil || al.Format == "" {
		return nil
	}
	group, ok := logGroupOf(al.DestinationARN)
	if !ok {
		return nil
	}
	f := &accessLogFormat{group: group, rest: rest}
	last := 0
	for _, m := range contextVariable().FindAllStringIndex(al.Format, -1) {
		if m[0] > last {
			f.pieces = append(f.pieces, logPiece{text: al.Format[last:m[0]]})
		}
		f.pieces = append(f.pieces, logPiece{text: al.Format[m[0]+len("$context.") : m[1]], variable: true})
		last = m[1]
	}
	if last < len(al.Format) {
		f.pieces = append(f.pieces, logPiece{text: al.Format[last:]})
	}
	return f
}

// logGroupOf returns the log group of an ARN
// arn:<partition>:logs:<region>:<account>:log-group:<name>[:*].
func logGroupOf(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group" {
		return "", false
	}
	name := strings.TrimSuffix(parts[6], ":*")
	return name, name != ""
}

// accessEntry is what one access log line is rendered from.
type accessEntry struct {
	in      *incoming
	w       *recorder
	rest    bool
	latency time.Duration
}

// render writes the line: each variable's value, "-" for an empty one or
// one Fogbank does not know, as AWS writes unset variables.
func (f *accessLogFormat) render(e *accessEntry) string {
	var b strings.Builder
	for _, p := range f.pieces {
		if !p.variable {
			b.WriteString(p.text)
			continue
		}
		v := ""
		if get, ok := contextValues[p.text]; ok {
			v = get(e)
		}
		if v == "" {
			v = "-"
		}
		b.WriteString(v)
	}
	return b.String()
}

// millis renders a duration in whole milliseconds.
func millis(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }

// contextValues are the $context variables access logs render, by name.
var contextValues = map[string]func(e *accessEntry) string{
	"requestId":         func(e *accessEntry) string { return e.in.requestID },
	"extendedRequestId": func(e *accessEntry) string { return e.in.requestID },
	"accountId":         func(e *accessEntry) string { return e.in.accountID },
	"apiId":             func(e *accessEntry) string { return e.in.apiID },
	"domainName":        func(e *accessEntry) string { return e.in.domainName },
	"domainPrefix":      func(e *accessEntry) string { return e.in.apiID },
	"stage":             func(e *accessEntry) string { return e.in.stage.name },
	"httpMethod":        func(e *accessEntry) string { return e.in.r.Method },
	"path":              func(e *accessEntry) string { return e.in.rawPath },
	"protocol":          func(e *accessEntry) string { return e.in.r.Proto },
	"routeKey":          func(e *accessEntry) string { return e.route(false, func(cr *compiledRoute) string { return cr.Key }) },
	"resourcePath": func(e *accessEntry) string {
		return e.route(true, func(cr *compiledRoute) string { return cr.resource })
	},
	"resourceId":                    func(e *accessEntry) string { return e.route(true, func(cr *compiledRoute) string { return cr.ID }) },
	"identity.sourceIp":             func(e *accessEntry) string { return e.in.sourceIP },
	"identity.userAgent":            func(e *accessEntry) string { return e.in.r.UserAgent() },
	"requestTime":                   func(e *accessEntry) string { return e.in.received.UTC().Format(requestTimeFormat) },
	"requestTimeEpoch":              func(e *accessEntry) string { return strconv.FormatInt(e.in.received.UnixMilli(), 10) },
	"status":                        func(e *accessEntry) string { return strconv.Itoa(e.w.statusOrOK()) },
	"responseLength":                func(e *accessEntry) string { return strconv.FormatInt(e.w.bytes, 10) },
	"responseLatency":               func(e *accessEntry) string { return millis(e.latency) },
	"integrationLatency":            func(e *accessEntry) string { return e.integrationLatency() },
	"integration.latency":           func(e *accessEntry) string { return e.integrationLatency() },
	"integrationStatus":             func(e *accessEntry) string { return e.integrationStatus() },
	"integration.status":            func(e *accessEntry) string { return e.integrationStatus() },
	"integration.integrationStatus": func(e *accessEntry) string { return e.integrationStatus() },
	"error.message":                 func(e *accessEntry) string { return e.w.errorMessage },
	"error.messageString": func(e *accessEntry) string {
		if e.w.errorMessage == "" {
			return ""
		}
		return strconv.Quote(e.w.errorMessage)
	},
	"authorizer.error": func(e *accessEntry) string { return e.w.authorizerError },
}

// route renders a property of the matched route: restOnly ones only for
// REST APIs (resourcePath, resourceId), the others only for HTTP APIs
// (routeKey), as AWS sets them.
func (e *accessEntry) route(restOnly bool, get func(*compiledRoute) string) string {
	if e.in.route == nil || restOnly != e.rest {
		return ""
	}
	return get(e.in.route)
}

// integrationLatency is the integration's time in milliseconds, "" when
// none ran.
func (e *accessEntry) integrationLatency() string {
	if !e.w.integrated {
		return ""
	}
	return millis(e.w.integrationLatency)
}

// integrationStatus is the status the integration answered, "" when none.
func (e *accessEntry) integrationStatus() string {
	if e.w.integrationStatus == 0 {
		return ""
	}
	return strconv.Itoa(e.w.integrationStatus)
}

// logAccess appends the access log line of a request to its stage's log
// group, through the shipper (never waiting for storage); stages without
// AccessLogSettings and requests that reached no stage write none. The
// stream is "<apiId>_<stage>" (AWS names its streams opaquely).
func (h *Handler) logAccess(in *incoming, w *recorder, started time.Time) {
	if h.accessLogs == nil || in == nil || in.stage == nil || in.stage.accessLog == nil {
		return
	}
	f := in.stage.accessLog
	e := &accessEntry{in: in, w: w, rest: f.rest, latency: time.Since(started)}
	h.accessLogs.Ship(f.group, in.apiID+"_"+in.stage.name, []logship.Event{{Timestamp: h.opts.Now(), Message: f.render(e)}})
}

// noteError records the message of a gateway response written through w
// ($context.error.message).
func noteError(w http.ResponseWriter, message string) {
	if rec, ok := w.(*recorder); ok {
		rec.errorMessage = message
	}
}

// noteIntegration records that an integration ran from started, and the
// status it answered (0 for none).
func noteIntegration(w http.ResponseWriter, started time.Time, status int) {
	if rec, ok := w.(*recorder); ok {
		rec.integrated, rec.integrationLatency, rec.integrationStatus = true, time.Since(started), status
	}
}

// noteInvocation records a Lambda integration that answered: the
// invocation's span, and the Lambda service's status (200 when the
// function ran, whether or not it failed; none when it could not run).
func noteInvocation(w http.ResponseWriter, o *outcome) {
	status := 0
	if o.err == nil {
		status = http.StatusOK
	}
	noteIntegration(w, o.started, status)
}
