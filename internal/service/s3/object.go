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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/storage"
)

// Request headers of the object operations.
const (
	headerCopySource        = "X-Amz-Copy-Source"
	headerMetadataDirective = "X-Amz-Metadata-Directive"
	headerChecksumMode      = "X-Amz-Checksum-Mode"
	headerTagging           = "X-Amz-Tagging"
	headerTaggingDirective  = "X-Amz-Tagging-Directive"
	headerVersionID         = "X-Amz-Version-Id"
	headerDeleteMarker      = "X-Amz-Delete-Marker"
	metaPrefix              = "X-Amz-Meta-"
)

// storedHeaders are the representation headers (and the website redirect
// location) kept with an object and returned by GetObject and HeadObject.
var storedHeaders = []string{"Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires", "X-Amz-Website-Redirect-Location"}

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
	tags, err := parseTaggingHeader(rq.r.Header.Get(headerTagging))
	if err != nil {
		return err
	}
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	if err := checkSSERequest(rq.r.Header); err != nil {
		return err
	}
	if _, err := s.viewBucket(ctx, rq.bucket); err != nil {
		return err
	}
	body := newCheckingReader(rq.r, io.LimitReader(rq.r.Body, maxObjectSize+1), pc)
	blobID, dataKey, size, err := s.putBlob(ctx, body)
	if err != nil {
		return readError(err)
	}
	if size > maxObjectSize {
		s.deleteBlob(ctx, blobID)
		return errEntityTooLarge.New(msgEntityTooLarge).With("MaxSizeAllowed", int64(maxObjectSize))
	}
	rec := &objectRecord{
		Size: size, ETag: body.etag(), LastModified: s.now().UTC().Truncate(time.Millisecond), BlobID: blobID, DataKey: dataKey,
		Headers: headers, Meta: meta, Tags: tags, ChecksumAlgorithm: pc.alg, Checksum: body.checksum,
	}
	if err := s.commitObject(ctx, rq.bucket, rq.key, rec); err != nil {
		return err
	}
	setVersionHeader(rq.w.Header(), rec)
	setSSEHeader(rq.w.Header(), rec)
	rq.w.Header().Set("ETag", rec.ETag)
	if rec.Checksum != "" {
		rq.w.Header().Set(checksumHeader(rec.ChecksumAlgorithm), rec.Checksum)
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// setVersionHeader sets x-amz-version-id when the bucket is versioned.
func setVersionHeader(h http.Header, rec *objectRecord) {
	if v := rec.versionName(); v != "" {
		h.Set(headerVersionID, v)
	}
}

// deleteBlob deletes a blob no record names any more. A failure only
// leaks space (the orphan collector finds it later), so it is logged.
func (s *Service) deleteBlob(ctx context.Context, id string) {
	if err := s.blobs.Delete(context.WithoutCancel(ctx), id); err != nil {
		s.logger.WarnContext(ctx, "delete blob", slog.String("blob", id), slog.Any(logging.KeyErr, err))
	}
}

// deleteBlobs deletes blobs no record names any more.
func (s *Service) deleteBlobs(ctx context.Context, ids []string) {
	for _, id := range ids {
		s.deleteBlob(ctx, id)
	}
}

// maxEagerParts is how many blobs of a multipart object a read opens up
// front; later parts open as the read reaches them, which bounds the file
// descriptors one GetObject holds but lets an overwrite that deletes them
// meanwhile cut the read short.
const maxEagerParts = 64

// openRange returns a reader of length bytes of rec's content from start:
// a section of its blob, or of the parts of a multipart object that the
// range spans, read in sequence. A blob deleted meanwhile (the object was
// overwritten) is an error wrapping blob.ErrNotFound.
func (s *Service) openRange(ctx context.Context, rec *objectRecord, start, length int64) (io.ReadCloser, error) {
	parts := rec.refs()
	mr := &multiReader{}
	end, offset := start+length, int64(0)
	for _, p := range parts {
		from, to := max(start, offset)-offset, min(end, offset+p.Size)-offset
		offset += p.Size
		if from >= to {
			continue
		}
		section := &lazySection{ctx: ctx, s: s, ref: p, from: from, length: to - from}
		if len(mr.sections) < maxEagerParts {
			if err := section.open(); err != nil {
				_ = mr.Close()
				return nil, err
			}
		}
		mr.sections = append(mr.sections, section)
	}
	readers := make([]io.Reader, len(mr.sections))
	for i, section := range mr.sections {
		readers[i] = section
	}
	mr.r = io.MultiReader(readers...)
	return mr, nil
}

// multiReader reads blob sections in sequence and closes them.
type multiReader struct {
	r        io.Reader
	sections []*lazySection
}

func (m *multiReader) Read(p []byte) (int, error) { return m.r.Read(p) }

// WriteTo copies the sections to w one by one, so that each reaches w
// in its fastest way: a file section through w's ReadFrom (sendfile), a
// sealed one as whole decrypted segments.
func (m *multiReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, section := range m.sections {
		if section.r == nil {
			if err := section.open(); err != nil {
				return total, err
			}
		}
		n, err := io.Copy(w, section.r)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func (m *multiReader) Close() error {
	var errs []error
	for _, section := range m.sections {
		errs = append(errs, section.Close())
	}
	return errors.Join(errs...)
}

// lazySection reads length bytes of a blob from offset from, opening the
// blob on the first Read unless open was called before.
type lazySection struct {
	ctx          context.Context
	s            *Service
	ref          partRef
	from, length int64
	blob         blob.Reader
	r            io.Reader
}

func (l *lazySection) open() error {
	b, err := l.s.openBlob(l.ctx, l.ref.BlobID, l.ref.Key)
	if err != nil {
		return wrapf(err, "open blob")
	}
	l.blob, l.r = b, section(b, l.from, l.length)
	return nil
}

func (l *lazySection) Read(p []byte) (int, error) {
	if l.r == nil {
		if err := l.open(); err != nil {
			return 0, err
		}
	}
	return l.r.Read(p)
}

func (l *lazySection) Close() error {
	if l.blob == nil {
		return nil
	}
	err := l.blob.Close()
	l.blob = nil
	return err
}

// openVersion returns a version's record and a reader of the bytes pick
// selects from it; an object overwritten between the two reads is read
// again.
func (s *Service) openVersion(ctx context.Context, bucket, key, versionID string,
	pick func(*objectRecord) (start, length int64, err error)) (*objectRecord, io.ReadCloser, error) {
	for attempt := 0; ; attempt++ {
		rec, err := s.viewVersion(ctx, bucket, key, versionID)
		if err != nil {
			return nil, nil, err
		}
		start, length, err := pick(rec)
		if err != nil {
			return nil, nil, err
		}
		body, err := s.openRange(ctx, rec, start, length)
		if errors.Is(err, blob.ErrNotFound) && attempt < 3 {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		return rec, body, nil
	}
}

// getObject serves GetObject (withBody) and HeadObject.
func (s *Service) getObject(rq *request, withBody bool) error {
	ctx := rq.r.Context()
	var sel byteSelection
	pick := func(rec *objectRecord) (int64, int64, error) {
		if checkConditions(rq.r.Header, "", rec) != 0 {
			return 0, 0, nil
		}
		var err error
		if sel, err = selectBytes(rq, rec); err != nil || !withBody {
			return 0, 0, err
		}
		return sel.start, sel.length, nil
	}
	rec, body, err := s.openVersion(ctx, rq.bucket, rq.key, rq.query.Get("versionId"), pick)
	if err != nil {
		s.setMissingHeaders(rq, err)
		return err
	}
	defer body.Close()
	h := rq.w.Header()
	writeObjectHeaders(h, rec)
	setSSEHeader(h, rec)
	if status := checkConditions(rq.r.Header, "", rec); status != 0 {
		if status == http.StatusNotModified {
			rq.w.WriteHeader(status)
			return nil
		}
		return errPreconditionFailed.New(msgPrecondition).With("Condition", "If-Match")
	}
	for param, header := range responseOverrides {
		if v := rq.query.Get(param); v != "" {
			h.Set(header, v)
		}
	}
	rq.w.WriteHeader(sel.writeHeaders(h, rq, rec))
	if withBody {
		if _, err := io.Copy(rq.w, body); err != nil {
			s.logger.DebugContext(ctx, "write object", slog.Any(logging.KeyErr, err))
		}
	}
	return nil
}

// setMissingHeaders marks the answer for a delete marker: one named by
// versionId (405), or the latest version of a key that is not there (404).
func (s *Service) setMissingHeaders(rq *request, err error) {
	marker := ""
	switch apiCode(err) {
	case errMethodNotAllowed.Code:
		marker = rq.query.Get("versionId")
	case errNoSuchKey.Code:
		marker = s.latestDeleteMarker(rq.r.Context(), rq.bucket, rq.key)
	}
	if marker != "" {
		rq.w.Header().Set(headerDeleteMarker, "true")
		rq.w.Header().Set(headerVersionID, marker)
	}
}

// latestDeleteMarker returns the version id of key's newest version when
// that is a delete marker, "" otherwise.
func (s *Service) latestDeleteMarker(ctx context.Context, bucket, key string) string {
	marker := ""
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		return scanVersionsOfKey(tx, bucket, key, 1, func(rec *objectRecord) bool {
			if rec.DeleteMarker {
				marker = rec.versionName()
			}
			return false
		})
	})
	if err != nil {
		s.logger.DebugContext(ctx, "find delete marker", slog.Any(logging.KeyErr, err))
	}
	return marker
}

// byteSelection is what a GetObject answers: a Range, a part, or the
// whole object.
type byteSelection struct {
	start, length int64
	partial       bool
	// part is the partNumber asked for, 0 when none.
	part int
}

// selectBytes reads the Range header or the partNumber parameter.
func selectBytes(rq *request, rec *objectRecord) (byteSelection, error) {
	pn := rq.query.Get("partNumber")
	if pn == "" {
		start, length, partial, err := parseRange(rq.r.Header.Get("Range"), rec.Size)
		return byteSelection{start: start, length: length, partial: partial}, err
	}
	if rq.r.Header.Get("Range") != "" {
		return byteSelection{}, errInvalidRequest.New("Cannot specify both Range header and partNumber query parameter")
	}
	n, err := parsePartNumber(pn)
	if err != nil {
		return byteSelection{}, err
	}
	if len(rec.Parts) == 0 {
		if n != 1 {
			return byteSelection{}, errInvalidPartNumber.New("The requested partnumber is not satisfiable").With("PartNumberRequested", n).With("ActualPartCount", 1)
		}
		return byteSelection{length: rec.Size, part: n}, nil
	}
	if n > len(rec.Parts) {
		return byteSelection{}, errInvalidPartNumber.New("The requested partnumber is not satisfiable").
			With("PartNumberRequested", n).With("ActualPartCount", len(rec.Parts))
	}
	sel := byteSelection{length: rec.Parts[n-1].Size, partial: true, part: n}
	for _, p := range rec.Parts[:n-1] {
		sel.start += p.Size
	}
	return sel, nil
}

// writeHeaders sets the length headers of the selection and returns the
// status to answer.
func (sel byteSelection) writeHeaders(h http.Header, rq *request, rec *objectRecord) int {
	h.Set("Content-Length", strconv.FormatInt(sel.length, 10))
	if sel.part != 0 && len(rec.Parts) > 0 {
		h.Set("X-Amz-Mp-Parts-Count", strconv.Itoa(len(rec.Parts)))
	}
	if sel.partial {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", sel.start, sel.start+sel.length-1, rec.Size))
		return http.StatusPartialContent
	}
	if rec.Checksum != "" && strings.EqualFold(rq.r.Header.Get(headerChecksumMode), "ENABLED") {
		h.Set(checksumHeader(rec.ChecksumAlgorithm), rec.Checksum)
		h.Set("X-Amz-Checksum-Type", checksumType(rec))
	}
	return http.StatusOK
}

// checksumType is the record's, or FULL_OBJECT for a single upload and
// COMPOSITE for a multipart one recorded before checksum types were.
func checksumType(rec *objectRecord) string {
	switch {
	case rec.ChecksumType != "":
		return rec.ChecksumType
	case len(rec.Parts) > 0:
		return checksumComposite
	}
	return checksumFullObject
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
	if len(rec.Tags) > 0 {
		h.Set("X-Amz-Tagging-Count", strconv.Itoa(len(rec.Tags)))
	}
	setVersionHeader(h, rec)
}

// checkConditions evaluates the headers prefix+If-Match,
// If-Unmodified-Since, If-None-Match and If-Modified-Since in RFC 9110
// order, returning 412, 304 or 0. The prefix is "" for GetObject and
// "X-Amz-Copy-Source-" for a copy's source.
func checkConditions(h http.Header, prefix string, rec *objectRecord) int {
	modified := rec.LastModified.Truncate(time.Second)
	if v := h.Get(prefix + "If-Match"); v != "" {
		if !etagMatches(v, rec.ETag) {
			return http.StatusPreconditionFailed
		}
	} else if t, err := http.ParseTime(h.Get(prefix + "If-Unmodified-Since")); err == nil && modified.After(t) {
		return http.StatusPreconditionFailed
	}
	if v := h.Get(prefix + "If-None-Match"); v != "" {
		if etagMatches(v, rec.ETag) {
			return http.StatusNotModified
		}
	} else if t, err := http.ParseTime(h.Get(prefix + "If-Modified-Since")); err == nil && !modified.After(t) {
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
	rec, err := s.removeObject(rq.r.Context(), rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return err
	}
	if rec != nil {
		setVersionHeader(rq.w.Header(), rec)
		if rec.DeleteMarker {
			rq.w.Header().Set(headerDeleteMarker, "true")
		}
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseCopySource splits x-amz-copy-source ("[/]bucket/key[?versionId=]",
// URL-encoded) into bucket, key and version.
func parseCopySource(v string) (bucket, key, versionID string, err error) {
	path, query, _ := strings.Cut(v, "?")
	decoded, uerr := url.PathUnescape(strings.TrimPrefix(path, "/"))
	bucket, key, ok := strings.Cut(decoded, "/")
	q, qerr := url.ParseQuery(query)
	if uerr != nil || qerr != nil || !ok || bucket == "" || key == "" {
		return "", "", "", errInvalidCopySource.New("Invalid copy source object key").With("ArgumentName", "x-amz-copy-source")
	}
	return bucket, key, q.Get("versionId"), nil
}

// copySource is the open source of a copy.
type copySource struct {
	bucket, key string
	rec         *objectRecord
	body        io.ReadCloser
}

// openCopySource opens the bytes pick selects of x-amz-copy-source,
// checking the x-amz-copy-source-if-* conditions (412 when one fails).
func (s *Service) openCopySource(rq *request, pick func(*objectRecord) (int64, int64, error)) (*copySource, error) {
	bucket, key, versionID, err := parseCopySource(rq.r.Header.Get(headerCopySource))
	if err != nil {
		return nil, err
	}
	rec, body, err := s.openVersion(rq.r.Context(), bucket, key, versionID, func(rec *objectRecord) (int64, int64, error) {
		if checkConditions(rq.r.Header, "X-Amz-Copy-Source-", rec) != 0 {
			return 0, 0, errPreconditionFailed.New(msgPrecondition).With("Condition", "x-amz-copy-source-If-Match")
		}
		return pick(rec)
	})
	if err != nil {
		return nil, err
	}
	return &copySource{bucket: bucket, key: key, rec: rec, body: body}, nil
}

// setCopySourceVersion sets x-amz-copy-source-version-id for a versioned
// source.
func setCopySourceVersion(h http.Header, src *objectRecord) {
	if v := src.versionName(); v != "" {
		h.Set("X-Amz-Copy-Source-Version-Id", v)
	}
}

func (s *Service) copyObject(rq *request) error {
	ctx := rq.r.Context()
	srcBucket, srcKey, srcVersion, err := parseCopySource(rq.r.Header.Get(headerCopySource))
	if err != nil {
		return err
	}
	directive := strings.ToUpper(rq.r.Header.Get(headerMetadataDirective))
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return errInvalidArgument.New("Unknown metadata directive.").With("ArgumentName", "x-amz-metadata-directive")
	}
	if srcBucket == rq.bucket && srcKey == rq.key && srcVersion == "" && directive != "REPLACE" {
		return errInvalidRequest.New(msgCopyToItself)
	}
	if err := checkSSERequest(rq.r.Header); err != nil {
		return err
	}
	if _, err := s.viewBucket(ctx, rq.bucket); err != nil {
		return err
	}
	src, err := s.openCopySource(rq, func(rec *objectRecord) (int64, int64, error) { return 0, rec.Size, nil })
	if err != nil {
		return err
	}
	defer src.body.Close()
	rec, err := s.copyRecord(rq, src.rec, directive)
	if err != nil {
		return err
	}
	body := newCheckingReader(rq.r, src.body, payloadCheck{alg: rec.ChecksumAlgorithm})
	if rec.BlobID, rec.DataKey, rec.Size, err = s.putBlob(ctx, body); err != nil {
		return wrapf(err, "copy %s/%s", srcBucket, srcKey)
	}
	rec.ETag, rec.Checksum = body.etag(), body.checksum
	if err := s.commitObject(ctx, rq.bucket, rq.key, rec); err != nil {
		return err
	}
	setCopySourceVersion(rq.w.Header(), src.rec)
	setVersionHeader(rq.w.Header(), rec)
	setSSEHeader(rq.w.Header(), rec)
	res := copyObjectResult{LastModified: formatTime(rec.LastModified), ETag: rec.ETag}
	setChecksumElement(&res.checksumElements, rec.ChecksumAlgorithm, rec.Checksum)
	return s.writeXML(rq, http.StatusOK, &res)
}

// copyRecord returns the new object's metadata: the source's (COPY) or the
// request's (REPLACE), and the source's tags unless
// x-amz-tagging-directive is REPLACE.
func (s *Service) copyRecord(rq *request, src *objectRecord, directive string) (*objectRecord, error) {
	rec := &objectRecord{
		LastModified: s.now().UTC().Truncate(time.Millisecond), Headers: maps.Clone(src.Headers), Meta: maps.Clone(src.Meta),
		ChecksumAlgorithm: src.ChecksumAlgorithm, Tags: slices.Clone(src.Tags),
	}
	if directive == "REPLACE" {
		headers, meta, err := objectHeaders(rq.r)
		if err != nil {
			return nil, err
		}
		rec.Headers, rec.Meta = headers, meta
	}
	switch strings.ToUpper(rq.r.Header.Get(headerTaggingDirective)) {
	case "", "COPY":
	case "REPLACE":
		tags, err := parseTaggingHeader(rq.r.Header.Get(headerTagging))
		if err != nil {
			return nil, err
		}
		rec.Tags = tags
	default:
		return nil, errInvalidArgument.New("Unknown tagging directive.").With("ArgumentName", "x-amz-tagging-directive")
	}
	if strings.Contains(src.Checksum, "-") { // a composite checksum does not carry over
		rec.ChecksumAlgorithm = ""
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
