package s3

import (
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/fogbank/fogbank/internal/apierr"
)

// Errors of POST uploads.
var (
	errMalformedPOST        = apierr.Def{Code: "MalformedPOSTRequest", Status: http.StatusBadRequest}
	errPreDataTooLarge      = apierr.Def{Code: "MaxPostPreDataLengthExceeded", Status: http.StatusBadRequest}
	errInvalidPolicyDoc     = apierr.Def{Code: "InvalidPolicyDocument", Status: http.StatusBadRequest}
	errPolicyAccessDenied   = apierr.Def{Code: "AccessDenied", Status: http.StatusForbidden}
	msgMalformedPOST        = "The body of your POST request is not well-formed multipart/form-data."
	msgPreconditionNotHeld  = "At least one of the pre-conditions you specified did not hold"
	maxPostPreData          = 20480
	postFileField           = "file"
	postRedirectField       = "success_action_redirect"
	postLegacyRedirectField = "redirect"
)

// postAuthFields are the signing fields of a POST form; they never become
// object headers.
var postAuthFields = map[string]bool{
	"x-amz-algorithm": true, "x-amz-credential": true, "x-amz-date": true, "x-amz-signature": true,
	"x-amz-security-token": true, "awsaccesskeyid": true, "signature": true, "policy": true,
}

// postForm is the part of a POST upload form before the file.
type postForm struct {
	// names are the field names as sent, in order, first occurrences only.
	names []string
	// values holds the fields by lowercase name.
	values map[string]string
	// file is the file part, positioned at its content; nil when absent.
	file *multipart.Part
	// filename is the file part's filename parameter; hasFilename says
	// whether it had one (${filename} is kept literally without).
	filename    string
	hasFilename bool
}

// get returns the field of the given lowercase name.
func (f *postForm) get(name string) string { return f.values[name] }

// postObject serves a browser-based upload (POST Object): a
// multipart/form-data body of fields, then the file. The front door has
// verified the policy's signature; here the policy's expiration and
// conditions are enforced and the file streams into PutObject.
func (s *Service) postObject(rq *request) error {
	form, err := readPostForm(rq.r)
	if err != nil {
		return err
	}
	key := form.get("key")
	if key == "" {
		return errInvalidArgument.New("Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.").
			With("ArgumentName", "key").With("ArgumentValue", "")
	}
	if form.file == nil {
		return errInvalidArgument.New("POST requires exactly one file upload per request.").
			With("ArgumentName", postFileField).With("ArgumentValue", 0)
	}
	if form.hasFilename {
		key = strings.ReplaceAll(key, "${filename}", form.filename)
	}
	limits := sizeRange{min: 0, max: maxObjectSize}
	if policy := form.get("policy"); policy != "" {
		if limits, err = s.checkPolicy(rq, form, key, policy); err != nil {
			return err
		}
	}
	put, capture, err := postPutRequest(rq, form, key, &rangeReader{r: form.file, limits: limits})
	if err != nil {
		return err
	}
	if err := s.objectOp(put); err != nil {
		return err
	}
	return s.writePostResponse(rq, form, key, capture.Header())
}

// readPostForm reads the fields of r's form up to the part named file.
func readPostForm(r *http.Request) (*postForm, error) {
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errPreconditionFailed.New(msgPreconditionNotHeld).
			With("Condition", "Bucket POST must be of the enclosure-type multipart/form-data")
	}
	if params["boundary"] == "" {
		return nil, errMalformedPOST.New(msgMalformedPOST)
	}
	form := &postForm{values: map[string]string{}}
	mr := multipart.NewReader(r.Body, params["boundary"])
	size := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return form, nil
		}
		if err != nil {
			return nil, errMalformedPOST.Wrap(err, msgMalformedPOST)
		}
		name := part.FormName()
		if strings.EqualFold(name, postFileField) {
			form.file = part
			_, dparams, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			form.filename, form.hasFilename = dparams["filename"]
			return form, nil
		}
		value, err := io.ReadAll(io.LimitReader(part, int64(maxPostPreData-size+1)))
		if err != nil {
			return nil, errMalformedPOST.Wrap(err, msgMalformedPOST)
		}
		if size += len(name) + len(value); size > maxPostPreData {
			return nil, errPreDataTooLarge.New("Your POST request fields preceeding the upload file was too large.").
				With("MaxPostPreDataLengthBytes", maxPostPreData)
		}
		if lk := strings.ToLower(name); name != "" && !hasKey(form.values, lk) {
			form.names = append(form.names, name)
			form.values[lk] = string(value)
		}
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

// isObjectField reports whether the form field (lowercase name) is an
// object header that PutObject reads: the stored representation headers,
// Content-MD5, user metadata and the other x-amz-* object settings.
func isObjectField(name string) bool {
	switch name {
	case "content-type", "cache-control", "content-disposition", "content-encoding", "content-language", "expires", "content-md5":
		return true
	case "x-amz-content-sha256", "x-amz-decoded-content-length", "x-amz-trailer":
		return false
	}
	return strings.HasPrefix(name, "x-amz-") && !postAuthFields[name] && !strings.HasPrefix(name, "x-amz-copy-source")
}

