package s3

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Messages of POST policy failures, as S3 words them.
const (
	msgPolicyExpired   = "Invalid according to Policy: Policy expired."
	msgPolicyCondition = "Invalid according to Policy: Policy Condition failed: "
	msgPolicyExtra     = "Invalid according to Policy: Extra input fields: "
	msgPolicyJSON      = "Invalid Policy: Invalid JSON."
)

// postExemptFields need no policy condition.
var postExemptFields = map[string]bool{
	"file": true, "policy": true, "x-amz-signature": true, "signature": true, "awsaccesskeyid": true,
}

// policyCondition is one parsed condition of a POST policy.
type policyCondition struct {
	// op is "eq", "starts-with" or "content-length-range".
	op string
	// field is the lowercase form field name (without "$").
	field string
	value string
	// limits is content-length-range's.
	limits sizeRange
	// text is the condition as S3 quotes it in errors.
	text string
	// invalid marks a condition S3 cannot apply (a field without "$",
	// bad size bounds): it always fails.
	invalid bool
}

// checkPolicy decodes the base64 policy and enforces its expiration and
// conditions against the form (key is the key after ${filename}
// substitution); it returns the allowed file sizes.
func (s *Service) checkPolicy(rq *request, form *postForm, key, policy string) (sizeRange, error) {
	limits := sizeRange{min: 0, max: maxObjectSize}
	conds, expiration, err := parsePolicy(policy)
	if err != nil {
		return limits, err
	}
	if s.now().After(expiration) {
		return limits, errPolicyAccessDenied.New(msgPolicyExpired)
	}
	covered := map[string]bool{}
	for _, c := range conds {
		if c.invalid {
			return limits, errPolicyAccessDenied.New(msgPolicyCondition + c.text)
		}
		if c.op == "content-length-range" {
			limits = c.limits
			continue
		}
		covered[c.field] = true
		value, present := postFieldValue(rq, form, key, c.field)
		if !present || !c.matches(value) {
			return limits, errPolicyAccessDenied.New(msgPolicyCondition + c.text)
		}
	}
	for _, name := range form.names {
		lk := strings.ToLower(name)
		if !covered[lk] && !postExemptFields[lk] && !strings.HasPrefix(lk, "x-ignore-") {
			return limits, errPolicyAccessDenied.New(msgPolicyExtra + name)
		}
	}
	return limits, nil
}

// postFieldValue is what a condition on field compares: the request's
// bucket, the substituted key, or the form field.
func postFieldValue(rq *request, form *postForm, key, field string) (string, bool) {
	switch field {
	case "bucket":
		return rq.bucket, true
	case "key":
		return key, true
	}
	v, ok := form.values[field]
	return v, ok
}

// matches reports whether value satisfies an eq or starts-with condition.
// A Content-Type list satisfies starts-with when every member does.
func (c *policyCondition) matches(value string) bool {
	if c.op == "eq" {
		return value == c.value
	}
	if c.field != "content-type" {
		return strings.HasPrefix(value, c.value)
	}
	for member := range strings.SplitSeq(value, ",") {
		if !strings.HasPrefix(strings.TrimSpace(member), c.value) {
			return false
		}
	}
	return true
}

