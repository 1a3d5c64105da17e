package s3

import (
	"encoding/base64"
	"encoding/xml"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fogbank/fogbank/internal/apierr"
	"github.com/fogbank/fogbank/internal/awsproto/restxml"
)

// Lifecycle configuration (?lifecycle): the V2 document, with a rule's
// objects selected by a Filter (or, as before V2, a rule-level Prefix).
// Its actions are taken by the lifecycle worker (lifecycle_sweep.go);
// transitions are validated and stored but change nothing, since Fogbank
// keeps one storage class.

var errNoSuchLifecycle = apierr.Def{Code: "NoSuchLifecycleConfiguration", Status: http.StatusNotFound}

// Limits of a lifecycle configuration.
const (
	maxLifecycleRules  = 1000
	maxLifecycleID     = 255
	maxLifecycleSize   = 1099511627776000 // S3's bound on ObjectSize filters
	transitionMinBytes = "all_storage_classes_128K"
)

// LifecycleConfiguration is a bucket's lifecycle document.
type LifecycleConfiguration struct {
	XMLName xml.Name        `xml:"LifecycleConfiguration" json:"-"`
	Xmlns   string          `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []LifecycleRule `xml:"Rule" json:"rules"`
}

// LifecycleRule is one rule of a lifecycle configuration.
type LifecycleRule struct {
	ID string `xml:"ID,omitempty" json:"id"`
	// Prefix is the rule-level prefix of configurations before V2.
	Prefix                       *string                       `xml:"Prefix" json:"prefix,omitempty"`
	Filter                       *LifecycleFilter              `xml:"Filter" json:"filter,omitempty"`
	Status                       string                        `xml:"Status" json:"status"`
	Expiration                   *LifecycleExpiration          `xml:"Expiration" json:"expiration,omitempty"`
	Transitions                  []LifecycleTransition         `xml:"Transition" json:"transitions,omitempty"`
	NoncurrentVersionTransitions []NoncurrentTransition        `xml:"NoncurrentVersionTransition" json:"noncurrentTransitions,omitempty"`
	NoncurrentVersionExpiration  *NoncurrentVersionExpiration  `xml:"NoncurrentVersionExpiration" json:"noncurrentExpiration,omitempty"`
	AbortIncompleteMultipart     *AbortIncompleteMultipartRule `xml:"AbortIncompleteMultipartUpload" json:"abortIncomplete,omitempty"`
}

// LifecycleFilter selects a rule's objects by one condition, or by all
// the conditions of And.
type LifecycleFilter struct {
	Prefix                *string             `xml:"Prefix" json:"prefix,omitempty"`
	Tag                   *Tag                `xml:"Tag" json:"tag,omitempty"`
	ObjectSizeGreaterThan *int64              `xml:"ObjectSizeGreaterThan" json:"gt,omitempty"`
	ObjectSizeLessThan    *int64              `xml:"ObjectSizeLessThan" json:"lt,omitempty"`
	And                   *LifecycleAndFilter `xml:"And" json:"and,omitempty"`
}

// LifecycleAndFilter is a conjunction of filter conditions.
type LifecycleAndFilter struct {
	Prefix                *string `xml:"Prefix" json:"prefix,omitempty"`
	Tags                  []Tag   `xml:"Tag" json:"tags,omitempty"`
	ObjectSizeGreaterThan *int64  `xml:"ObjectSizeGreaterThan" json:"gt,omitempty"`
	ObjectSizeLessThan    *int64  `xml:"ObjectSizeLessThan" json:"lt,omitempty"`
}

// LifecycleExpiration expires current versions after Days or on Date, or
// removes delete markers left without versions.
type LifecycleExpiration struct {
	Date                      *string `xml:"Date" json:"date,omitempty"`
	Days                      *int    `xml:"Days" json:"days,omitempty"`
	ExpiredObjectDeleteMarker *bool   `xml:"ExpiredObjectDeleteMarker" json:"expiredMarker,omitempty"`
}

// LifecycleTransition is stored and returned, never taken.
type LifecycleTransition struct {
	Date         *string `xml:"Date" json:"date,omitempty"`
	Days         *int    `xml:"Days" json:"days,omitempty"`
	StorageClass string  `xml:"StorageClass,omitempty" json:"class,omitempty"`
}

// NoncurrentTransition is stored and returned, never taken.
type NoncurrentTransition struct {
	NoncurrentDays          *int   `xml:"NoncurrentDays" json:"days,omitempty"`
	StorageClass            string `xml:"StorageClass,omitempty" json:"class,omitempty"`
	NewerNoncurrentVersions *int   `xml:"NewerNoncurrentVersions" json:"newer,omitempty"`
}

// NoncurrentVersionExpiration deletes versions NoncurrentDays after they
// stopped being current, keeping the NewerNoncurrentVersions newest.
type NoncurrentVersionExpiration struct {
	NoncurrentDays          *int `xml:"NoncurrentDays" json:"days,omitempty"`
	NewerNoncurrentVersions *int `xml:"NewerNoncurrentVersions" json:"newer,omitempty"`
}

// AbortIncompleteMultipartRule aborts uploads DaysAfterInitiation after
// they began.
type AbortIncompleteMultipartRule struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation" json:"days,omitempty"`
}

