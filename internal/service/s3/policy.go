package s3

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
)

// Bucket policies (?policy, ?policyStatus) and public access blocks
// (?publicAccessBlock) are validated and stored as S3 does, but not
// enforced: every authenticated request is allowed whatever they say,
// until IAM evaluation comes.

var (
	errMalformedPolicy  = apierr.Def{Code: "MalformedPolicy", Status: http.StatusBadRequest}
	errNoSuchPolicy     = apierr.Def{Code: "NoSuchBucketPolicy", Status: http.StatusNotFound}
	errNoSuchAccessBlk  = apierr.Def{Code: "NoSuchPublicAccessBlockConfiguration", Status: http.StatusNotFound}
	policyVersions      = []string{"2012-10-17", "2008-10-17"}
	principalKinds      = []string{"AWS", "Service", "CanonicalUser", "Federated"}
	maxBucketPolicySize = 20 << 10
)

// storedPolicy is a bucket policy as it was put.
type storedPolicy struct {
	Text   string `json:"text"`
	Public bool   `json:"public"`
}

func (s *Service) putBucketPolicy(rq *request) error {
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(newCheckingReader(rq.r, rq.r.Body, pc), int64(maxBucketPolicySize)+1))
	if err != nil {
		return readError(err)
	}
	if len(body) > maxBucketPolicySize {
		return errInvalidArgument.New("Policies must be less than 20 KB in size").With("ArgumentName", "Policy")
	}
	public, err := validatePolicy(body, rq.bucket)
	if err != nil {
		return err
	}
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configPolicy, &storedPolicy{Text: string(body), Public: public}, nil); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// viewPolicy returns the bucket's policy, or NoSuchBucketPolicy.
func (s *Service) viewPolicy(rq *request) (*storedPolicy, error) {
	var p storedPolicy
	found, err := s.viewConfig(rq.r.Context(), rq.bucket, configPolicy, &p)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchPolicy.New("The bucket policy does not exist").With("BucketName", rq.bucket)
	}
	return &p, nil
}

func (s *Service) getBucketPolicy(rq *request) error {
	p, err := s.viewPolicy(rq)
	if err != nil {
		return err
	}
	rq.w.Header().Set("Content-Type", "application/json")
	rq.w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(rq.w, p.Text)
	return nil
}

func (s *Service) deleteBucketPolicy(rq *request) error {
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configPolicy, nil, nil); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

type policyStatus struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	Xmlns    string   `xml:"xmlns,attr,omitempty"`
	IsPublic bool     `xml:"IsPublic"`
}

func (s *Service) getBucketPolicyStatus(rq *request) error {
	p, err := s.viewPolicy(rq)
	if err != nil {
		return err
	}
	return s.writeXML(rq, http.StatusOK, &policyStatus{Xmlns: restxml.Namespace, IsPublic: p.Public})
}

// policyDocument is the shape of a policy, its fields kept raw so that
// each can be checked as S3 checks it.
type policyDocument struct {
	Version   *string         `json:"Version"`
	ID        json.RawMessage `json:"Id"`
	Statement json.RawMessage `json:"Statement"`
}

type policyStatement struct {
	Sid          json.RawMessage `json:"Sid"`
	Effect       *string         `json:"Effect"`
	Principal    json.RawMessage `json:"Principal"`
	NotPrincipal json.RawMessage `json:"NotPrincipal"`
	Action       json.RawMessage `json:"Action"`
	NotAction    json.RawMessage `json:"NotAction"`
	Resource     json.RawMessage `json:"Resource"`
	NotResource  json.RawMessage `json:"NotResource"`
	Condition    json.RawMessage `json:"Condition"`
}

// validatePolicy checks a bucket policy as S3 does, with S3's
// MalformedPolicy messages, and reports whether it grants public access
// (allows Principal "*" without a condition).
func validatePolicy(body []byte, bucket string) (public bool, err error) {
	if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '{' {
		return false, errMalformedPolicy.New("Policies must be valid JSON and the first byte must be '{'")
	}
	var doc policyDocument
	if err := json.Unmarshal(body, &doc); err != nil {
		return false, errMalformedPolicy.Wrap(err, "This policy contains invalid Json")
	}
	if doc.Version != nil && !slices.Contains(policyVersions, *doc.Version) {
		return false, errMalformedPolicy.New("The policy must contain a valid version string")
	}
	if doc.Statement == nil {
		return false, errMalformedPolicy.New("Missing required field Statement")
	}
	var statements []policyStatement
	if err := unmarshalOneOrMany(doc.Statement, &statements); err != nil {
		return false, errMalformedPolicy.Wrap(err, "This policy contains invalid Json")
	}
	if len(statements) == 0 {
		return false, errMalformedPolicy.New("Could not parse the policy: Statement is empty!")
	}
	for i := range statements {
		p, err := validateStatement(&statements[i], bucket)
		if err != nil {
			return false, err
		}
		public = public || p
	}
	return public, nil
}

