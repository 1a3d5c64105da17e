package website

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/logging"
)

// defaultContentType is what S3 reports for objects stored without one.
const defaultContentType = "binary/octet-stream"

// headerCache tells whether the answer's bytes came from the cache
// ("Hit from fogbank") or from storage ("Miss from fogbank"), as
// CloudFront's X-Cache does.
const headerCache = "X-Cache"

// errChanged: the object was overwritten while a large read was under way.
var errChanged = errors.New("website: object changed during the read")

// serveObject answers with an object: status 200 with conditional
// requests (ETag, Last-Modified) and Range through http.ServeContent, or
// the error document's status with its whole body.
func (h *Handler) serveObject(s *site, key string, obj *Object, status int) {
	hdr := s.w.Header()
	hdr.Set("Content-Type", defaultContentType)
	for name, v := range obj.Headers {
		hdr.Set(name, v)
	}
	hdr.Set("ETag", obj.ETag)
	hdr.Set("Last-Modified", obj.LastModified.UTC().Format(http.TimeFormat))
	if obj.Size > h.maxCached {
		h.stream(s, key, obj, status)
		return
	}
	compressible := hdr.Get("Content-Encoding") == "" && isCompressible(hdr.Get("Content-Type"))
	if compressible {
		hdr.Add("Vary", "Accept-Encoding")
	}
	enc := ""
	if compressible && (status != http.StatusOK || s.r.Header.Get("Range") == "") {
		enc = negotiate(s.r.Header.Get("Accept-Encoding"))
	}
	data, hit, err := h.content(s.r.Context(), s.bucket, key, obj, enc)
	if err != nil {
		h.fault(s, err)
		return
	}
	if data.encoding != "" {
		hdr.Set("Content-Encoding", data.encoding)
		hdr.Set("ETag", "W/"+obj.ETag) // another representation, same resource version
	}
	hdr.Set(headerCache, "Miss from fogbank")
	if hit {
		hdr.Set(headerCache, "Hit from fogbank")
	}
	if status == http.StatusOK {
		hdr.Set("Accept-Ranges", "bytes")
		http.ServeContent(s.w, s.r, "", obj.LastModified, bytes.NewReader(data.body))
		return
	}
	hdr.Set("Content-Length", strconv.Itoa(len(data.body)))
	s.w.WriteHeader(status)
	if s.r.Method != http.MethodHead {
		_, _ = s.w.Write(data.body)
	}
}

// variant is an object's bytes in one content coding ("" for none).
type variant struct {
	body     []byte
	encoding string
}

// content returns the object's bytes, compressed with enc when that makes
// them smaller, from the cache or else from the Source (filling the cache);
// hit reports a cache hit.
func (h *Handler) content(ctx context.Context, bucket, key string, obj *Object, enc string) (v variant, hit bool, err error) {
	id := cacheKey{bucket: bucket, key: key, etag: obj.ETag}
	packedID := id
	packedID.encoding = enc
	if enc != "" {
		if packed, ok := h.cache.get(packedID); ok {
			if len(packed) > 0 {
				return variant{body: packed, encoding: enc}, true, nil
			}
			enc = "" // known not to pay off
		}
	}
	body, hit := h.cache.get(id)
	if !hit {
		if body, err = h.read(ctx, bucket, key, obj); err != nil {
			return variant{}, false, err
		}
		h.cache.add(id, body)
	}
	if enc == "" {
		return variant{body: body}, hit, nil
	}
	packed, err := compress(enc, body)
	if err != nil {
		return variant{}, false, err
	}
	if len(packed) >= len(body) {
		h.cache.add(packedID, []byte{}) // marks that compression does not pay off
		return variant{body: body}, hit, nil
	}
	h.cache.add(packedID, packed)
	return variant{body: packed, encoding: enc}, false, nil
}

// read returns the whole object, which must still be version obj.
func (h *Handler) read(ctx context.Context, bucket, key string, obj *Object) ([]byte, error) {
	got, rc, err := h.src.Open(ctx, bucket, key, 0)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	if got.ETag != obj.ETag {
		return nil, errChanged
	}
	buf := bytes.NewBuffer(make([]byte, 0, obj.Size))
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stream answers with a large object read from the Source as it is sent.
func (h *Handler) stream(s *site, key string, obj *Object, status int) {
	body := &lazyReader{ctx: s.r.Context(), src: h.src, bucket: s.bucket, key: key, obj: obj}
	defer body.Close()
	if status == http.StatusOK {
		s.w.Header().Set("Accept-Ranges", "bytes")
		http.ServeContent(s.w, s.r, "", obj.LastModified, body)
		return
	}
	s.w.Header().Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	s.w.WriteHeader(status)
	if s.r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(s.w, body); err != nil {
		h.logger.DebugContext(s.r.Context(), "write object", slog.Any(logging.KeyErr, err))
	}
}

// lazyReader is an io.ReadSeeker over an object version that opens the
// Source at the current offset on the first Read after a Seek, so that
// http.ServeContent reads only the bytes a Range asks for.
type lazyReader struct {
	ctx         context.Context
	src         Source
	bucket, key string
	obj         *Object
	off         int64
	rc          io.ReadCloser
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if l.rc == nil {
		if l.off >= l.obj.Size {
			return 0, io.EOF
		}
		got, rc, err := l.src.Open(l.ctx, l.bucket, l.key, l.off)
		if err != nil {
			return 0, err
		}
		l.rc = rc
		if got.ETag != l.obj.ETag {
			return 0, errChanged
		}
	}
	n, err := l.rc.Read(p)
	l.off += int64(n)
	return n, err
}

func (l *lazyReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += l.off
	case io.SeekEnd:
		offset += l.obj.Size
	}
	if offset < 0 {
		return 0, errors.New("website: negative seek")
	}
	if offset != l.off {
		_ = l.Close()
		l.off = offset
	}
	return offset, nil
}

// Close closes the open Source reader, if any.
func (l *lazyReader) Close() error {
	if l.rc == nil {
		return nil
	}
	err := l.rc.Close()
	l.rc = nil
	return err
}

// isCompressible reports whether a Content-Type is text-like, worth
// compressing.
func isCompressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case strings.HasPrefix(mt, "text/"), strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	switch mt {
	case "application/javascript", "application/x-javascript", "application/ecmascript", "application/json",
		"application/xml", "application/wasm", "image/svg+xml", "image/x-icon", "image/bmp",
		"font/ttf", "font/otf", "application/vnd.ms-fontobject":
		return true
	}
	return false
}
