package s3

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/storage"
)

// Notification configuration (?notification): which object events of a
// bucket go to which queue, topic or function. Matching events are
// appended to the bucket's event log (notification_event.go); delivering
// them is the job of a dispatcher outside this package.

// NotificationConfiguration is a bucket's notification document.
type NotificationConfiguration struct {
	XMLName   xml.Name             `xml:"NotificationConfiguration" json:"-"`
	Xmlns     string               `xml:"xmlns,attr,omitempty" json:"-"`
	Topics    []NotificationTarget `xml:"TopicConfiguration" json:"topics,omitempty"`
	Queues    []NotificationTarget `xml:"QueueConfiguration" json:"queues,omitempty"`
	Functions []NotificationTarget `xml:"CloudFunctionConfiguration" json:"functions,omitempty"`
	// EventBridge is stored and returned; no events are sent to it.
	EventBridge *eventBridgeElement `xml:"EventBridgeConfiguration" json:"eventBridge,omitempty"`
}

// eventBridgeElement is the empty EventBridgeConfiguration element.
type eventBridgeElement struct{}

// NotificationTarget is one configuration: a destination (exactly one of
// Topic, Queue and CloudFunction), the events it wants, and a key filter.
type NotificationTarget struct {
	ID            string              `xml:"Id,omitempty" json:"id"`
	Topic         string              `xml:"Topic,omitempty" json:"topic,omitempty"`
	Queue         string              `xml:"Queue,omitempty" json:"queue,omitempty"`
	CloudFunction string              `xml:"CloudFunction,omitempty" json:"function,omitempty"`
	Events        []string            `xml:"Event" json:"events"`
	Filter        *NotificationFilter `xml:"Filter" json:"filter,omitempty"`
}

// NotificationFilter selects keys by prefix and suffix.
type NotificationFilter struct {
	Rules []FilterRule `xml:"S3Key>FilterRule" json:"rules"`
}

// FilterRule is a prefix or suffix rule of a notification filter.
type FilterRule struct {
	Name  string `xml:"Name" json:"name"`
	Value string `xml:"Value" json:"value"`
}

// notificationEvents are the event types S3 accepts in a configuration.
var notificationEvents = []string{
	"s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
	"s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*",
	"s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*",
	"s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete", "s3:Replication:*",
	"s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
	"s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
	"s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put", "s3:LifecycleExpiration:*",
	"s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated", "s3:ObjectTagging:*",
	"s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
}

// Limits of a notification configuration.
const (
	maxNotificationConfigs = 100
	maxNotificationID      = 255
	maxFilterValue         = 1024
)