func (s *Service) putBucketLifecycle(rq *request) error {
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	if pc.md5 == nil && !pc.header && !pc.inTrailer { // S3 requires an integrity check here
		return errInvalidRequest.New(msgMissingMD5)
	}
	var cfg LifecycleConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if err := validateLifecycle(&cfg); err != nil {
		return err
	}
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configLifecycle, &cfg, nil); err != nil {
		return err
	}
	rq.w.Header().Set("X-Amz-Transition-Default-Minimum-Object-Size", transitionMinBytes)
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketLifecycle(rq *request) error {
	var cfg LifecycleConfiguration
	found, err := s.viewConfig(rq.r.Context(), rq.bucket, configLifecycle, &cfg)
	if err != nil {
		return err
	}
	if !found {
		return errNoSuchLifecycle.New("The lifecycle configuration does not exist").With("BucketName", rq.bucket)
	}
	cfg.Xmlns = restxml.Namespace
	rq.w.Header().Set("X-Amz-Transition-Default-Minimum-Object-Size", transitionMinBytes)
	return s.writeXML(rq, http.StatusOK, &cfg)
}

func (s *Service) deleteBucketLifecycle(rq *request) error {
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configLifecycle, nil, nil); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// validateLifecycle applies S3's rules to cfg, with S3's answers, and
// names the rules that have no ID.
func validateLifecycle(cfg *LifecycleConfiguration) error {
	if len(cfg.Rules) == 0 {
		return errMalformedXML.New(msgMalformedXML)
	}
	if len(cfg.Rules) > maxLifecycleRules {
		return errInvalidRequest.New("The number of lifecycle rules must not exceed the allowed limit of 1000 rules.")
	}
	ids := map[string]bool{}
	for i := range cfg.Rules {
		id := cfg.Rules[i].ID
		if len(id) > maxLifecycleID {
			return errInvalidArgument.New("ID length should not exceed allowed limit of 255").With("ArgumentName", "ID").With("ArgumentValue", id)
		}
		if id != "" && ids[id] {
			return errInvalidArgument.New("Rule ID must be unique. Found same ID for more than one rule").With("ArgumentName", "ID").With("ArgumentValue", id)
		}
		ids[id] = true
	}
	for i := range cfg.Rules {
		if err := validateLifecycleRule(&cfg.Rules[i]); err != nil {
			return err
		}
		if cfg.Rules[i].ID == "" {
			cfg.Rules[i].ID = newConfigID()
		}
	}
	return nil
}

