package s3

import (
	"bytes"
	"cmp"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
	"github.com/fogbank/fogbank/internal/storage"
)

// A completed multipart object is a manifest: its record lists the part
// blobs, which GetObject reads in sequence (opening only the parts a Range
// or partNumber spans), so completion never copies bytes.

// Limits of multipart uploads.
const (
	minPartSize   = 5 << 20
	maxPartSize   = 5 << 30
	maxPartNumber = 10000
	maxListParts  = 1000
	maxUploads    = 1000
	// maxCompleteBody bounds a CompleteMultipartUpload document (10,000
	// parts with checksums).
	maxCompleteBody = 4 << 20
)

// uploadRecord is a multipart upload in progress: what the object will be
// stored with.
type uploadRecord struct {
	Initiated         time.Time         `json:"initiated"`
	Headers           map[string]string `json:"headers,omitempty"`
	Meta              map[string]string `json:"meta,omitempty"`
	Tags              []Tag             `json:"tags,omitempty"`
	ChecksumAlgorithm string            `json:"checksumAlgorithm,omitempty"`
	// ChecksumType is COMPOSITE or FULL_OBJECT when ChecksumAlgorithm is
	// set.
	ChecksumType string `json:"checksumType,omitempty"`
}

// partRecord is one uploaded part.
type partRecord struct {
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"` // quoted
	BlobID       string    `json:"blob"`
	DataKey      string    `json:"dk,omitempty"`
	LastModified time.Time `json:"lastModified"`
	// ChecksumAlgorithm and Checksum are the part's additional checksum.
	ChecksumAlgorithm string `json:"checksumAlgorithm,omitempty"`
	Checksum          string `json:"checksum,omitempty"`
}

func uploadsOf(bucket string) []byte { return []byte(uploadsPrefix + bucket + "/") }

func uploadKey(bucket, key, uploadID string) []byte {
	return append(append(append(uploadsOf(bucket), key...), 0), uploadID...)
}

func partsOf(uploadID string) []byte { return []byte(partsPrefix + uploadID + "/") }

func partKey(uploadID string, n int) []byte { return fmt.Appendf(partsOf(uploadID), "%05d", n) }

// newUploadID returns an upload id that sorts by creation time.
func (s *Service) newUploadID() string {
	return fmt.Sprintf("%016x", s.now().UnixNano()) + rand.Text()
}

// getUpload returns the upload, or NoSuchUpload.
func getUpload(tx storage.ReadTx, bucket, key, uploadID string) (*uploadRecord, error) {
	var up uploadRecord
	found, err := getJSON(tx, uploadKey(bucket, key, uploadID), &up)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNoSuchUpload.New(msgNoSuchUpload).With("UploadId", uploadID)
	}
	return &up, nil
}

// scanParts calls fn with the upload's parts from part number after+1 on,
// in order, until fn returns false.
func scanParts(tx storage.ReadTx, uploadID string, after int, fn func(n int, p *partRecord) bool) error {
	prefix := partsOf(uploadID)
	start := partKey(uploadID, after+1)
	var decodeErr error
	err := tx.Scan(storage.Range{Start: start, End: storage.PrefixEnd(prefix)}, func(k, v []byte) bool {
		n, err := strconv.Atoi(string(k[len(prefix):]))
		var p partRecord
		if decodeErr = cmp.Or(err, json.Unmarshal(v, &p)); decodeErr != nil {
			return false
		}
		return fn(n, &p)
	})
	if err != nil {
		return wrapf(err, "scan parts")
	}
	if decodeErr != nil {
		return wrapf(decodeErr, "decode part")
	}
	return nil
}

// dropUpload deletes an upload's record and parts in tx and returns the
// part blobs, except those keep names.
func dropUpload(tx storage.Tx, bucket, key, uploadID string, keep map[int]bool) ([]string, error) {
	var freed []string
	var parts [][]byte
	err := scanParts(tx, uploadID, 0, func(n int, p *partRecord) bool {
		if !keep[n] {
			freed = append(freed, p.BlobID)
		}
		parts = append(parts, partKey(uploadID, n))
		return true
	})
	if err != nil {
		return nil, err
	}
	for _, k := range parts {
		if err := tx.Delete(k); err != nil {
			return nil, wrapf(err, "delete part")
		}
	}
	if err := tx.Delete(uploadKey(bucket, key, uploadID)); err != nil {
		return nil, wrapf(err, "delete upload")
	}
	return freed, nil
}

