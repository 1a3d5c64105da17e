package s3

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// maxListKeys is the default and largest page of ListObjects.
const maxListKeys = 1000

// listQuery is what a listing asks for.
type listQuery struct {
	prefix, delimiter string
	// after is the key the listing starts after ("" for the beginning).
	after   string
	maxKeys int
}

// listPage is one page of a listing.
type listPage struct {
	objects   []objectEntry
	prefixes  []string
	truncated bool
	// last is the last key or common prefix of the page.
	last string
}

// parseListQuery reads the parameters both ListObjects versions share.
func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{prefix: q.Get("prefix"), delimiter: q.Get("delimiter"), maxKeys: maxListKeys}
	if v := q.Get("max-keys"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return lq, errInvalidArgument.New("Provided max-keys not an integer or within integer range").With("ArgumentName", "max-keys")
		}
		lq.maxKeys = min(n, maxListKeys)
	}
	if et := q.Get("encoding-type"); et != "" && et != "url" {
		return lq, errInvalidEncodingType.New("Invalid Encoding Method specified in Request").With("ArgumentName", "encoding-type")
	}
	return lq, nil
}

// list runs a listing of bucket: keys after lq.after with lq.prefix,
// rolled up into common prefixes at lq.delimiter.
func (s *Service) list(ctx context.Context, bucket string, lq listQuery) (*listPage, error) {
	var page *listPage
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		var err error
		page, err = s.scanPage(tx, bucket, lq)
		return err
	})
	return page, err
}

// scanPage collects one page. Each common prefix ends a scan, which then
// resumes past every key that shares it.
func (s *Service) scanPage(tx storage.ReadTx, bucket string, lq listQuery) (*listPage, error) {
	page := &listPage{}
	base := objectsOf(bucket)
	end := storage.PrefixEnd(append(bytes.Clone(base), lq.prefix...))
	start := append(bytes.Clone(base), lq.prefix...)
	if after := append(bytes.Clone(base), lq.after...); lq.after != "" && bytes.Compare(after, start) >= 0 {
		start = append(after, 0)
	}
	for start != nil {
		next, err := s.scanRun(tx, base, start, end, lq, page)
		if err != nil {
			return nil, err
		}
		start = next
	}
	return page, nil
}

// scanRun scans from start until the page is full, the range ends or a
// common prefix is found; it returns where to resume, nil when done.
func (s *Service) scanRun(tx storage.ReadTx, base, start, end []byte, lq listQuery, page *listPage) ([]byte, error) {
	var resume []byte
	var decodeErr error
	err := tx.Scan(storage.Range{Start: start, End: end}, func(k, v []byte) bool {
		key := string(k[len(base):])
		if len(page.objects)+len(page.prefixes) >= lq.maxKeys {
			page.truncated = true
			return false
		}
		if lq.delimiter != "" {
			if i := strings.Index(key[len(lq.prefix):], lq.delimiter); i >= 0 {
				cp := key[:len(lq.prefix)+i+len(lq.delimiter)]
				page.prefixes = append(page.prefixes, cp)
				page.last = cp
				resume = storage.PrefixEnd(append(bytes.Clone(base), cp...))
				return false
			}
		}
		var rec objectRecord
		if decodeErr = json.Unmarshal(v, &rec); decodeErr != nil {
			return false
		}
		page.objects = append(page.objects, s.entry(key, &rec))
		page.last = key
		return true
	})
	if err != nil {
		return nil, wrapf(err, "list")
	}
	if decodeErr != nil {
		return nil, wrapf(decodeErr, "decode object")
	}
	if resume != nil && end != nil && bytes.Compare(resume, end) >= 0 {
		resume = nil
	}
	return resume, nil
}

// entry is a listing's element for an object.
func (s *Service) entry(key string, rec *objectRecord) objectEntry {
	return objectEntry{
		Key: key, LastModified: formatTime(rec.LastModified), ETag: rec.ETag, Size: rec.Size,
		StorageClass: "STANDARD", ChecksumAlgorithm: rec.ChecksumAlgorithm,
	}
}

