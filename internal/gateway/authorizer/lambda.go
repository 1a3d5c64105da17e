package authorizer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"
	"sync"
	"time"
)

// ErrDenied is a Lambda authorizer's refusal (403 Forbidden on AWS).
var ErrDenied = errors.New("authorizer: denied")

// errMalformed is an authorizer response that cannot be read.
var errMalformed = errors.New("authorizer: malformed Lambda authorizer response")

// Result is what a Lambda authorizer answered.
type Result struct {
	// Simple is a simple response: Authorized decides.
	Simple     bool
	Authorized bool
	// PrincipalID and Policy are an IAM policy response's.
	PrincipalID string
	Policy      Policy
	// Context is the response's context, handed to the integration.
	Context map[string]any
}

// Allows reports whether the result admits a request for resourceARN
// (an execute-api ARN: arn:aws:execute-api:region:account:api/stage/METHOD/path).
func (r *Result) Allows(resourceARN string) bool {
	if r.Simple {
		return r.Authorized
	}
	return r.Policy.Allows("execute-api:Invoke", resourceARN)
}

// Policy is an IAM policy document.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement; Action and Resource may be a string
// or a list in the document.
type Statement struct {
	Effect   string      `json:"Effect"`
	Action   stringOrSet `json:"Action"`
	Resource stringOrSet `json:"Resource"`
}

// stringOrSet decodes an IAM string-or-list member.
type stringOrSet []string

// UnmarshalJSON implements json.Unmarshaler.
func (s *stringOrSet) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errMalformed
	}
	*s = many
	return nil
}

// Allows evaluates the policy: an explicit Deny wins, then an Allow;
// neither denies. Action and Resource match with the * and ? wildcards.
func (p Policy) Allows(action, resource string) bool {
	allowed := false
	for _, st := range p.Statement {
		if !st.Action.matches(action) || !st.Resource.matches(resource) {
			continue
		}
		switch strings.ToLower(st.Effect) {
		case "deny":
			return false
		case "allow":
			allowed = true
		}
	}
	return allowed
}

func (s stringOrSet) matches(v string) bool {
	for _, pat := range s {
		if wildcardMatch(pat, v) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM patterns: * any run (across /), ? one character.
func wildcardMatch(pattern, s string) bool {
	// path.Match's * stops at '/', so match with '/' swapped for a byte
	// that appears in neither, after escaping the pattern's other specials.
	const sep = "\x00"
	p := strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "/", sep).Replace(pattern)
	ok, err := path.Match(p, strings.ReplaceAll(s, "/", sep))
	return err == nil && ok
}

// ParseResponse reads a Lambda authorizer's response: a simple response
// ({"isAuthorized": bool, "context": {...}}) when simple, else an IAM
// policy response ({"principalId", "policyDocument", "context"}).
func ParseResponse(payload []byte, simple bool) (*Result, error) {
	var raw struct {
		IsAuthorized   *bool          `json:"isAuthorized"`
		PrincipalID    any            `json:"principalId"`
		PolicyDocument *Policy        `json:"policyDocument"`
		Context        map[string]any `json:"context"`
	}
	if err := json.Unmarshal(payload, &raw); err != nil {
		return nil, errMalformed
	}
	if simple {
		if raw.IsAuthorized == nil {
			return nil, errMalformed
		}
		return &Result{Simple: true, Authorized: *raw.IsAuthorized, Context: raw.Context}, nil
	}
	if raw.PolicyDocument == nil {
		return nil, errMalformed
	}
	res := &Result{Policy: *raw.PolicyDocument, Context: raw.Context}
	if raw.PrincipalID != nil {
		res.PrincipalID = fmt.Sprint(raw.PrincipalID)
	}
	return res, nil
}

// InvokeFunc runs an authorizer function synchronously and returns its
// response; a function error is an error.
type InvokeFunc func(ctx context.Context, function string, payload []byte) ([]byte, error)

// Caller calls Lambda authorizers, caching their results. It is safe for
// concurrent use.
type Caller struct {
	// Invoke runs the function. Required.
	Invoke InvokeFunc
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]cached
}

// cached is one cached result.
type cached struct {
	res     *Result
	expires time.Time
}

// maxCached bounds the cache; expired entries are swept when it is full.
const maxCached = 10000

// Call is one authorization.
type Call struct {
	// Function is the authorizer function's name or ARN.
	Function string
	// Event is the request event, marshalled to JSON.
	Event any
	// CacheKey identifies the caller (authorizer and identity values);
	// TTL is how long its result is reused (none when zero).
	CacheKey string
	TTL      time.Duration
	// Simple says the function gives simple responses.
	Simple bool
}

// Authorize returns the authorizer's result for c, from the cache when a
// fresh one is there. Errors are the function failing or answering
// something unreadable (500 on AWS).
func (c *Caller) Authorize(ctx context.Context, call Call) (*Result, error) {
	if res := c.lookup(call); res != nil {
		return res, nil
	}
	payload, err := json.Marshal(call.Event)
	if err != nil {
		return nil, fmt.Errorf("authorizer: encode event: %w", err)
	}
	out, err := c.Invoke(ctx, call.Function, payload)
	if err != nil {
		return nil, fmt.Errorf("authorizer: invoke %s: %w", call.Function, err)
	}
	res, err := ParseResponse(out, call.Simple)
	if err != nil {
		return nil, err
	}
	c.store(call, res)
	return res, nil
}

func (c *Caller) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Caller) lookup(call Call) *Result {
	if call.TTL <= 0 {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[call.CacheKey]
	if !ok || !c.now().Before(e.expires) {
		return nil
	}
	return e.res
}

func (c *Caller) store(call Call, res *Result) {
	if call.TTL <= 0 {
		return
	}
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cache == nil {
		c.cache = make(map[string]cached)
	}
	if len(c.cache) >= maxCached {
		for k, e := range c.cache {
			if !now.Before(e.expires) {
				delete(c.cache, k)
			}
		}
	}
	if len(c.cache) < maxCached {
		c.cache[call.CacheKey] = cached{res: res, expires: now.Add(call.TTL)}
	}
}