// validateStatement checks one statement and reports whether it grants
// public access.
func validateStatement(st *policyStatement, bucket string) (public bool, err error) {
	if st.Effect == nil {
		return false, errMalformedPolicy.New("Missing required field Effect")
	}
	if *st.Effect != "Allow" && *st.Effect != "Deny" {
		return false, errMalformedPolicy.Newf("Invalid effect: %s", *st.Effect)
	}
	if st.Principal == nil && st.NotPrincipal == nil {
		return false, errMalformedPolicy.New("Missing required field Principal")
	}
	wildcard, err := checkPrincipal(cmpRaw(st.Principal, st.NotPrincipal))
	if err != nil {
		return false, err
	}
	if st.Action == nil && st.NotAction == nil {
		return false, errMalformedPolicy.New("Missing required field Action")
	}
	actions, err := stringList(cmpRaw(st.Action, st.NotAction))
	if err != nil || len(actions) == 0 {
		return false, errMalformedPolicy.New("Policy has invalid action")
	}
	for _, a := range actions {
		if a != "*" && !strings.HasPrefix(strings.ToLower(a), "s3:") {
			return false, errMalformedPolicy.New("Policy has invalid action")
		}
	}
	if st.Resource == nil && st.NotResource == nil {
		return false, errMalformedPolicy.New("Missing required field Resource")
	}
	resources, err := stringList(cmpRaw(st.Resource, st.NotResource))
	if err != nil || len(resources) == 0 {
		return false, errMalformedPolicy.New("Policy has invalid resource")
	}
	for _, r := range resources {
		if !resourceOfBucket(r, bucket) {
			return false, errMalformedPolicy.New("Policy has invalid resource")
		}
	}
	return *st.Effect == "Allow" && st.Principal != nil && wildcard && st.Condition == nil, nil
}

// checkPrincipal checks a Principal ("*" or {"AWS": ..., "Service": ...})
// and reports whether it names everyone.
func checkPrincipal(raw json.RawMessage) (wildcard bool, err error) {
	invalid := errMalformedPolicy.New("Invalid principal in policy")
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return false, invalid
		}
		return true, nil
	}
	var kinds map[string]json.RawMessage
	if err := json.Unmarshal(raw, &kinds); err != nil || len(kinds) == 0 {
		return false, invalid
	}
	for kind, v := range kinds {
		ids, err := stringList(v)
		if !slices.Contains(principalKinds, kind) || err != nil || len(ids) == 0 {
			return false, invalid
		}
		wildcard = wildcard || kind == "AWS" && slices.Contains(ids, "*")
	}
	return wildcard, nil
}

// resourceOfBucket reports whether an ARN names the bucket or objects in
// it.
func resourceOfBucket(arn, bucket string) bool {
	rest, ok := strings.CutPrefix(arn, "arn:aws:s3:::")
	if !ok {
		return false
	}
	name, _, _ := strings.Cut(rest, "/")
	return name == bucket || strings.ContainsAny(name, "*?") && wildcardMatch(name, bucket)
}

// wildcardMatch matches s against a pattern of literal text, "*" and "?".
func wildcardMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if wildcardMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && wildcardMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && wildcardMatch(pattern[1:], s[1:])
}

// stringList decodes a JSON string or array of strings.
func stringList(raw json.RawMessage) ([]string, error) {
	var list []string
	err := unmarshalOneOrMany(raw, &list)
	return list, err
}

// unmarshalOneOrMany decodes a JSON array, or a single value as an array
// of one, into list.
func unmarshalOneOrMany[T any](raw json.RawMessage, list *[]T) error {
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '[' {
		return json.Unmarshal(raw, list)
	}
	var one T
	if err := json.Unmarshal(raw, &one); err != nil {
		return err
	}
	*list = []T{one}
	return nil
}

// cmpRaw returns a, or b when a is absent.
func cmpRaw(a, b json.RawMessage) json.RawMessage {
	if a != nil {
		return a
	}
	return b
}

// PublicAccessBlockConfiguration is a bucket's public access block.
type PublicAccessBlockConfiguration struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration" json:"-"`
	Xmlns                 string   `xml:"xmlns,attr,omitempty" json:"-"`
	BlockPublicAcls       bool     `xml:"BlockPublicAcls" json:"blockPublicAcls"`
	IgnorePublicAcls      bool     `xml:"IgnorePublicAcls" json:"ignorePublicAcls"`
	BlockPublicPolicy     bool     `xml:"BlockPublicPolicy" json:"blockPublicPolicy"`
	RestrictPublicBuckets bool     `xml:"RestrictPublicBuckets" json:"restrictPublicBuckets"`
}

func (s *Service) putPublicAccessBlock(rq *request) error {
	var cfg PublicAccessBlockConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configPublicAccessBlock, &cfg, nil); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getPublicAccessBlock(rq *request) error {
	var cfg PublicAccessBlockConfiguration
	found, err := s.viewConfig(rq.r.Context(), rq.bucket, configPublicAccessBlock, &cfg)
	if err != nil {
		return err
	}
	if !found {
		return errNoSuchAccessBlk.New("The public access block configuration was not found").With("BucketName", rq.bucket)
	}
	cfg.Xmlns = restxml.Namespace
	return s.writeXML(rq, http.StatusOK, &cfg)
}

func (s *Service) deletePublicAccessBlock(rq *request) error {
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configPublicAccessBlock, nil, nil); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}