// validateLifecycleRule checks one rule.
func validateLifecycleRule(r *LifecycleRule) error {
	if r.Status != "Enabled" && r.Status != "Disabled" {
		return errMalformedXML.New(msgMalformedXML)
	}
	if (r.Prefix == nil) == (r.Filter == nil) {
		return errMalformedXML.New(msgMalformedXML)
	}
	if err := validateLifecycleFilter(r.Filter); err != nil {
		return err
	}
	if r.Expiration == nil && r.NoncurrentVersionExpiration == nil && r.AbortIncompleteMultipart == nil &&
		len(r.Transitions) == 0 && len(r.NoncurrentVersionTransitions) == 0 {
		return errInvalidRequest.New("At least one action needs to be specified in a rule")
	}
	if err := validateExpiration(r.Expiration); err != nil {
		return err
	}
	if err := validateNoncurrent(r); err != nil {
		return err
	}
	return validateRuleScope(r)
}

// validateLifecycleFilter checks that a filter names at most one
// condition, and the sizes and tags it names.
func validateLifecycleFilter(f *LifecycleFilter) error {
	if f == nil {
		return nil
	}
	n := 0
	for _, set := range []bool{f.Prefix != nil, f.Tag != nil, f.ObjectSizeGreaterThan != nil, f.ObjectSizeLessThan != nil, f.And != nil} {
		if set {
			n++
		}
	}
	if n > 1 {
		return errMalformedXML.New(msgMalformedXML)
	}
	if f.Tag != nil && f.Tag.Key == "" {
		return errMalformedXML.New(msgMalformedXML)
	}
	gt, lt := f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
	if f.And != nil {
		seen := map[string]bool{}
		for _, t := range f.And.Tags {
			if t.Key == "" {
				return errMalformedXML.New(msgMalformedXML)
			}
			if seen[t.Key] {
				return errInvalidRequest.New("Duplicate Tag Keys are not allowed.")
			}
			seen[t.Key] = true
		}
		gt, lt = f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan
	}
	return validateSizes(gt, lt)
}

// validateSizes checks ObjectSizeGreaterThan and ObjectSizeLessThan.
func validateSizes(gt, lt *int64) error {
	if gt != nil && (*gt < 0 || *gt > maxLifecycleSize) {
		return errInvalidRequest.New("'ObjectSizeGreaterThan' should be between 0 and 1099511627776000.")
	}
	if lt != nil && (*lt < 1 || *lt > maxLifecycleSize) {
		return errInvalidRequest.New("'ObjectSizeLessThan' should be between 1 and 1099511627776000.")
	}
	if gt != nil && lt != nil && *lt <= *gt {
		return errInvalidRequest.New("'ObjectSizeLessThan' has to be a value greater than 'ObjectSizeGreaterThan'.")
	}
	return nil
}

// validateExpiration checks that an Expiration names exactly one of Date,
// Days and ExpiredObjectDeleteMarker, and its value.
func validateExpiration(e *LifecycleExpiration) error {
	if e == nil {
		return nil
	}
	if e.ExpiredObjectDeleteMarker != nil && (e.Days != nil || e.Date != nil) {
		return errInvalidArgument.New("ExpiredObjectDeleteMarker cannot be specified with Days or Date in a Lifecycle Expiration Policy")
	}
	if (e.Days != nil) == (e.Date != nil) && e.ExpiredObjectDeleteMarker == nil {
		return errMalformedXML.New(msgMalformedXML)
	}
	if e.Days != nil && *e.Days <= 0 {
		return errInvalidArgument.New("'Days' for Expiration action must be a positive integer").With("ArgumentName", "Days")
	}
	if e.Date != nil {
		d, err := parseLifecycleDate(*e.Date)
		if err != nil {
			return err
		}
		*e.Date = d.Format("2006-01-02T15:04:05.000Z")
	}
	return nil
}

// parseLifecycleDate parses an ISO 8601 date, which must be midnight UTC.
func parseLifecycleDate(v string) (time.Time, error) {
	d, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errMalformedXML.Wrap(err, msgMalformedXML)
	}
	d = d.UTC()
	if !d.Equal(d.Truncate(24 * time.Hour)) {
		return time.Time{}, errInvalidArgument.New("'Date' must be at midnight GMT").With("ArgumentName", "Date").With("ArgumentValue", v)
	}
	return d, nil
}