// postPutRequest builds the PutObject request a POST upload amounts to:
// the object fields as headers, the tagging document as x-amz-tagging,
// body as the body. Its response is captured for the POST's own answer.
func postPutRequest(rq *request, form *postForm, key string, body io.Reader) (*request, http.ResponseWriter, error) {
	r := rq.r.Clone(rq.r.Context())
	r.Method = http.MethodPut
	r.Header = http.Header{}
	r.Trailer = nil
	for _, name := range form.names {
		if lk := strings.ToLower(name); isObjectField(lk) {
			r.Header.Set(name, form.values[lk])
		}
	}
	if doc := form.get("tagging"); doc != "" {
		var tagging struct {
			TagSet []Tag `xml:"TagSet>Tag"`
		}
		if err := xml.Unmarshal([]byte(doc), &tagging); err != nil {
			return nil, nil, errMalformedXML.Wrap(err, msgMalformedXML)
		}
		q := url.Values{}
		for _, t := range tagging.TagSet {
			q.Add(t.Key, t.Value)
		}
		r.Header.Set(headerTagging, q.Encode())
	}
	r.Body = io.NopCloser(body)
	r.ContentLength = -1
	capture := &captureWriter{header: http.Header{}}
	return &request{w: capture, r: r, query: url.Values{}, bucket: rq.bucket, key: key}, capture, nil
}

// captureWriter keeps the headers of a response and discards its body.
type captureWriter struct{ header http.Header }

func (c *captureWriter) Header() http.Header         { return c.header }
func (c *captureWriter) Write(p []byte) (int, error) { return len(p), nil }
func (c *captureWriter) WriteHeader(int)             {}

// postResponse is the 201 answer of a POST upload; S3 sends it without a
// namespace.
type postResponse struct {
	XMLName  xml.Name `xml:"PostResponse"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
}

// writePostResponse answers a stored POST upload: the PutObject headers
// (ETag, version id, checksum) and Location, then a 303 to
// success_action_redirect, or the success_action_status (200, 201 with a
// PostResponse document, or 204, the default).
func (s *Service) writePostResponse(rq *request, form *postForm, key string, put http.Header) error {
	h := rq.w.Header()
	for name, values := range put {
		if name != "Content-Length" && name != "Content-Type" {
			h[name] = values
		}
	}
	location := s.objectURL(rq.r, rq.bucket, key)
	h.Set("Location", location)
	etag := put.Get("ETag")
	if target, ok := redirectTarget(form); ok {
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		h.Set("Location", target+sep+"bucket="+url.QueryEscape(rq.bucket)+"&key="+url.QueryEscape(key)+"&etag="+url.QueryEscape(etag))
		rq.w.WriteHeader(http.StatusSeeOther)
		return nil
	}
	switch form.get("success_action_status") {
	case "200":
		rq.w.WriteHeader(http.StatusOK)
	case "201":
		return s.writeXML(rq, http.StatusCreated, &postResponse{Location: location, Bucket: rq.bucket, Key: key, ETag: etag})
	default:
		rq.w.WriteHeader(http.StatusNoContent)
	}
	return nil
}

// redirectTarget returns the form's absolute http(s) redirect URL, if any.
func redirectTarget(form *postForm) (string, bool) {
	target := form.get(postRedirectField)
	if target == "" {
		target = form.get(postLegacyRedirectField)
	}
	u, err := url.Parse(target)
	if target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return target, true
}

// objectURL is the URL of an object as the request addressed its bucket:
// virtual-host or path style, the key escaped as one path segment.
func (s *Service) objectURL(r *http.Request, bucket, key string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if _, ok := s.virtualBucket(r.Host); ok {
		return scheme + "://" + r.Host + "/" + url.PathEscape(key)
	}
	return scheme + "://" + r.Host + "/" + url.PathEscape(bucket) + "/" + url.PathEscape(key)
}

// sizeRange is a policy's content-length-range, inclusive.
type sizeRange struct{ min, max int64 }

// rangeReader reads a POST upload's file, failing with EntityTooLarge once
// it passes limits.max (having drained the rest of the file to report its
// size) and with EntityTooSmall at its end below limits.min.
type rangeReader struct {
	r      io.Reader
	limits sizeRange
	n      int64
}

func (rr *rangeReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	rr.n += int64(n)
	if rr.n > rr.limits.max {
		rest, _ := io.Copy(io.Discard, io.LimitReader(rr.r, maxObjectSize))
		return n, errEntityTooLarge.New("Your proposed upload exceeds the maximum allowed size").
			With("ProposedSize", rr.n+rest).With("MaxSizeAllowed", rr.limits.max)
	}
	if errors.Is(err, io.EOF) && rr.n < rr.limits.min {
		return n, errEntityTooSmall.New("Your proposed upload is smaller than the minimum allowed size").
			With("ProposedSize", rr.n).With("MinSizeAllowed", rr.limits.min)
	}
	return n, err
}
