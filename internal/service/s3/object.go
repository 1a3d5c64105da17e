package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/logging"
)

// Request headers of the object operations.
const (
	headerCopySource        = "X-Amz-Copy-Source"
	headerMetadataDirective = "X-Amz-Metadata-Directive"
	headerChecksumMode      = "X-Amz-Checksum-Mode"
	metaPrefix              = "X-Amz-Meta-"
)

// storedHeaders are the representation headers kept with an object and
// returned by GetObject and HeadObject.
var storedHeaders = []string{"Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"}

// defaultContentType is what S3 reports for objects stored without one.
const defaultContentType = "binary/octet-stream"

// responseOverrides map GetObject's response-* query parameters to the
// headers they replace.
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// objectHeaders reads the stored headers and user metadata of a request.
func objectHeaders(r *http.Request) (headers, meta map[string]string, err error) {
	headers, meta = map[string]string{}, map[string]string{}
	for _, name := range storedHeaders {
		if v := r.Header.Get(name); v != "" {
			headers[name] = v
		}
	}
	size := 0
	for name, values := range r.Header {
		if suffix, ok := strings.CutPrefix(name, metaPrefix); ok && suffix != "" {
			meta[strings.ToLower(suffix)] = strings.Join(values, ",")
			size += len(suffix) + len(meta[strings.ToLower(suffix)])
		}
	}
	if size > maxMetadataSize {
		return nil, nil, errMetadataTooLarge.New(msgMetadataTooLong).With("MaxSizeAllowed", maxMetadataSize)
	}
	return headers, meta, nil
}

func (s *Service) putObject(rq *request) error {
	ctx := rq.r.Context()
	if rq.r.ContentLength > maxObjectSize {
		return errEntityTooLarge.New(msgEntityTooLarge).With("ProposedSize", rq.r.ContentLength).With("MaxSizeAllowed", int64(maxObjectSize))
	}
	headers, meta, err := objectHeaders(rq.r)
	if err != nil {
		return err
	}
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	if _, err := s.viewBucket(ctx, rq.bucket); err != nil {
		return err
	}
	body := newCheckingReader(rq.r, io.LimitReader(rq.r.Body, maxObjectSize+1), pc)
	blobID, size, err := s.blobs.Put(ctx, body)
	if err != nil {
		return readError(err)
	}
	if size > maxObjectSize {
		s.deleteBlob(ctx, blobID)
		return errEntityTooLarge.New(msgEntityTooLarge).With("MaxSizeAllowed", int64(maxObjectSize))
	}
	rec := &objectRecord{
		Size: size, ETag: body.etag(), LastModified: s.now().UTC().Truncate(time.Millisecond), BlobID: blobID,
		Headers: headers, Meta: meta, ChecksumAlgorithm: pc.alg, Checksum: body.checksum,
	}
	if err := s.commitObject(ctx, rq.bucket, rq.key, rec); err != nil {
		return err
	}
	rq.w.Header().Set("ETag", rec.ETag)
	if rec.Checksum != "" {
		rq.w.Header().Set(checksumHeader(rec.ChecksumAlgorithm), rec.Checksum)
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// commitObject stores rec once its blob is durable and deletes the blob it
// replaces; on failure the new blob is deleted again.
func (s *Service) commitObject(ctx context.Context, bucket, key string, rec *objectRecord) error {
	replaced, err := s.putObjectRecord(ctx, bucket, key, rec)
	if err != nil {
		s.deleteBlob(ctx, rec.BlobID)
		return err
	}
	if replaced != "" {
		s.deleteBlob(ctx, replaced)
	}
	return nil
}

// deleteBlob deletes a blob no record names any more. A failure only
// leaks space, so it is logged.
func (s *Service) deleteBlob(ctx context.Context, id string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), id); err != nil {
		s.logger.WarnContext(ctx, "delete blob", slog.String("blob", id), slog.Any(logging.KeyErr, err))
	}
}

// openObject returns an object's record and its open blob. An object
// overwritten between the two reads is read again.
func (s *Service) openObject(ctx context.Context, bucket, key string) (*objectRecord, blob.Reader, error) {
	for attempt := 0; ; attempt++ {
		rec, err := s.viewObject(ctx, bucket, key)
		if err != nil {
			return nil, nil, err
		}
		r, err := s.blobs.Open(ctx, rec.BlobID)
		if errors.Is(err, blob.ErrNotFound) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, nil, wrapf(err, "open object %s/%s", bucket, key)
		}
		return rec, r, nil
	}
}

