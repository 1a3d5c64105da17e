package s3_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/fogbank/fogbank/internal/fogtest"
	"github.com/fogbank/fogbank/internal/sigv2"
)

// postUpload posts a browser-style upload form: fields in name order (the
// presigned ones and extra), then the file part, last.
func postUpload(t *testing.T, hc *http.Client, target string, fields map[string]string, filename string, content []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := mw.WriteField(name, fields[name]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	resp, err := hc.Post(target, mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// s3Error is S3's XML error document.
type s3Error struct {
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// wantPostError checks a POST answer against S3's status, code and message.
func wantPostError(t *testing.T, name string, resp *http.Response, status int, code, message string) {
	t.Helper()
	raw, _ := io.ReadAll(resp.Body)
	var e s3Error
	_ = xml.Unmarshal(raw, &e)
	if resp.StatusCode != status || e.Code != code || (message != "" && e.Message != message) {
		t.Errorf("%s: %d %s %q, want %d %s %q", name, resp.StatusCode, e.Code, e.Message, status, code, message)
	}
}

// presignPost returns the URL and fields of a presigned POST for key,
// with extra conditions.
func presignPost(t *testing.T, c *s3.Client, bucket, key string, expires time.Duration, conditions ...any) (string, map[string]string) {
	t.Helper()
	req, err := s3.NewPresignClient(c).PresignPostObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *s3.PresignPostOptions) { o.Expires = expires; o.Conditions = conditions })
	if err != nil {
		t.Fatalf("PresignPostObject: %v", err)
	}
	return req.URL, req.Values
}

func TestPostObject(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "forms")
	target, fields := presignPost(t, c, "forms", "uploads/${filename}", time.Hour,
		[]any{"starts-with", "$key", "uploads/"},
		[]any{"content-length-range", 1, 1024},
		[]any{"starts-with", "$Content-Type", "text/"},
		[]any{"eq", "$x-amz-meta-color", "blue"},
		map[string]string{"success_action_status": "201"},
		[]any{"starts-with", "$tagging", ""})
	fields["Content-Type"] = "text/plain"
	fields["x-amz-meta-color"] = "blue"
	fields["success_action_status"] = "201"
	fields["tagging"] = "<Tagging><TagSet><Tag><Key>team</Key><Value>web</Value></Tag></TagSet></Tagging>"
	content := []byte("hello, form")
	resp := postUpload(t, srv.HTTPClient(), target, fields, "hello.txt", content)
	raw, _ := io.ReadAll(resp.Body)
	sum := md5.Sum(content)
	etag := `"` + hex.EncodeToString(sum[:]) + `"`
	var doc struct {
		XMLName  xml.Name `xml:"PostResponse"`
		Location string
		Bucket   string
		Key      string
		ETag     string
	}
	if err := xml.Unmarshal(raw, &doc); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s (%v), want 201 PostResponse", resp.StatusCode, raw, err)
	}
	if doc.Bucket != "forms" || doc.Key != "uploads/hello.txt" || doc.ETag != etag || resp.Header.Get("ETag") != etag ||
		!strings.HasSuffix(doc.Location, "/forms/uploads%2Fhello.txt") {
		t.Errorf("PostResponse = %+v, ETag header %s; want key uploads/hello.txt, ETag %s", doc, resp.Header.Get("ETag"), etag)
	}
	head, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("forms"), Key: aws.String("uploads/hello.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head.ContentType) != "text/plain" || head.Metadata["color"] != "blue" || aws.ToInt32(head.TagCount) != 1 {
		t.Errorf("HeadObject = type %q, metadata %v, %d tags; want text/plain, color=blue, 1 tag",
			aws.ToString(head.ContentType), head.Metadata, aws.ToInt32(head.TagCount))
	}
}