func (s *Service) putBucketNotification(rq *request) error {
	var cfg NotificationConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if err := s.validateNotification(&cfg); err != nil {
		return err
	}
	var stored any = &cfg
	if cfg.empty() {
		stored = nil // an empty document turns notifications off
	}
	testEvent := func(tx storage.Tx) error {
		if stored == nil {
			return nil
		}
		return s.appendTestEvents(rq.r.Context(), tx, rq.bucket, &cfg)
	}
	if err := s.storeConfig(rq.r.Context(), rq.bucket, configNotification, stored, testEvent); err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketNotification(rq *request) error {
	var cfg NotificationConfiguration
	if _, err := s.viewConfig(rq.r.Context(), rq.bucket, configNotification, &cfg); err != nil {
		return err
	}
	cfg.Xmlns = restxml.Namespace
	return s.writeXML(rq, http.StatusOK, &cfg)
}

func (c *NotificationConfiguration) empty() bool {
	return len(c.Topics)+len(c.Queues)+len(c.Functions) == 0 && c.EventBridge == nil
}

// each calls fn with every configuration of c and its destination ARN.
func (c *NotificationConfiguration) each(fn func(t *NotificationTarget, arn string) error) error {
	for _, list := range [][]NotificationTarget{c.Topics, c.Queues, c.Functions} {
		for i := range list {
			t := &list[i]
			if err := fn(t, t.Topic+t.Queue+t.CloudFunction); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateNotification applies S3's rules to cfg, with S3's answers, and
// names the configurations that have no Id.
func (s *Service) validateNotification(cfg *NotificationConfiguration) error {
	if len(cfg.Topics)+len(cfg.Queues)+len(cfg.Functions) > maxNotificationConfigs {
		return errInvalidRequest.New("Too many configurations submitted. The maximum number of configurations is 100")
	}
	ids := map[string]bool{}
	var checked []*NotificationTarget
	return cfg.each(func(t *NotificationTarget, arn string) error {
		if err := s.validateTarget(t, arn); err != nil {
			return err
		}
		if t.ID == "" {
			t.ID = newConfigID()
		}
		if ids[t.ID] {
			return errInvalidArgument.New("Same ID used for multiple configurations. IDs must be unique.")
		}
		ids[t.ID] = true
		for _, other := range checked {
			if err := checkOverlap(t, other); err != nil {
				return err
			}
		}
		checked = append(checked, t)
		return nil
	})
}

// validateTarget checks one configuration.
func (s *Service) validateTarget(t *NotificationTarget, arn string) error {
	if len(t.ID) > maxNotificationID {
		return errInvalidArgument.New("ID length exceeded allowed limit of 255").With("ArgumentName", "Id")
	}
	if arn == "" || len(t.Events) == 0 {
		return errMalformedXML.New(msgMalformedXML)
	}
	if !s.validDestination(t, arn) {
		return errInvalidArgument.New("Unable to validate the following destination configurations").
			With("ArgumentName", arn).With("ArgumentValue", "The destination ARN is not valid")
	}
	for i, e := range t.Events {
		if !slices.Contains(notificationEvents, e) {
			return errInvalidArgument.New("The event is not supported for notifications").With("ArgumentName", "Event").With("ArgumentValue", e)
		}
		for _, prev := range t.Events[:i] {
			if eventIncludes(prev, e) || eventIncludes(e, prev) {
				return errInvalidArgument.New(msgOverlap)
			}
		}
	}
	return validateFilter(t.Filter)
}

// validDestination reports whether arn names a destination of t's kind in
// the server's region.
func (s *Service) validDestination(t *NotificationTarget, arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[3] != s.region || parts[5] == "" {
		return false
	}
	switch {
	case t.Topic != "":
		return parts[2] == "sns"
	case t.Queue != "":
		return parts[2] == "sqs"
	}
	return parts[2] == "lambda" && strings.HasPrefix(parts[5], "function:")
}

// validateFilter checks a filter's rules and spells their names as S3
// returns them ("Prefix", "Suffix").
func validateFilter(f *NotificationFilter) error {
	if f == nil {
		return nil
	}
	seen := map[string]bool{}
	for i, r := range f.Rules {
		name := strings.ToLower(r.Name)
		switch name {
		case "prefix", "suffix":
		default:
			return errInvalidArgument.New("filter rule name must be either prefix or suffix").With("ArgumentName", "FilterRule.Name").With("ArgumentValue", r.Name)
		}
		if seen[name] {
			return errInvalidArgument.Newf("Cannot specify more than one %s rule in a filter.", name).With("ArgumentName", "FilterRule.Name").With("ArgumentValue", r.Name)
		}
		seen[name] = true
		if len(r.Value) > maxFilterValue {
			return errInvalidArgument.New("Size of filter rule value cannot exceed 1024 bytes in UTF-8 representation")
		}
		f.Rules[i].Name = strings.ToUpper(name[:1]) + name[1:]
	}
	return nil
}

const msgOverlap = "Configurations overlap. Configurations on the same bucket cannot share a common event type."

// checkOverlap refuses two configurations that share an event type and
// whose filters could both select one key.
func checkOverlap(a, b *NotificationTarget) error {
	shared := false
	for _, x := range a.Events {
		for _, y := range b.Events {
			shared = shared || eventIncludes(x, y) || eventIncludes(y, x)
		}
	}
	if !shared {
		return nil
	}
	pa, sa := a.Filter.values()
	pb, sb := b.Filter.values()
	if !(strings.HasPrefix(pa, pb) || strings.HasPrefix(pb, pa)) || !(strings.HasSuffix(sa, sb) || strings.HasSuffix(sb, sa)) {
		return nil
	}
	if a.Filter == nil && b.Filter == nil {
		return errInvalidArgument.New(msgOverlap)
	}
	return errInvalidArgument.New("Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.")
}

// values returns the filter's prefix and suffix ("" when absent).
func (f *NotificationFilter) values() (prefix, suffix string) {
	if f == nil {
		return "", ""
	}
	for _, r := range f.Rules {
		if strings.EqualFold(r.Name, "prefix") {
			prefix = r.Value
		} else {
			suffix = r.Value
		}
	}
	return prefix, suffix
}

// eventIncludes reports whether the configured event type pattern covers
// event ("s3:ObjectCreated:*" covers "s3:ObjectCreated:Put").
func eventIncludes(pattern, event string) bool {
	if pattern == event {
		return true
	}
	base, ok := strings.CutSuffix(pattern, "*")
	return ok && strings.HasPrefix(event, base)
}

// wants reports whether t asks for event (without the "s3:" prefix) on
// key.
func (t *NotificationTarget) wants(event, key string) bool {
	prefix, suffix := t.Filter.values()
	if !strings.HasPrefix(key, prefix) || !strings.HasSuffix(key, suffix) {
		return false
	}
	for _, e := range t.Events {
		if eventIncludes(e, "s3:"+event) {
			return true
		}
	}
	return false
}
