package logs

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/fogbank/fogbank/internal/awsproto/awsjson"
	"github.com/fogbank/fogbank/internal/storage"
)

// Name rules and paging limits of the API.
var groupNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`) })

const (
	maxNameLen       = 512
	maxDescribeLimit = 50
)

// LogGroup is a log group as DescribeLogGroups describes it.
type LogGroup struct {
	LogGroupName  string `json:"logGroupName"`
	CreationTime  int64  `json:"creationTime"`
	Arn           string `json:"arn"`
	LogGroupArn   string `json:"logGroupArn"`
	StoredBytes   int64  `json:"storedBytes"`
	MetricFilters int    `json:"metricFilterCount"`
	LogGroupClass string `json:"logGroupClass"`
}

// CreateLogGroupInput is the body of CreateLogGroup.
type CreateLogGroupInput struct {
	LogGroupName string `json:"logGroupName"`
}

// DeleteLogGroupInput is the body of DeleteLogGroup.
type DeleteLogGroupInput struct {
	LogGroupName string `json:"logGroupName"`
}

// DescribeLogGroupsInput is the body of DescribeLogGroups.
type DescribeLogGroupsInput struct {
	LogGroupNamePrefix string `json:"logGroupNamePrefix"`
	NextToken          string `json:"nextToken"`
	Limit              *int   `json:"limit"`
}

// DescribeLogGroupsOutput is DescribeLogGroups' answer.
type DescribeLogGroupsOutput struct {
	LogGroups []LogGroup `json:"logGroups"`
	NextToken string     `json:"nextToken,omitempty"`
}

// Empty is the answer of the operations that return nothing.
type Empty struct{}

// validationError is Coral's ValidationException for one member.
func validationError(value, member, constraint string) error {
	return awsjson.ErrValidation.Newf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

func checkGroupName(name, member string) error {
	if len(name) < 1 || len(name) > maxNameLen {
		return validationError(name, member, "Member must have length between 1 and 512")
	}
	if !groupNameRE().MatchString(name) {
		return validationError(name, member, `Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+`)
	}
	return nil
}

// groupName returns the group a request names by logGroupName or by
// logGroupIdentifier (a name or an ARN).
func groupName(name, identifier string) (string, error) {
	if name != "" && identifier != "" {
		return "", errInvalidParam.New("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
	}
	if identifier != "" {
		_, after, ok := strings.Cut(identifier, ":log-group:")
		if ok {
			identifier = strings.TrimSuffix(after, ":*")
		}
		name = identifier
	}
	return name, checkGroupName(name, "logGroupName")
}

// CreateLogGroup creates an empty log group.
func (s *Service) CreateLogGroup(ctx context.Context, in *CreateLogGroupInput) (*Empty, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := loadGroup(tx, in.LogGroupName); err == nil {
			return errAlreadyExists.New(msgGroupExists)
		}
		return save(tx, groupKey(in.LogGroupName), groupRecord{CreationTime: s.nowMillis()})
	})
	return &Empty{}, err
}

// DeleteLogGroup deletes a log group with its streams and events.
func (s *Service) DeleteLogGroup(ctx context.Context, in *DeleteLogGroupInput) (*Empty, error) {
	if err := checkGroupName(in.LogGroupName, "logGroupName"); err != nil {
		return nil, err
	}
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		if _, err := loadGroup(tx, in.LogGroupName); err != nil {
			return err
		}
		if err := tx.Delete(groupKey(in.LogGroupName)); err != nil {
			return fmt.Errorf("logs: %w", err)
		}
		if err := deleteRange(tx, streamsOf(in.LogGroupName)); err != nil {
			return err
		}
		return deleteRange(tx, groupEvents(in.LogGroupName))
	})
	return &Empty{}, notFound(err)
}

// DescribeLogGroups lists log groups by name, optionally by name prefix.
func (s *Service) DescribeLogGroups(ctx context.Context, in *DescribeLogGroupsInput) (*DescribeLogGroupsOutput, error) {
	limit, err := describeLimit(in.Limit)
	if err != nil {
		return nil, err
	}
	start := groupKey(in.LogGroupNamePrefix)
	end := storage.PrefixEnd(start)
	if in.NextToken != "" {
		after, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, errInvalidParam.New(msgBadToken)
		}
		start = append(groupKey(string(after)), 0)
	}
	out := &DescribeLogGroupsOutput{LogGroups: []LogGroup{}}
	err = s.engine.View(ctx, func(tx storage.ReadTx) error {
		return s.scanGroups(tx, storage.Range{Start: start, End: end, Limit: limit + 1}, limit, out)
	})
	return out, err
}

// scanGroups fills out with up to limit groups of r, and its NextToken
// when there are more.
func (s *Service) scanGroups(tx storage.ReadTx, r storage.Range, limit int, out *DescribeLogGroupsOutput) error {
	var decodeErr error
	err := tx.Scan(r, func(k, v []byte) bool {
		name := string(k[len(groupsPrefix):])
		if len(out.LogGroups) == limit {
			out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(out.LogGroups[limit-1].LogGroupName))
			return false
		}
		g, err := s.describeGroup(tx, name, k, v)
		if err != nil {
			decodeErr = err
			return false
		}
		out.LogGroups = append(out.LogGroups, g)
		return true
	})
	if err != nil {
		return fmt.Errorf("logs: %w", err)
	}
	return decodeErr
}

// describeGroup builds the LogGroup of a stored group record.
func (s *Service) describeGroup(tx storage.ReadTx, name string, key, raw []byte) (LogGroup, error) {
	var g groupRecord
	if err := decode(key, raw, &g); err != nil {
		return LogGroup{}, err
	}
	streams, err := listStreams(tx, name, "")
	if err != nil {
		return LogGroup{}, err
	}
	var stored int64
	for _, st := range streams {
		stored += st.StoredBytes
	}
	arn := s.groupARN(name)
	return LogGroup{LogGroupName: name, CreationTime: g.CreationTime, Arn: arn + ":*", LogGroupArn: arn,
		StoredBytes: stored, LogGroupClass: "STANDARD"}, nil
}

// describeLimit validates a Describe* limit, defaulting to 50.
func describeLimit(limit *int) (int, error) {
	if limit == nil {
		return maxDescribeLimit, nil
	}
	if *limit < 1 || *limit > maxDescribeLimit {
		return 0, validationError(fmt.Sprint(*limit), "limit", "Member must have value less than or equal to 50")
	}
	return *limit, nil
}