func TestPostObjectAnswers(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "forms")
	hc := srv.HTTPClient()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	target, fields := presignPost(t, c, "forms", "plain.bin", time.Hour)
	resp := postUpload(t, hc, target, fields, "ignored.bin", []byte("x"))
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("ETag") == "" {
		t.Errorf("default answer: %d, ETag %q; want 204 with an ETag", resp.StatusCode, resp.Header.Get("ETag"))
	}

	target, fields = presignPost(t, c, "forms", "next.bin", time.Hour,
		[]any{"starts-with", "$success_action_redirect", "http://example.test/"})
	fields["success_action_redirect"] = "http://example.test/done?from=form"
	resp = postUpload(t, hc, target, fields, "next.bin", []byte("y"))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Host != "example.test" ||
		loc.Query().Get("from") != "form" || loc.Query().Get("key") != "next.bin" || loc.Query().Get("bucket") != "forms" ||
		!strings.HasPrefix(loc.Query().Get("etag"), `"`) {
		t.Errorf("redirect: %d Location %q; want 303 to example.test with bucket, key and etag", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestPostObjectStyles(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "forms")
	hc := srv.APIClient()

	target, fields := presignPost(t, srv.S3(func(o *s3.Options) { o.UsePathStyle = false }), "forms", "v.bin", time.Hour)
	resp := postUpload(t, hc, target, fields, "v.bin", []byte("v"))
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusNoContent || !strings.HasPrefix(loc, "http://forms.localhost:") ||
		!strings.HasSuffix(loc, "/v.bin") {
		t.Errorf("virtual-host POST: %d Location %q; want 204 and the object's virtual-host URL", resp.StatusCode, loc)
	}

	// SigV2: AWSAccessKeyId and signature = base64(HMAC-SHA1(secret, policy)).
	doc := `{"expiration":"` + time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z") +
		`","conditions":[{"bucket":"forms"},["starts-with","$key","v2/"]]}`
	policy := base64.StdEncoding.EncodeToString([]byte(doc))
	v2 := map[string]string{"key": "v2/${filename}", "AWSAccessKeyId": fogtest.AccessKeyID, "policy": policy,
		"signature": sigv2.Sign(fogtest.SecretAccessKey, policy)}
	if resp := postUpload(t, hc, srv.URL()+"/forms", v2, "two.txt", []byte("2")); resp.StatusCode != http.StatusNoContent {
		raw, _ := io.ReadAll(resp.Body)
		t.Errorf("SigV2 POST: %d %s, want 204", resp.StatusCode, raw)
	}
	if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("forms"), Key: aws.String("v2/two.txt")}); err != nil {
		t.Errorf("HeadObject after SigV2 POST: %v", err)
	}
	v2["signature"] = sigv2.Sign("wrong", policy)
	wantPostError(t, "SigV2 POST, wrong secret", postUpload(t, hc, srv.URL()+"/forms", v2, "two.txt", []byte("2")),
		http.StatusForbidden, "SignatureDoesNotMatch", "")
}

