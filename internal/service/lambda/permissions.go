package lambda

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/awsproto/restjson"
)

var (
	statementIDRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^([a-zA-Z0-9-_.]+){1,100}$`) })
	accountRE     = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{12}$`) })
)

// PutFunctionConcurrency sets a function's reserved concurrency.
func (s *Service) PutFunctionConcurrency(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	var in Concurrency
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if in.ReservedConcurrentExecutions == nil || *in.ReservedConcurrentExecutions < 0 {
		return nil, validationError("null", "reservedConcurrentExecutions", "Member must have value greater than or equal to 0")
	}
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		rec.Reserved = in.ReservedConcurrentExecutions
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, in)
}

// GetFunctionConcurrency returns a function's reserved concurrency ({}
// when none is set).
func (s *Service) GetFunctionConcurrency(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, Concurrency{ReservedConcurrentExecutions: rec.Reserved})
}

// DeleteFunctionConcurrency removes a function's reserved concurrency.
func (s *Service) DeleteFunctionConcurrency(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := parseFunctionName(r.Label("FunctionName"))
	if err != nil {
		return nil, err
	}
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		rec.Reserved = nil
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}

// policyStatement is one statement of a function's resource policy.
type policyStatement struct {
	Sid       string                       `json:"Sid"`
	Effect    string                       `json:"Effect"`
	Principal any                          `json:"Principal"`
	Action    string                       `json:"Action"`
	Resource  string                       `json:"Resource"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// AddPermission adds a statement to the function's resource policy. The
// policy is stored and served; it is not enforced yet.
func (s *Service) AddPermission(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, qualifier, err := resolve(r)
	if err != nil {
		return nil, err
	}
	var in AddPermissionInput
	if err := decodeBody(r, &in); err != nil {
		return nil, err
	}
	if !statementIDRE().MatchString(in.StatementID) || len(in.StatementID) > 100 {
		return nil, validationError(in.StatementID, "statementId", `Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)`)
	}
	if in.Action == "" || in.Principal == "" {
		return nil, validationError("null", "action", "Member must not be null")
	}
	st := s.statement(name, qualifier, &in)
	raw, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if _, err := s.lookupVersion(rec, qualifier); err != nil {
			return err
		}
		if err := checkRevision(in.RevisionID, rec.PolicyRevID); err != nil {
			return err
		}
		for _, old := range rec.Policy {
			var o policyStatement
			if json.Unmarshal(old, &o) == nil && o.Sid == in.StatementID {
				return errConflict.New("The statement id (" + in.StatementID + ") provided already exists. Please provide a new statement id, or remove the existing statement.")
			}
		}
		rec.Policy = append(rec.Policy, raw)
		rec.PolicyRevID = newRevisionID()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusCreated, map[string]string{"Statement": string(raw)})
}

// statement builds the policy statement of an AddPermission request.
func (s *Service) statement(name, qualifier string, in *AddPermissionInput) policyStatement {
	action := in.Action
	if !strings.Contains(action, ":") {
		action = "lambda:" + action
	}
	st := policyStatement{Sid: in.StatementID, Effect: "Allow", Action: action, Resource: s.functionARN(name, qualifier)}
	switch {
	case in.Principal == "*":
		st.Principal = "*"
	case accountRE().MatchString(in.Principal):
		st.Principal = map[string]string{"AWS": "arn:aws:iam::" + in.Principal + ":root"}
	case strings.HasPrefix(in.Principal, "arn:"):
		st.Principal = map[string]string{"AWS": in.Principal}
	default:
		st.Principal = map[string]string{"Service": in.Principal}
	}
	cond := map[string]map[string]string{}
	if in.SourceArn != "" {
		cond["ArnLike"] = map[string]string{"AWS:SourceArn": in.SourceArn}
	}
	if in.SourceAccount != "" {
		cond["StringEquals"] = map[string]string{"AWS:SourceAccount": in.SourceAccount}
	}
	if in.PrincipalOrgID != "" {
		cond["StringEquals"] = map[string]string{"aws:PrincipalOrgID": in.PrincipalOrgID}
	}
	if len(cond) > 0 {
		st.Condition = cond
	}
	return st
}

// GetPolicy returns the function's resource policy.
func (s *Service) GetPolicy(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := resolve(r)
	if err != nil {
		return nil, err
	}
	rec, err := s.getFunction(ctx, name)
	if err != nil {
		return nil, err
	}
	if len(rec.Policy) == 0 {
		return nil, errNotFound.New("The resource you requested does not exist.")
	}
	policy, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": rec.Policy})
	if err != nil {
		return nil, err
	}
	return restjson.JSON(http.StatusOK, map[string]string{"Policy": string(policy), "RevisionId": rec.PolicyRevID})
}

// RemovePermission removes one statement from the resource policy.
func (s *Service) RemovePermission(ctx context.Context, r *restjson.Request) (*restjson.Response, error) {
	name, _, err := resolve(r)
	if err != nil {
		return nil, err
	}
	sid := r.Label("StatementId")
	_, err = s.updateFunction(ctx, name, func(rec *functionRecord) error {
		if err := checkRevision(r.Query("RevisionId"), rec.PolicyRevID); err != nil {
			return err
		}
		for i, raw := range rec.Policy {
			var st policyStatement
			if json.Unmarshal(raw, &st) == nil && st.Sid == sid {
				rec.Policy = append(rec.Policy[:i], rec.Policy[i+1:]...)
				rec.PolicyRevID = newRevisionID()
				return nil
			}
		}
		return errNotFound.New("Statement " + sid + " is not found in resource policy.")
	})
	if err != nil {
		return nil, err
	}
	return &restjson.Response{Status: http.StatusNoContent}, nil
}