// getObject serves GetObject (withBody) and HeadObject.
func (s *Service) getObject(rq *request, withBody bool) error {
	rec, r, err := s.openObject(rq.r.Context(), rq.bucket, rq.key)
	if err != nil {
		return err
	}
	defer r.Close()
	h := rq.w.Header()
	writeObjectHeaders(h, rec)
	if status := checkConditions(rq.r, rec); status != 0 {
		if status == http.StatusNotModified {
			rq.w.WriteHeader(status)
			return nil
		}
		return errPreconditionFailed.New(msgPrecondition).With("Condition", "If-Match")
	}
	start, length, partial, err := parseRange(rq.r.Header.Get("Range"), rec.Size)
	if err != nil {
		return err
	}
	for param, header := range responseOverrides {
		if v := rq.query.Get(param); v != "" {
			h.Set(header, v)
		}
	}
	h.Set("Content-Length", strconv.FormatInt(length, 10))
	status := http.StatusOK
	if partial {
		status = http.StatusPartialContent
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", start, start+length-1, rec.Size))
	} else if rec.Checksum != "" && strings.EqualFold(rq.r.Header.Get(headerChecksumMode), "ENABLED") {
		h.Set(checksumHeader(rec.ChecksumAlgorithm), rec.Checksum)
		h.Set("X-Amz-Checksum-Type", "FULL_OBJECT")
	}
	rq.w.WriteHeader(status)
	if withBody {
		if _, err := io.Copy(rq.w, io.NewSectionReader(r, start, length)); err != nil {
			s.logger.DebugContext(rq.r.Context(), "write object", slog.Any(logging.KeyErr, err))
		}
	}
	return nil
}

// writeObjectHeaders sets the headers every GetObject / HeadObject answer
// carries, 304s included.
func writeObjectHeaders(h http.Header, rec *objectRecord) {
	h.Set("ETag", rec.ETag)
	h.Set("Last-Modified", rec.LastModified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	h.Set("Content-Type", defaultContentType)
	for name, v := range rec.Headers {
		h.Set(name, v)
	}
	for name, v := range rec.Meta {
		h[metaPrefix+name] = []string{v}
	}
}

// checkConditions evaluates If-Match, If-Unmodified-Since, If-None-Match
// and If-Modified-Since in RFC 9110 order, returning 412, 304 or 0.
func checkConditions(r *http.Request, rec *objectRecord) int {
	modified := rec.LastModified.Truncate(time.Second)
	if v := r.Header.Get("If-Match"); v != "" {
		if !etagMatches(v, rec.ETag) {
			return http.StatusPreconditionFailed
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Unmodified-Since")); err == nil && modified.After(t) {
		return http.StatusPreconditionFailed
	}
	if v := r.Header.Get("If-None-Match"); v != "" {
		if etagMatches(v, rec.ETag) {
			return http.StatusNotModified
		}
	} else if t, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !modified.After(t) {
		return http.StatusNotModified
	}
	return 0
}

// etagMatches reports whether a comma-separated If-Match / If-None-Match
// list names etag (quoted or not) or is "*".
func etagMatches(list, etag string) bool {
	for v := range strings.SplitSeq(list, ",") {
		v = strings.TrimPrefix(strings.TrimSpace(v), "W/")
		if v == "*" || strings.Trim(v, `"`) == strings.Trim(etag, `"`) {
			return true
		}
	}
	return false
}

// parseRange interprets a single "bytes=" range over an object of size
// bytes. A missing, multi-part or malformed range selects the whole object
// (as S3 does); an unsatisfiable one is InvalidRange.
func parseRange(header string, size int64) (start, length int64, partial bool, err error) {
	spec, ok := strings.CutPrefix(strings.TrimSpace(header), "bytes=")
	if !ok || strings.Contains(spec, ",") {
		return 0, size, false, nil
	}
	first, last, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return 0, size, false, nil
	}
	unsatisfiable := errInvalidRange.New(msgInvalidRange).With("RangeRequested", header).With("ActualObjectSize", size)
	if first == "" { // suffix range: the last n bytes
		n, err := strconv.ParseInt(last, 10, 64)
		if err != nil || n < 0 {
			return 0, size, false, nil
		}
		if n == 0 || size == 0 {
			return 0, 0, false, unsatisfiable
		}
		n = min(n, size)
		return size - n, n, true, nil
	}
	start, err = strconv.ParseInt(first, 10, 64)
	if err != nil || start < 0 {
		return 0, size, false, nil
	}
	end := size - 1
	if last != "" {
		if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
			return 0, size, false, nil
		}
		end = min(end, size-1)
	}
	if start >= size {
		return 0, 0, false, unsatisfiable
	}
	return start, end - start + 1, true, nil
}