func (s *Service) createMultipartUpload(rq *request) error {
	headers, meta, err := objectHeaders(rq.r)
	if err != nil {
		return err
	}
	tags, err := parseTaggingHeader(rq.r.Header.Get(headerTagging))
	if err != nil {
		return err
	}
	alg, typ, err := parseUploadChecksum(rq.r.Header)
	if err != nil {
		return err
	}
	if err := checkSSERequest(rq.r.Header); err != nil {
		return err
	}
	up := uploadRecord{Initiated: s.now().UTC().Truncate(time.Millisecond), Headers: headers, Meta: meta, Tags: tags,
		ChecksumAlgorithm: alg, ChecksumType: typ}
	uploadID := s.newUploadID()
	err = s.engine.Update(rq.r.Context(), func(tx storage.Tx) error {
		if _, err := getBucket(tx, rq.bucket); err != nil {
			return err
		}
		return setJSON(tx, uploadKey(rq.bucket, rq.key, uploadID), &up)
	})
	if err != nil {
		return err
	}
	if alg != "" {
		rq.w.Header().Set("X-Amz-Checksum-Algorithm", alg)
		rq.w.Header().Set(headerChecksumType, typ)
	}
	rq.w.Header().Set(headerSSE, sseAES256)
	return s.writeXML(rq, http.StatusOK, &initiateMultipartUploadResult{Bucket: rq.bucket, Key: rq.key, UploadID: uploadID})
}

// parsePartNumber reads a partNumber query parameter.
func parsePartNumber(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPartNumber {
		return 0, errInvalidArgument.New(msgPartNumber).With("ArgumentName", "partNumber").With("ArgumentValue", v)
	}
	return n, nil
}

func (s *Service) uploadPart(rq *request) error {
	ctx := rq.r.Context()
	n, err := parsePartNumber(rq.query.Get("partNumber"))
	if err != nil {
		return err
	}
	uploadID := rq.query.Get("uploadId")
	if rq.r.ContentLength > maxPartSize {
		return errEntityTooLarge.New(msgEntityTooLarge).With("ProposedSize", rq.r.ContentLength).With("MaxSizeAllowed", int64(maxPartSize))
	}
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	up, err := s.viewUpload(ctx, rq.bucket, rq.key, uploadID)
	if err != nil {
		return err
	}
	if pc.alg == "" && up.ChecksumType == checksumFullObject {
		pc.alg = up.ChecksumAlgorithm // computed, so that the parts' CRCs combine
	}
	body := newCheckingReader(rq.r, io.LimitReader(rq.r.Body, maxPartSize+1), pc)
	blobID, dataKey, size, err := s.putBlob(ctx, body)
	if err != nil {
		return readError(err)
	}
	if size > maxPartSize {
		s.deleteBlob(ctx, blobID)
		return errEntityTooLarge.New(msgEntityTooLarge).With("MaxSizeAllowed", int64(maxPartSize))
	}
	part := &partRecord{Size: size, ETag: body.etag(), BlobID: blobID, DataKey: dataKey, LastModified: s.now().UTC().Truncate(time.Millisecond),
		ChecksumAlgorithm: pc.alg, Checksum: body.checksum}
	if err := s.commitPart(ctx, rq.bucket, rq.key, uploadID, n, part); err != nil {
		return err
	}
	rq.w.Header().Set(headerSSE, sseAES256)
	rq.w.Header().Set("ETag", part.ETag)
	if part.Checksum != "" {
		rq.w.Header().Set(checksumHeader(part.ChecksumAlgorithm), part.Checksum)
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

// viewUpload returns the upload, checking that the bucket exists.
func (s *Service) viewUpload(ctx context.Context, bucket, key, uploadID string) (*uploadRecord, error) {
	var up *uploadRecord
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		if _, err := getBucket(tx, bucket); err != nil {
			return err
		}
		var err error
		up, err = getUpload(tx, bucket, key, uploadID)
		return err
	})
	return up, err
}