// parsePolicy decodes a base64 POST policy document.
func parsePolicy(policy string) ([]policyCondition, time.Time, error) {
	raw, err := base64.StdEncoding.DecodeString(policy)
	if err != nil {
		return nil, time.Time{}, errInvalidPolicyDoc.Wrap(err, "Invalid Policy: invalid Base64 encoding.")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, time.Time{}, errInvalidPolicyDoc.Wrap(err, msgPolicyJSON)
	}
	for name := range doc {
		if name != "expiration" && name != "conditions" {
			return nil, time.Time{}, errInvalidPolicyDoc.Newf("Invalid Policy: Unexpected: '%s'", strings.ToLower(name))
		}
	}
	expiration, err := parseExpiration(doc["expiration"])
	if err != nil {
		return nil, time.Time{}, err
	}
	if doc["conditions"] == nil {
		return nil, time.Time{}, errInvalidPolicyDoc.New("Invalid Policy: Policy missing conditions.")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(doc["conditions"], &items); err != nil {
		return nil, time.Time{}, errInvalidPolicyDoc.Wrap(err, "Invalid Policy: Invalid 'conditions' value: must be a List.")
	}
	conds := make([]policyCondition, 0, len(items))
	for _, item := range items {
		c, err := parseCondition(item)
		if err != nil {
			return nil, time.Time{}, err
		}
		conds = append(conds, c)
	}
	return conds, expiration, nil
}

// parseExpiration reads the policy's expiration, an ISO 8601 UTC time.
func parseExpiration(raw json.RawMessage) (time.Time, error) {
	if raw == nil {
		return time.Time{}, errInvalidPolicyDoc.New("Invalid Policy: Policy missing expiration.")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, errInvalidPolicyDoc.Wrap(err, msgPolicyJSON)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		return time.Time{}, errInvalidPolicyDoc.Newf("Invalid Policy: Invalid 'expiration' value: '%s'", s)
	}
	return t, nil
}

// parseCondition reads one condition: {"field": "value"} (exact match) or
// [op, "$field", value] or ["content-length-range", min, max]. Conditions
// S3 cannot apply (no "$", bad bounds) fail when evaluated, as on S3.
func parseCondition(raw json.RawMessage) (policyCondition, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) > 0 && raw[0] == '{':
		return parseSimpleCondition(raw)
	case len(raw) > 0 && raw[0] == '[':
		return parseListCondition(raw)
	}
	return policyCondition{}, errInvalidPolicyDoc.New("Invalid Policy: Invalid condition test: must be a List or Object.")
}

// parseSimpleCondition reads {"field": "value"}.
func parseSimpleCondition(raw json.RawMessage) (policyCondition, error) {
	var obj map[string]any
	if err := json.Unmarshal(raw, &obj); err != nil {
		return policyCondition{}, errInvalidPolicyDoc.Wrap(err, msgPolicyJSON)
	}
	if len(obj) != 1 {
		return policyCondition{}, errInvalidPolicyDoc.New(
			"Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.")
	}
	for name, v := range obj {
		value, ok := v.(string)
		if !ok {
			return policyCondition{}, errInvalidPolicyDoc.New("Invalid Policy: Invalid Simple-Condition: value must be a string.")
		}
		return policyCondition{op: "eq", field: strings.ToLower(name), value: value,
			text: conditionText("eq", "$"+name, value)}, nil
	}
	panic("unreachable")
}

// parseListCondition reads [op, args...].
func parseListCondition(raw json.RawMessage) (policyCondition, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var list []any
	if err := dec.Decode(&list); err != nil {
		return policyCondition{}, errInvalidPolicyDoc.Wrap(err, msgPolicyJSON)
	}
	if len(list) == 0 {
		return policyCondition{}, errInvalidPolicyDoc.New("Invalid Policy: Invalid Condition: missing operation identifier.")
	}
	op, _ := list[0].(string)
	op = strings.ToLower(op)
	c := policyCondition{op: op, text: conditionText(list...)}
	switch op {
	case "eq", "starts-with":
		if len(list) != 3 {
			return c, errInvalidPolicyDoc.Newf("Invalid Policy: Invalid %s: wrong number of arguments.", op)
		}
		field, _ := list[1].(string)
		value, ok := list[2].(string)
		if !ok {
			return c, errInvalidPolicyDoc.New(msgPolicyJSON)
		}
		name, hasDollar := strings.CutPrefix(field, "$")
		c.field, c.value, c.invalid = strings.ToLower(name), value, !hasDollar
	case "content-length-range":
		if len(list) != 3 {
			return c, errInvalidPolicyDoc.Newf("Invalid Policy: Invalid %s: wrong number of arguments.", op)
		}
		lo, okLo := policyInt(list[1])
		hi, okHi := policyInt(list[2])
		c.limits, c.invalid = sizeRange{min: lo, max: hi}, !okLo || !okHi || lo < 0 || hi < lo
	default:
		return c, errInvalidPolicyDoc.Newf("Invalid Policy: Invalid Condition: unknown operation '%s'.", op)
	}
	return c, nil
}

// policyInt reads a size bound: a JSON integer or a string of digits.
// A fractional number is invalid JSON to S3.
func policyInt(v any) (int64, bool) {
	switch v := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(v), 10, 64)
		return n, err == nil
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

// conditionText formats a condition as S3 quotes it: a JSON list with ", "
// between items.
func conditionText(items ...any) string {
	parts := make([]string, len(items))
	for i, item := range items {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(item); err != nil {
			parts[i] = fmt.Sprint(item)
			continue
		}
		parts[i] = strings.TrimSuffix(buf.String(), "\n")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
