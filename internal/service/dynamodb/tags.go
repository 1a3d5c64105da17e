package dynamodb

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/storage"
)

// maxTags is AWS's per-resource tag limit.
const maxTags = 50

// TagResource adds tags to a table, replacing the values of existing keys.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*Empty, error) {
	var ce constraintErrors
	checkARNParam(&ce, in.ResourceArn)
	if in.Tags == nil {
		ce.addNull("tags")
	}
	for i, t := range in.Tags {
		member := "tags." + strconv.Itoa(i+1) + ".member."
		if len(t.Key) < 1 || len(t.Key) > 128 {
			ce.addString(t.Key, member+"key", "Member must have length between 1 and 128")
		}
		if len(t.Value) > 256 {
			ce.addString(t.Value, member+"value", "Member must have length less than or equal to 256")
		}
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	if len(in.Tags) == 0 {
		return nil, ErrValidation.New("Atleast one Tag needs to be provided as Input.")
	}
	err := s.updateTags(ctx, in.ResourceArn, func(tags []Tag) ([]Tag, error) {
		for _, nt := range in.Tags {
			i := slices.IndexFunc(tags, func(t Tag) bool { return t.Key == nt.Key })
			if i >= 0 {
				tags[i].Value = nt.Value
			} else {
				tags = append(tags, nt)
			}
		}
		if len(tags) > maxTags {
			return nil, ErrLimitExceeded.New("The number of tags for the resource exceeds the limit of 50")
		}
		return tags, nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// UntagResource removes tags from a table by key.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*Empty, error) {
	var ce constraintErrors
	checkARNParam(&ce, in.ResourceArn)
	if in.TagKeys == nil {
		ce.addNull("tagKeys")
	}
	if err := ce.err(); err != nil {
		return nil, err
	}
	if len(in.TagKeys) == 0 {
		return nil, ErrValidation.New("Atleast one Tag Key needs to be provided as Input.")
	}
	err := s.updateTags(ctx, in.ResourceArn, func(tags []Tag) ([]Tag, error) {
		return slices.DeleteFunc(tags, func(t Tag) bool { return slices.Contains(in.TagKeys, t.Key) }), nil
	})
	if err != nil {
		return nil, err
	}
	return &Empty{}, nil
}

// ListTagsOfResource lists a table's tags.
func (s *Service) ListTagsOfResource(ctx context.Context, in *ListTagsOfResourceInput) (*ListTagsOfResourceOutput, error) {
	var ce constraintErrors
	checkARNParam(&ce, in.ResourceArn)
	if err := ce.err(); err != nil {
		return nil, err
	}
	name, err := s.tableOfARN(in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t, err := s.viewTable(ctx, name)
	if ErrResourceNotFound.Is(err) {
		return nil, resourceARNNotFound(in.ResourceArn)
	}
	if err != nil {
		return nil, err
	}
	tags := slices.Clone(t.meta.Tags)
	if tags == nil {
		tags = []Tag{}
	}
	return &ListTagsOfResourceOutput{Tags: tags}, nil
}

// updateTags rewrites the tags of the table named by arn with fn.
func (s *Service) updateTags(ctx context.Context, arn string, fn func([]Tag) ([]Tag, error)) error {
	name, err := s.tableOfARN(arn)
	if err != nil {
		return err
	}
	err = s.opts.Engine.Update(ctx, func(tx storage.Tx) error {
		t, err := s.meta.loadTable(tx, name)
		if err != nil {
			return err
		}
		m := t.meta
		if m.Tags, err = fn(slices.Clone(m.Tags)); err != nil {
			return err
		}
		return storeTable(tx, m)
	})
	if errors.Is(err, errNoTable) {
		return resourceARNNotFound(arn)
	}
	return err
}

// checkARNParam applies the ResourceArn member's modeled constraints.
func checkARNParam(ce *constraintErrors, arn string) {
	if len(arn) < 1 || len(arn) > 1283 {
		ce.addString(arn, "resourceArn", "Member must have length between 1 and 1283")
	}
}

// tableOfARN returns the table named by a table ARN of this region and account.
func (s *Service) tableOfARN(arn string) (string, error) {
	prefix := "arn:aws:dynamodb:" + s.opts.Region + ":" + s.opts.AccountID + ":table/"
	name, ok := strings.CutPrefix(arn, prefix)
	if !strings.HasPrefix(arn, "arn:") || strings.Count(arn, ":") != 5 {
		return "", ErrValidation.New("Invalid TableArn: Invalid ResourceArn provided as input " + arn)
	}
	if !ok || !validName(name) {
		return "", resourceARNNotFound(arn)
	}
	return name, nil
}

// resourceARNNotFound is the tag operations' error for an unknown table (AWS's spelling).
func resourceARNNotFound(arn string) error {
	return ErrResourceNotFound.New("Requested resource not found: ResourcArn: " + arn + " not found")
}