// commitPart stores part n of an upload once its blob is durable, deleting
// the blob of the part it replaces; when the upload is gone, the new blob
// is deleted instead.
func (s *Service) commitPart(ctx context.Context, bucket, key, uploadID string, n int, part *partRecord) error {
	replaced := ""
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		replaced = ""
		if _, err := getUpload(tx, bucket, key, uploadID); err != nil {
			return err
		}
		var old partRecord
		found, err := getJSON(tx, partKey(uploadID, n), &old)
		if err != nil {
			return err
		}
		if found {
			replaced = old.BlobID
		}
		return setJSON(tx, partKey(uploadID, n), part)
	})
	if err != nil {
		s.deleteBlob(ctx, part.BlobID)
		return err
	}
	if replaced != "" {
		s.deleteBlob(ctx, replaced)
	}
	return nil
}

func (s *Service) uploadPartCopy(rq *request) error {
	ctx := rq.r.Context()
	n, err := parsePartNumber(rq.query.Get("partNumber"))
	if err != nil {
		return err
	}
	uploadID := rq.query.Get("uploadId")
	up, err := s.viewUpload(ctx, rq.bucket, rq.key, uploadID)
	if err != nil {
		return err
	}
	src, err := s.openCopySource(rq, func(rec *objectRecord) (int64, int64, error) {
		return parseCopyRange(rq.r.Header.Get("X-Amz-Copy-Source-Range"), rec.Size)
	})
	if err != nil {
		return err
	}
	defer src.body.Close()
	body := newCheckingReader(rq.r, src.body, payloadCheck{alg: up.ChecksumAlgorithm})
	blobID, dataKey, size, err := s.putBlob(ctx, body)
	if err != nil {
		return wrapf(err, "copy part")
	}
	part := &partRecord{Size: size, ETag: body.etag(), BlobID: blobID, DataKey: dataKey, LastModified: s.now().UTC().Truncate(time.Millisecond),
		ChecksumAlgorithm: up.ChecksumAlgorithm, Checksum: body.checksum}
	if err := s.commitPart(ctx, rq.bucket, rq.key, uploadID, n, part); err != nil {
		return err
	}
	setCopySourceVersion(rq.w.Header(), src.rec)
	rq.w.Header().Set(headerSSE, sseAES256)
	return s.writeXML(rq, http.StatusOK, &copyPartResult{LastModified: formatTime(part.LastModified), ETag: part.ETag})
}

// parseCopyRange reads x-amz-copy-source-range ("bytes=first-last"),
// which must lie within the source; absent, it selects the whole source.
func parseCopyRange(v string, size int64) (start, length int64, err error) {
	if v == "" {
		return 0, size, nil
	}
	spec, ok := strings.CutPrefix(v, "bytes=")
	first, last, ok2 := strings.Cut(spec, "-")
	a, errA := strconv.ParseInt(first, 10, 64)
	b, errB := strconv.ParseInt(last, 10, 64)
	if !ok || !ok2 || errA != nil || errB != nil || a < 0 || b < a {
		return 0, 0, errInvalidArgument.New("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy").
			With("ArgumentName", "x-amz-copy-source-range").With("ArgumentValue", v)
	}
	if b >= size {
		return 0, 0, errInvalidRange.Newf("Range specified is not valid for source object of size: %d", size).
			With("RangeRequested", v).With("ActualObjectSize", size)
	}
	return a, b - a + 1, nil
}

