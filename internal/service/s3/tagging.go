package s3

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
)

// maxObjectTags is the most tags an object may carry.
const maxObjectTags = 10

// parseTaggingHeader reads x-amz-tagging, a URL-encoded query string of
// tags.
func parseTaggingHeader(v string) ([]Tag, error) {
	if v == "" {
		return nil, nil
	}
	q, err := url.ParseQuery(v)
	if err != nil {
		return nil, errInvalidArgument.New("The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.").
			With("ArgumentName", "x-amz-tagging")
	}
	var tags []Tag
	for key, values := range q {
		if len(values) > 1 {
			return nil, errInvalidTag.New("Cannot provide multiple Tags with the same key").With("TagKey", key)
		}
		tags = append(tags, Tag{Key: key, Value: values[0]})
	}
	slices.SortFunc(tags, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	return tags, validateObjectTags(tags)
}

// validateObjectTags applies S3's rules for an object's tag set.
func validateObjectTags(tags []Tag) error {
	if len(tags) > maxObjectTags {
		return errInvalidTag.New("Object tags cannot be greater than 10")
	}
	return validateTags(tags)
}

func (s *Service) getObjectTagging(rq *request) error {
	rec, err := s.viewVersion(rq.r.Context(), rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), rec)
	return s.writeXML(rq, http.StatusOK, &Tagging{Xmlns: restxml.Namespace, TagSet: rec.Tags})
}

func (s *Service) putObjectTagging(rq *request) error {
	var doc Tagging
	if err := decodeXML(rq, &doc); err != nil {
		return err
	}
	if err := validateObjectTags(doc.TagSet); err != nil {
		return err
	}
	return s.setObjectTags(rq, doc.TagSet, http.StatusOK)
}

func (s *Service) deleteObjectTagging(rq *request) error {
	return s.setObjectTags(rq, nil, http.StatusNoContent)
}

// setObjectTags replaces the tags of the version rq names.
func (s *Service) setObjectTags(rq *request, tags []Tag, status int) error {
	rec, err := s.updateVersion(rq.r.Context(), rq.bucket, rq.key, rq.query.Get("versionId"), func(rec *objectRecord) error {
		rec.Tags = tags
		return nil
	})
	if err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), rec)
	rq.w.WriteHeader(status)
	return nil
}