func (s *Service) listObjectsV2(rq *request) error {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		return err
	}
	token := rq.query.Get("continuation-token")
	lq.after = rq.query.Get("start-after")
	if token != "" {
		raw, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil {
			return errInvalidContinuation.New("The continuation token provided is incorrect").With("ArgumentName", "continuation-token")
		}
		lq.after = string(raw)
	}
	page, err := s.list(rq.r.Context(), rq.bucket, lq)
	if err != nil {
		return err
	}
	res := s.result(rq, lq, page)
	keyCount := len(page.objects) + len(page.prefixes)
	res.KeyCount, res.ContinuationToken = &keyCount, token
	res.StartAfter = encodeKey(rq.query.Get("start-after"), res.EncodingType)
	if page.truncated {
		res.NextContinuationToken = base64.RawURLEncoding.EncodeToString([]byte(page.last))
	}
	if rq.query.Get("fetch-owner") != "true" {
		for i := range res.Contents {
			res.Contents[i].Owner = nil
		}
	}
	return s.writeXML(rq, http.StatusOK, res)
}

func (s *Service) listObjectsV1(rq *request) error {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		return err
	}
	lq.after = rq.query.Get("marker")
	page, err := s.list(rq.r.Context(), rq.bucket, lq)
	if err != nil {
		return err
	}
	res := s.result(rq, lq, page)
	marker := encodeKey(lq.after, res.EncodingType)
	res.Marker = &marker
	if page.truncated {
		res.NextMarker = encodeKey(page.last, res.EncodingType)
	}
	return s.writeXML(rq, http.StatusOK, res)
}

// result builds the part of ListBucketResult both versions share.
func (s *Service) result(rq *request, lq listQuery, page *listPage) *listBucketResult {
	enc := rq.query.Get("encoding-type")
	res := &listBucketResult{
		Name: rq.bucket, Prefix: encodeKey(lq.prefix, enc), Delimiter: encodeKey(lq.delimiter, enc),
		MaxKeys: lq.maxKeys, EncodingType: enc, IsTruncated: page.truncated,
	}
	for _, o := range page.objects {
		o.Key = encodeKey(o.Key, enc)
		owner := s.owner
		o.Owner = &owner
		res.Contents = append(res.Contents, o)
	}
	for _, p := range page.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: encodeKey(p, enc)})
	}
	return res
}

// encodeKey applies encoding-type=url: each byte outside the unreserved
// set and "/" is percent-encoded.
func encodeKey(s, encoding string) string {
	if encoding != "url" {
		return s
	}
	return strings.ReplaceAll(url.PathEscape(s), "%2F", "/")
}

// maxDeleteObjects is DeleteObjects' largest batch.
const maxDeleteObjects = 1000

func (s *Service) deleteObjects(rq *request) error {
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	if pc.md5 == nil && !pc.header && !pc.inTrailer {
		return errInvalidRequest.New(msgMissingMD5)
	}
	var req deleteRequest
	if err := decodeXML(rq, &req); err != nil {
		return err
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteObjects {
		return errMalformedXML.New(msgMalformedXML)
	}
	if _, err := s.viewBucket(rq.r.Context(), rq.bucket); err != nil {
		return err
	}
	var res deleteResult
	for _, obj := range req.Objects {
		rec, err := s.removeObject(rq.r.Context(), rq.bucket, obj.Key, obj.VersionID)
		if err != nil {
			s.logger.WarnContext(rq.r.Context(), "delete object", slog.String("key", obj.Key), slog.Any(logging.KeyErr, err))
			res.Errors = append(res.Errors, deleteErrorEntry{Key: obj.Key, Code: "InternalError", Message: "We encountered an internal error. Please try again."})
			continue
		}
		if !req.Quiet {
			res.Deleted = append(res.Deleted, deletedEntry(obj.Key, obj.VersionID, rec))
		}
	}
	return s.writeXML(rq, http.StatusOK, &res)
}

// deletedEntry reports one deletion of a DeleteObjects batch.
func deletedEntry(key, versionID string, rec *objectRecord) deleted {
	d := deleted{Key: key, VersionID: versionID}
	if rec != nil && rec.DeleteMarker {
		d.DeleteMarker = true
		if versionID == "" {
			d.DeleteMarkerVersionID = rec.versionName()
		}
	}
	return d
}