func (s *Service) completeMultipartUpload(rq *request) error {
	ctx := rq.r.Context()
	uploadID := rq.query.Get("uploadId")
	var doc completeMultipartUpload
	if err := decodeCompleteBody(rq, &doc); err != nil {
		return err
	}
	if len(doc.Parts) == 0 {
		return errMalformedXML.New(msgMalformedXML)
	}
	for i := 1; i < len(doc.Parts); i++ {
		if doc.Parts[i].PartNumber <= doc.Parts[i-1].PartNumber {
			return errInvalidPartOrder.New(msgInvalidOrder).With("UploadId", uploadID)
		}
	}
	var rec *objectRecord
	var freed []string
	err := s.engine.Update(ctx, func(tx storage.Tx) error {
		var err error
		var again bool
		if rec, freed, again, err = s.complete(tx, rq, uploadID, doc.Parts); err != nil || again {
			return err
		}
		return s.objectWritten(ctx, tx, rq.bucket, rq.key, rec) // notification_event.go
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(ctx, freed)
	setVersionHeader(rq.w.Header(), rec)
	setSSEHeader(rq.w.Header(), rec)
	res := completeMultipartUploadResult{Location: "/" + rq.bucket + "/" + rq.key, Bucket: rq.bucket, Key: rq.key, ETag: rec.ETag}
	if rec.Checksum != "" {
		setChecksumElement(&res.checksumElements, rec.ChecksumAlgorithm, rec.Checksum)
		res.ChecksumType = checksumType(rec)
	}
	return s.writeXML(rq, http.StatusOK, &res)
}

// decodeCompleteBody reads a CompleteMultipartUpload document. Its
// x-amz-checksum-* header is the object's full checksum, not the body's,
// so only Content-MD5 is checked against the body.
func decodeCompleteBody(rq *request, doc *completeMultipartUpload) error {
	pc, err := parsePayloadCheck(rq.r)
	if err != nil {
		return err
	}
	if pc.header {
		pc = payloadCheck{md5: pc.md5}
	}
	err = restxml.Decode(newCheckingReader(rq.r, rq.r.Body, pc), maxCompleteBody, doc)
	if errors.Is(err, restxml.ErrMalformed) {
		return errMalformedXML.Wrap(err, msgMalformedXML)
	}
	if err != nil {
		return readError(err)
	}
	return nil
}

// complete turns an upload into the object it names, in tx, and returns
// the object and the blobs no record names any more (parts left out, the
// object replaced); again is true when the upload was completed before
// and rec is what that completion made.
func (s *Service) complete(tx storage.Tx, rq *request, uploadID string, listed []completedPart) (rec *objectRecord, freed []string, again bool, err error) {
	bucket, key := rq.bucket, rq.key
	b, err := getBucket(tx, bucket)
	if err != nil {
		return nil, nil, false, err
	}
	up, err := getUpload(tx, bucket, key, uploadID)
	if apiCode(err) == errNoSuchUpload.Code {
		rec, err := completedBefore(tx, bucket, key, uploadID, err)
		return rec, nil, err == nil, err
	}
	if err != nil {
		return nil, nil, false, err
	}
	stored := map[int]*partRecord{}
	if err := scanParts(tx, uploadID, 0, func(n int, p *partRecord) bool {
		stored[n] = p
		return true
	}); err != nil {
		return nil, nil, false, err
	}
	rec, err = assemble(up, uploadID, listed, stored)
	if err != nil {
		return nil, nil, false, err
	}
	if err := checkFullChecksum(rq.r.Header, rec); err != nil {
		return nil, nil, false, err
	}
	rec.LastModified, rec.UploadID = s.now().UTC().Truncate(time.Millisecond), uploadID
	keep := map[int]bool{}
	for _, p := range listed {
		keep[p.PartNumber] = true
	}
	freed, err = dropUpload(tx, bucket, key, uploadID, keep)
	if err != nil {
		return nil, nil, false, err
	}
	replaced, err := s.writeObject(tx, b, key, rec)
	return rec, append(freed, replaced...), false, err
}

// completedBefore answers a CompleteMultipartUpload of an upload that is
// gone: the object it made, when that is still the key's current object
// (S3 answers a repeated completion as it answered the first), else
// notFound.
func completedBefore(tx storage.ReadTx, bucket, key, uploadID string, notFound error) (*objectRecord, error) {
	var rec objectRecord
	found, err := getJSON(tx, objectKey(bucket, key), &rec)
	if err != nil {
		return nil, err
	}
	if !found || rec.UploadID != uploadID {
		return nil, notFound
	}
	return &rec, nil
}

// checkFullChecksum compares the object's checksum with the
// x-amz-checksum-type and x-amz-checksum-* headers of the completion.
func checkFullChecksum(h http.Header, rec *objectRecord) error {
	if typ := strings.ToUpper(h.Get(headerChecksumType)); typ != "" && rec.ChecksumType != "" && typ != rec.ChecksumType {
		return errInvalidRequest.Newf("The upload was created using the %s checksum mode. The complete request must use the same checksum mode.",
			strings.ToLower(rec.ChecksumType))
	}
	for alg := range checksumAlgorithms {
		want := h.Get(checksumHeader(alg))
		if want == "" {
			continue
		}
		if alg != rec.ChecksumAlgorithm || want != rec.Checksum {
			return errBadDigest.Newf("The %s you specified did not match the calculated checksum.", alg)
		}
	}
	return nil
}

// assemble checks the listed parts against the stored ones and builds the
// object's record: the multipart ETag (MD5 of the parts' MD5s, "-N") and,
// when every part carried the upload's checksum, the composite checksum.
func assemble(up *uploadRecord, uploadID string, listed []completedPart, stored map[int]*partRecord) (*objectRecord, error) {
	rec := &objectRecord{Headers: up.Headers, Meta: up.Meta, Tags: up.Tags, ChecksumAlgorithm: up.ChecksumAlgorithm, ChecksumType: up.ChecksumType}
	etags := md5.New()
	var sums compositeSum
	if up.ChecksumAlgorithm != "" && up.ChecksumType != checksumFullObject {
		sums.h = checksumAlgorithms[up.ChecksumAlgorithm]()
	}
	full := newFullObjectSum(up.ChecksumAlgorithm)
	for i, lp := range listed {
		p, ok := stored[lp.PartNumber]
		if !ok || strings.Trim(lp.ETag, `"`) != strings.Trim(p.ETag, `"`) || !lp.matches(p) {
			return nil, errInvalidPart.New(msgInvalidPart).With("UploadId", uploadID).With("PartNumber", lp.PartNumber).With("ETag", lp.ETag)
		}
		if i < len(listed)-1 && p.Size < minPartSize {
			return nil, errEntityTooSmall.New(msgEntityTooSmall).With("ProposedSize", p.Size).With("MinSizeAllowed", minPartSize).
				With("PartNumber", lp.PartNumber).With("ETag", lp.ETag)
		}
		raw, _ := hex.DecodeString(strings.Trim(p.ETag, `"`))
		etags.Write(raw)
		sums.add(p, up.ChecksumAlgorithm)
		if p.ChecksumAlgorithm != up.ChecksumAlgorithm {
			full.ok = false
		}
		full.add(p.Checksum, p.Size)
		rec.Parts = append(rec.Parts, partRef{BlobID: p.BlobID, Size: p.Size, Key: p.DataKey})
		rec.Size += p.Size
	}
	rec.ETag = fmt.Sprintf(`"%s-%d"`, hex.EncodeToString(etags.Sum(nil)), len(listed))
	switch {
	case up.ChecksumType == checksumFullObject:
		rec.Checksum = full.sum()
	case sums.h != nil:
		rec.Checksum = fmt.Sprintf("%s-%d", base64.StdEncoding.EncodeToString(sums.h.Sum(nil)), len(listed))
	}
	if rec.Checksum == "" {
		rec.ChecksumAlgorithm, rec.ChecksumType = "", ""
	}
	return rec, nil
}

// compositeSum accumulates the parts' raw checksums for a composite checksum;
// h becomes nil once a part lacks one.
type compositeSum struct {
	h hash.Hash
}

func (c *compositeSum) add(p *partRecord, alg string) {
	if c.h == nil {
		return
	}
	raw, err := base64.StdEncoding.DecodeString(p.Checksum)
	if p.ChecksumAlgorithm != alg || p.Checksum == "" || err != nil {
		c.h = nil
		return
	}
	c.h.Write(raw)
}

func (s *Service) abortMultipartUpload(rq *request) error {
	uploadID := rq.query.Get("uploadId")
	var freed []string
	err := s.engine.Update(rq.r.Context(), func(tx storage.Tx) error {
		if _, err := getBucket(tx, rq.bucket); err != nil {
			return err
		}
		if _, err := getUpload(tx, rq.bucket, rq.key, uploadID); err != nil {
			return err
		}
		var err error
		freed, err = dropUpload(tx, rq.bucket, rq.key, uploadID, nil)
		return err
	})
	if err != nil {
		return err
	}
	s.deleteBlobs(rq.r.Context(), freed)
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}

// parseMax reads a max-parts / max-uploads parameter: default and largest
// limit.
func parseMax(q map[string][]string, name string, limit int) (int, error) {
	vs := q[name]
	if len(vs) == 0 || vs[0] == "" {
		return limit, nil
	}
	n, err := strconv.Atoi(vs[0])
	if err != nil || n < 0 {
		return 0, errInvalidArgument.Newf("Provided %s not an integer or within integer range", name).With("ArgumentName", name)
	}
	return min(n, limit), nil
}

func (s *Service) listParts(rq *request) error {
	uploadID := rq.query.Get("uploadId")
	maxParts, err := parseMax(rq.query, "max-parts", maxListParts)
	if err != nil {
		return err
	}
	marker := 0
	if v := rq.query.Get("part-number-marker"); v != "" {
		if marker, err = strconv.Atoi(v); err != nil || marker < 0 {
			return errInvalidArgument.New("Provided part-number-marker not an integer or within integer range").With("ArgumentName", "part-number-marker")
		}
	}
	res := listPartsResult{Bucket: rq.bucket, Key: rq.key, UploadID: uploadID, Initiator: s.owner, Owner: s.owner,
		StorageClass: "STANDARD", PartNumberMarker: marker, MaxParts: maxParts}
	err = s.engine.View(rq.r.Context(), func(tx storage.ReadTx) error {
		res.Parts, res.IsTruncated = nil, false
		if _, err := getBucket(tx, rq.bucket); err != nil {
			return err
		}
		up, err := getUpload(tx, rq.bucket, rq.key, uploadID)
		if err != nil {
			return err
		}
		res.ChecksumAlgorithm = up.ChecksumAlgorithm
		return scanParts(tx, uploadID, marker, func(n int, p *partRecord) bool {
			if len(res.Parts) == maxParts {
				res.IsTruncated = true
				return false
			}
			e := partEntry{PartNumber: n, LastModified: formatTime(p.LastModified), ETag: p.ETag, Size: p.Size}
			setChecksumElement(&e.checksumElements, p.ChecksumAlgorithm, p.Checksum)
			res.Parts = append(res.Parts, e)
			return true
		})
	})
	if err != nil {
		return err
	}
	if len(res.Parts) > 0 {
		res.NextPartNumberMarker = res.Parts[len(res.Parts)-1].PartNumber
	}
	return s.writeXML(rq, http.StatusOK, &res)
}

func (s *Service) listMultipartUploads(rq *request) error {
	maxN, err := parseMax(rq.query, "max-uploads", maxUploads)
	if err != nil {
		return err
	}
	enc := rq.query.Get("encoding-type")
	if enc != "" && enc != "url" {
		return errInvalidEncodingType.New("Invalid Encoding Method specified in Request").With("ArgumentName", "encoding-type")
	}
	q := rq.query
	res := listMultipartUploadsResult{Bucket: rq.bucket, KeyMarker: q.Get("key-marker"), UploadIDMarker: q.Get("upload-id-marker"),
		Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter"), MaxUploads: maxN, EncodingType: enc}
	err = s.engine.View(rq.r.Context(), func(tx storage.ReadTx) error {
		if _, err := getBucket(tx, rq.bucket); err != nil {
			return err
		}
		return s.scanUploads(tx, &res)
	})
	if err != nil {
		return err
	}
	for i := range res.Uploads {
		res.Uploads[i].Key = encodeKey(res.Uploads[i].Key, enc)
	}
	for i := range res.CommonPrefixes {
		res.CommonPrefixes[i].Prefix = encodeKey(res.CommonPrefixes[i].Prefix, enc)
	}
	res.Prefix, res.Delimiter = encodeKey(res.Prefix, enc), encodeKey(res.Delimiter, enc)
	return s.writeXML(rq, http.StatusOK, &res)
}

// scanUploads fills one page of ListMultipartUploads: uploads ordered by
// key and then initiation, after the markers, rolled up at the delimiter.
func (s *Service) scanUploads(tx storage.ReadTx, res *listMultipartUploadsResult) error {
	base := uploadsOf(res.Bucket)
	start := append(bytes.Clone(base), res.Prefix...)
	if res.KeyMarker != "" {
		after := append(append(bytes.Clone(base), res.KeyMarker...), 1)
		if res.UploadIDMarker != "" {
			after = append(uploadKey(res.Bucket, res.KeyMarker, res.UploadIDMarker), 0)
		}
		start = maxBytes(start, after)
	}
	lastPrefix := ""
	var decodeErr error
	err := tx.Scan(storage.Range{Start: start, End: storage.PrefixEnd(append(bytes.Clone(base), res.Prefix...))}, func(k, v []byte) bool {
		key, uploadID := splitVersionKey(k[len(base):])
		cp := commonPrefixOf(key, res.Prefix, res.Delimiter)
		if cp != "" && cp == lastPrefix {
			res.NextKeyMarker, res.NextUploadIDMarker = key, uploadID
			return true
		}
		if len(res.Uploads)+len(res.CommonPrefixes) == res.MaxUploads {
			res.IsTruncated = true
			return false
		}
		res.NextKeyMarker, res.NextUploadIDMarker = key, uploadID
		if cp != "" {
			lastPrefix = cp
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: cp})
			return true
		}
		var up uploadRecord
		if decodeErr = json.Unmarshal(v, &up); decodeErr != nil {
			return false
		}
		res.Uploads = append(res.Uploads, uploadEntry{Key: key, UploadID: uploadID, Initiator: s.owner, Owner: s.owner,
			StorageClass: "STANDARD", Initiated: formatTime(up.Initiated), ChecksumAlgorithm: up.ChecksumAlgorithm})
		return true
	})
	if err != nil || decodeErr != nil {
		return wrapf(cmp.Or(err, decodeErr), "list uploads")
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = "", ""
	}
	return nil
}

// commonPrefixOf returns key's common prefix under prefix and delimiter,
// "" when it has none.
func commonPrefixOf(key, prefix, delimiter string) string {
	if delimiter == "" || !strings.HasPrefix(key, prefix) {
		return ""
	}
	if i := strings.Index(key[len(prefix):], delimiter); i >= 0 {
		return key[:len(prefix)+i+len(delimiter)]
	}
	return ""
}

func maxBytes(a, b []byte) []byte {
	if bytes.Compare(a, b) >= 0 {
		return a
	}
	return b
}

// abortBucketUploads drops every upload of a bucket in tx and returns
// their part blobs.
func abortBucketUploads(tx storage.Tx, bucket string) ([]string, error) {
	base := uploadsOf(bucket)
	type upload struct{ key, id string }
	var uploads []upload
	err := tx.Scan(storage.Range{Start: base, End: storage.PrefixEnd(base)}, func(k, _ []byte) bool {
		key, id := splitVersionKey(k[len(base):])
		uploads = append(uploads, upload{key, id})
		return true
	})
	if err != nil {
		return nil, wrapf(err, "scan uploads")
	}
	var freed []string
	for _, u := range uploads {
		ids, err := dropUpload(tx, bucket, u.key, u.id, nil)
		if err != nil {
			return nil, err
		}
		freed = append(freed, ids...)
	}
	return freed, nil
}