// validateNoncurrent checks NoncurrentVersionExpiration and
// AbortIncompleteMultipartUpload.
func validateNoncurrent(r *LifecycleRule) error {
	if n := r.NoncurrentVersionExpiration; n != nil {
		if n.NoncurrentDays == nil {
			return errMalformedXML.New(msgMalformedXML)
		}
		if *n.NoncurrentDays <= 0 {
			return errInvalidArgument.New("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer").With("ArgumentName", "NoncurrentDays")
		}
		if n.NewerNoncurrentVersions != nil && *n.NewerNoncurrentVersions <= 0 {
			return errInvalidArgument.New("'NewerNoncurrentVersions' must be a positive integer").With("ArgumentName", "NewerNoncurrentVersions")
		}
	}
	if a := r.AbortIncompleteMultipart; a != nil {
		if a.DaysAfterInitiation == nil {
			return errMalformedXML.New(msgMalformedXML)
		}
		if *a.DaysAfterInitiation <= 0 {
			return errInvalidArgument.New("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer").With("ArgumentName", "DaysAfterInitiation")
		}
	}
	for _, t := range r.Transitions {
		if (t.Days == nil) == (t.Date == nil) || t.StorageClass == "" {
			return errMalformedXML.New(msgMalformedXML)
		}
	}
	return nil
}

// validateRuleScope refuses the actions S3 does not take on objects chosen
// by tags or size: removing delete markers and aborting uploads.
func validateRuleScope(r *LifecycleRule) error {
	tags, sizes := r.filterUsesTags(), r.filterUsesSizes()
	marker := r.Expiration != nil && r.Expiration.ExpiredObjectDeleteMarker != nil
	abort := r.AbortIncompleteMultipart != nil
	switch {
	case marker && tags:
		return errInvalidRequest.New("ExpiredObjectDeleteMarker cannot be specified with Tags.")
	case marker && sizes:
		return errInvalidRequest.New("ExpiredObjectDeleteMarker cannot be specified with Object Size.")
	case abort && tags:
		return errInvalidRequest.New("AbortIncompleteMultipartUpload cannot be specified with Tags.")
	case abort && sizes:
		return errInvalidRequest.New("AbortIncompleteMultipartUpload cannot be specified with Object Size.")
	}
	return nil
}

func (r *LifecycleRule) filterUsesTags() bool {
	f := r.Filter
	return f != nil && (f.Tag != nil || f.And != nil && len(f.And.Tags) > 0)
}

func (r *LifecycleRule) filterUsesSizes() bool {
	f := r.Filter
	if f == nil {
		return false
	}
	if f.And != nil {
		return f.And.ObjectSizeGreaterThan != nil || f.And.ObjectSizeLessThan != nil
	}
	return f.ObjectSizeGreaterThan != nil || f.ObjectSizeLessThan != nil
}

// prefix is the key prefix the rule selects ("" for every key).
func (r *LifecycleRule) prefix() string {
	switch f := r.Filter; {
	case r.Prefix != nil:
		return *r.Prefix
	case f != nil && f.Prefix != nil:
		return *f.Prefix
	case f != nil && f.And != nil && f.And.Prefix != nil:
		return *f.And.Prefix
	}
	return ""
}

// matches reports whether the rule selects an object of that key, size
// and tags.
func (r *LifecycleRule) matches(key string, size int64, tags []Tag) bool {
	if !strings.HasPrefix(key, r.prefix()) {
		return false
	}
	f := r.Filter
	if f == nil {
		return true
	}
	want, gt, lt := []Tag(nil), f.ObjectSizeGreaterThan, f.ObjectSizeLessThan
	if f.Tag != nil {
		want = []Tag{*f.Tag}
	}
	if f.And != nil {
		want, gt, lt = f.And.Tags, f.And.ObjectSizeGreaterThan, f.And.ObjectSizeLessThan
	}
	if gt != nil && size <= *gt || lt != nil && size >= *lt {
		return false
	}
	for _, w := range want {
		if !slices.Contains(tags, w) {
			return false
		}
	}
	return true
}

// newConfigID returns an id for a rule or configuration named without
// one: like S3's, the base64 of a random UUID.
func newConfigID() string {
	return base64.StdEncoding.EncodeToString([]byte(uuid.NewString()))
}