// TestPostObjectDev: in dev mode a form needs no signature, and its policy,
// when present, still applies.
func TestPostObjectDev(t *testing.T) {
	srv := fogtest.Start(t, fogtest.WithDev())
	mustCreate(t, srv.S3(), "forms")
	resp := postUpload(t, srv.HTTPClient(), srv.URL()+"/forms", map[string]string{"key": "anon.txt"}, "anon.txt", []byte("a"))
	if resp.StatusCode != http.StatusNoContent {
		raw, _ := io.ReadAll(resp.Body)
		t.Errorf("unsigned POST in dev mode: %d %s, want 204", resp.StatusCode, raw)
	}
	const later = `"expiration":"2099-01-01T00:00:00.000Z"`
	for _, tc := range []struct{ doc, code, message string }{
		{`{"expiration":"2000-01-01T00:00:00Z","conditions":[]}`, "AccessDenied", "Invalid according to Policy: Policy expired."},
		{`{"expiration":"2099-01-01 00:00:00","conditions":[]}`, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value: '2099-01-01 00:00:00'"},
		{`{"conditions":[]}`, "InvalidPolicyDocument", "Invalid Policy: Policy missing expiration."},
		{`{` + later + `}`, "InvalidPolicyDocument", "Invalid Policy: Policy missing conditions."},
		{`{` + later + `,"conditions":[`, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."},
		{`{` + later + `,"conditions":[{"a":"1","b":"2"}]}`, "InvalidPolicyDocument",
			"Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified."},
		{`{` + later + `,"conditions":[{"key":5}]}`, "InvalidPolicyDocument", "Invalid Policy: Invalid Simple-Condition: value must be a string."},
		{`{` + later + `,"conditions":[["matches","$key","a"]]}`, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: unknown operation 'matches'."},
		{`{` + later + `,"conditions":[["content-length-range","test","10"]]}`, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["content-length-range", "test", "10"]`},
		{`{` + later + `,"conditions":[["eq","key","anon.txt"]]}`, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["eq", "key", "anon.txt"]`},
		{`{` + later + `,"conditions":[{"bucket":"other"}]}`, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["eq", "$bucket", "other"]`},
		{`{` + later + `,"conditions":[["starts-with","$Content-Type",""]]}`, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["starts-with", "$Content-Type", ""]`},
	} {
		policy := base64.StdEncoding.EncodeToString([]byte(tc.doc))
		status := http.StatusBadRequest
		if tc.code == "AccessDenied" {
			status = http.StatusForbidden
		}
		wantPostError(t, tc.doc, postUpload(t, srv.HTTPClient(), srv.URL()+"/forms",
			map[string]string{"key": "anon.txt", "policy": policy}, "anon.txt", []byte("a")), status, tc.code, tc.message)
	}
}

func TestPostObjectRefused(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "forms")
	hc := srv.HTTPClient()
	target, signed := presignPost(t, c, "forms", "uploads/${filename}", time.Hour,
		[]any{"starts-with", "$key", "uploads/"}, []any{"content-length-range", 2, 8})
	with := func(change map[string]string) map[string]string {
		fields := map[string]string{}
		for k, v := range signed {
			fields[k] = v
		}
		for k, v := range change {
			if v == "" {
				delete(fields, k)
			} else {
				fields[k] = v
			}
		}
		return fields
	}
	forbidden, bad := http.StatusForbidden, http.StatusBadRequest
	for _, tc := range []struct {
		name     string
		fields   map[string]string
		content  string
		status   int
		code     string
		message  string
		wantsKey string
	}{
		{"key outside the prefix", with(map[string]string{"key": "other/${filename}"}), "abc", forbidden, "AccessDenied",
			`Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]`, "other/f.txt"},
		{"field no condition covers", with(map[string]string{"x-custom": "1"}), "abc", forbidden, "AccessDenied",
			"Invalid according to Policy: Extra input fields: x-custom", "uploads/f.txt"},
		{"file too large", with(nil), "123456789", bad, "EntityTooLarge",
			"Your proposed upload exceeds the maximum allowed size", "uploads/f.txt"},
		{"file too small", with(nil), "1", bad, "EntityTooSmall",
			"Your proposed upload is smaller than the minimum allowed size", "uploads/f.txt"},
		{"policy changed", with(map[string]string{"policy": signed["policy"] + "="}), "abc", forbidden, "SignatureDoesNotMatch", "", "uploads/f.txt"},
		{"no signature", with(map[string]string{"X-Amz-Signature": ""}), "abc", bad, "InvalidArgument",
			"Bucket POST must contain a field named 'X-Amz-Signature'.  If it is specified, please check the order of the fields.", "uploads/f.txt"},
		{"fields over 20 KiB", with(map[string]string{"x-ignore-pad": strings.Repeat("p", 21000)}), "abc", bad, "MaxPostPreDataLengthExceeded",
			"Your POST request fields preceeding the upload file was too large.", "uploads/f.txt"},
		{"anonymous", map[string]string{"key": "uploads/f.txt"}, "abc", forbidden, "AccessDenied", "Access Denied", "uploads/f.txt"},
		{"no key", with(map[string]string{"key": ""}), "abc", bad, "InvalidArgument",
			"Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.", "uploads/f.txt"},
	} {
		resp := postUpload(t, hc, target, tc.fields, "f.txt", []byte(tc.content))
		wantPostError(t, tc.name, resp, tc.status, tc.code, tc.message)
		if _, err := c.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("forms"), Key: aws.String(tc.wantsKey)}); err == nil {
			t.Errorf("%s: object %s was stored", tc.name, tc.wantsKey)
		}
	}

	target, fields := presignPost(t, c, "forms", "late.txt", -time.Minute)
	wantPostError(t, "expired policy", postUpload(t, hc, target, fields, "late.txt", []byte("abc")),
		forbidden, "AccessDenied", "Invalid according to Policy: Policy expired.")
}

// TestPostObjectStreams uploads a file larger than any buffer the front
// door or the form reader keeps.
func TestPostObjectStreams(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	mustCreate(t, c, "forms")
	target, fields := presignPost(t, c, "forms", "big.bin", time.Hour)
	content := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	if resp := postUpload(t, srv.HTTPClient(), target, fields, "big.bin", content); resp.StatusCode != http.StatusNoContent {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST: %d %s", resp.StatusCode, raw)
	}
	got, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("forms"), Key: aws.String("big.bin")})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	if body, _ := io.ReadAll(got.Body); !bytes.Equal(body, content) {
		t.Errorf("GetObject: %d bytes, want the %d posted", len(body), len(content))
	}
}