func (s *Service) deleteObject(rq *request) error {
	blobID, err := s.deleteObjectRecord(rq.r.Context(), rq.bucket, rq.key)
	if err != nil {
		return err
	}
	if blobID != "" {
		s.deleteBlob(rq.r.Context(), blobID)
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseCopySource splits x-amz-copy-source ("[/]bucket/key[?versionId=]",
// URL-encoded) into bucket and key.
func parseCopySource(v string) (bucket, key string, err error) {
	path, _, _ := strings.Cut(v, "?")
	decoded, uerr := url.PathUnescape(strings.TrimPrefix(path, "/"))
	bucket, key, ok := strings.Cut(decoded, "/")
	if uerr != nil || !ok || bucket == "" || key == "" {
		return "", "", errInvalidCopySource.New("Invalid copy source object key").With("ArgumentName", "x-amz-copy-source")
	}
	return bucket, key, nil
}

func (s *Service) copyObject(rq *request) error {
	ctx := rq.r.Context()
	srcBucket, srcKey, err := parseCopySource(rq.r.Header.Get(headerCopySource))
	if err != nil {
		return err
	}
	directive := strings.ToUpper(rq.r.Header.Get(headerMetadataDirective))
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errInvalidArgument.New("Unknown metadata directive.").With("ArgumentName", "x-amz-metadata-directive")
	}
	if srcBucket == rq.bucket && srcKey == rq.key && directive != "REPLACE" {
		return errInvalidRequest.New(msgCopyToItself)
	}
	src, r, err := s.openObject(ctx, srcBucket, srcKey)
	if err != nil {
		return err
	}
	defer r.Close()
	if _, err := s.viewBucket(ctx, rq.bucket); err != nil {
		return err
	}
	rec, err := s.copyRecord(rq, src, directive)
	if err != nil {
		return err
	}
	body := newCheckingReader(rq.r, io.NewSectionReader(r, 0, src.Size), payloadCheck{alg: rec.ChecksumAlgorithm})
	if rec.BlobID, rec.Size, err = s.blobs.Put(ctx, body); err != nil {
		return wrapf(err, "copy %s/%s", srcBucket, srcKey)
	}
	rec.ETag, rec.Checksum = body.etag(), body.checksum
	if err := s.commitObject(ctx, rq.bucket, rq.key, rec); err != nil {
		return err
	}
	res := copyObjectResult{LastModified: formatTime(rec.LastModified), ETag: rec.ETag}
	setChecksumElement(&res.Checksum, rec.ChecksumAlgorithm, rec.Checksum)
	return s.writeXML(rq, http.StatusOK, &res)
}

// copyRecord returns the new object's metadata: the source's (COPY) or the
// request's (REPLACE).
func (s *Service) copyRecord(rq *request, src *objectRecord, directive string) (*objectRecord, error) {
	rec := &objectRecord{
		LastModified: s.now().UTC().Truncate(time.Millisecond), Headers: maps.Clone(src.Headers), Meta: maps.Clone(src.Meta),
		ChecksumAlgorithm: src.ChecksumAlgorithm,
	}
	if directive == "REPLACE" {
		headers, meta, err := objectHeaders(rq.r)
		if err != nil {
			return nil, err
		}
		rec.Headers, rec.Meta = headers, meta
	}
	if alg := strings.ToUpper(rq.r.Header.Get("X-Amz-Checksum-Algorithm")); alg != "" {
		if _, ok := checksumAlgorithms[alg]; !ok {
			return nil, errInvalidRequest.Newf("Checksum algorithm %s is not supported.", alg)
		}
		rec.ChecksumAlgorithm = alg
	}
	return rec, nil
}

// setChecksumElement sets the element of alg to value.
func setChecksumElement(c *checksumElements, alg, value string) {
	switch alg {
	case "CRC32":
		c.CRC32 = value
	case "CRC32C":
		c.CRC32C = value
	case "CRC64NVME":
		c.CRC64NVME = value
	case "SHA1":
		c.SHA1 = value
	case "SHA256":
		c.SHA256 = value
	}
}
