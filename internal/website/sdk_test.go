package website_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/fogtest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// page is a compressible HTML body of a few KiB.
var page = "<html><body>" + strings.Repeat("<p>Fogbank serves this bucket as a website.</p>\n", 100) + "</body></html>"

// fixture is one server with the bucket "site" configured as a website:
// index.html, error.html, a routing rule old/ → new/ and one sending
// 404s under gone/ to example.com.
type fixture struct {
	t    *testing.T
	srv  *fogtest.Server
	s3   *s3.Client
	http *http.Client
	port string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	srv := fogtest.Start(t)
	_, port, _ := net.SplitHostPort(srv.Addr())
	f := &fixture{t: t, srv: srv, s3: srv.S3(), http: srv.S3HTTPClient(), port: port}
	f.createBucket("site")
	f.put("site", "index.html", "text/html", page, nil)
	f.put("site", "docs/index.html", "text/html", "<h1>docs</h1>", nil)
	f.put("site", "error.html", "text/html", "<h1>not here</h1>", nil)
	f.put("site", "app.js", "application/javascript", strings.Repeat("console.log('fogbank');\n", 200),
		func(in *s3.PutObjectInput) { in.CacheControl = aws.String("max-age=60") })
	f.putWebsite("site", &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
		ErrorDocument: &types.ErrorDocument{Key: aws.String("error.html")},
		RoutingRules: []types.RoutingRule{{
			Condition: &types.Condition{KeyPrefixEquals: aws.String("old/")},
			Redirect:  &types.Redirect{ReplaceKeyPrefixWith: aws.String("new/")},
		}, {
			Condition: &types.Condition{KeyPrefixEquals: aws.String("gone/"), HttpErrorCodeReturnedEquals: aws.String("404")},
			Redirect:  &types.Redirect{HostName: aws.String("example.com"), Protocol: types.ProtocolHttps, HttpRedirectCode: aws.String("302")},
		}},
	})
	return f
}

func (f *fixture) createBucket(name string) {
	f.t.Helper()
	if _, err := f.s3.CreateBucket(f.t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		f.t.Fatalf("CreateBucket %s: %v", name, err)
	}
}

func (f *fixture) put(bucket, key, contentType, body string, opt func(*s3.PutObjectInput)) {
	f.t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), ContentType: aws.String(contentType), Body: strings.NewReader(body)}
	if opt != nil {
		opt(in)
	}
	if _, err := f.s3.PutObject(f.t.Context(), in); err != nil {
		f.t.Fatalf("PutObject %s: %v", key, err)
	}
}

func (f *fixture) putWebsite(bucket string, cfg *types.WebsiteConfiguration) {
	f.t.Helper()
	if _, err := f.s3.PutBucketWebsite(f.t.Context(), &s3.PutBucketWebsiteInput{Bucket: aws.String(bucket), WebsiteConfiguration: cfg}); err != nil {
		f.t.Fatalf("PutBucketWebsite %s: %v", bucket, err)
	}
}

// form is how a request addresses a website: by Host, or path-style.
type form struct {
	name string
	// url returns the URL and the Host header of path on bucket's site.
	url func(f *fixture, bucket, path string) (string, string)
	// base is what Location headers start with for paths on the site.
	base string
}

var forms = []form{
	{"host", func(f *fixture, bucket, path string) (string, string) {
		return "http://localhost:" + f.port + path, bucket + ".s3-website.localhost:" + f.port
	}, ""},
	{"path", func(f *fixture, bucket, path string) (string, string) {
		return "http://localhost:" + f.port + "/_website/" + bucket + path, ""
	}, "/_website/site"},
}

// answer is a response with its body read.
type answer struct {
	*http.Response
	body string
}

// get sends an anonymous request with headers (name, value pairs).
func (f *fixture) do(method, url, host string, headers ...string) answer {
	f.t.Helper()
	req, err := http.NewRequestWithContext(f.t.Context(), method, url, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := *f.http
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		f.t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return answer{Response: resp, body: string(body)}
}

func (f *fixture) get(fm form, bucket, path string, headers ...string) answer {
	f.t.Helper()
	url, host := fm.url(f, bucket, path)
	return f.do(http.MethodGet, url, host, headers...)
}

func expect(t *testing.T, what string, a answer, status int, bodyHas string, headers ...string) {
	t.Helper()
	if a.StatusCode != status {
		t.Errorf("%s: status %d, want %d (body %.200q)", what, a.StatusCode, status, a.body)
	}
	if bodyHas != "" && !strings.Contains(a.body, bodyHas) {
		t.Errorf("%s: body %.300q lacks %q", what, a.body, bodyHas)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if got := a.Header.Get(headers[i]); got != headers[i+1] {
			t.Errorf("%s: %s = %q, want %q", what, headers[i], got, headers[i+1])
		}
	}
}

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode() + ": " + ae.ErrorMessage()
	}
	return ""
}

func TestBucketWebsiteConfiguration(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	ctx := t.Context()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("conf")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("conf")})
	if got, want := apiCode(err), "NoSuchWebsiteConfiguration: The specified bucket does not have a website configuration"; got != want {
		t.Errorf("GetBucketWebsite before Put: %q, want %q", got, want)
	}
	cfg := &types.WebsiteConfiguration{
		IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
		ErrorDocument: &types.ErrorDocument{Key: aws.String("error.html")},
		RoutingRules: []types.RoutingRule{{
			Condition: &types.Condition{KeyPrefixEquals: aws.String("docs/")},
			Redirect:  &types.Redirect{ReplaceKeyPrefixWith: aws.String("documents/"), HttpRedirectCode: aws.String("307")},
		}},
	}
	if _, err := c.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("conf"), WebsiteConfiguration: cfg}); err != nil {
		t.Fatalf("PutBucketWebsite: %v", err)
	}
	got, err := c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("conf")})
	if err != nil {
		t.Fatalf("GetBucketWebsite: %v", err)
	}
	if aws.ToString(got.IndexDocument.Suffix) != "index.html" || aws.ToString(got.ErrorDocument.Key) != "error.html" ||
		len(got.RoutingRules) != 1 || aws.ToString(got.RoutingRules[0].Redirect.ReplaceKeyPrefixWith) != "documents/" ||
		aws.ToString(got.RoutingRules[0].Condition.KeyPrefixEquals) != "docs/" || aws.ToString(got.RoutingRules[0].Redirect.HttpRedirectCode) != "307" {
		t.Errorf("GetBucketWebsite = %+v", got)
	}
	if _, err := c.DeleteBucketWebsite(ctx, &s3.DeleteBucketWebsiteInput{Bucket: aws.String("conf")}); err != nil {
		t.Fatalf("DeleteBucketWebsite: %v", err)
	}
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("conf")})
	if !strings.HasPrefix(apiCode(err), "NoSuchWebsiteConfiguration") {
		t.Errorf("GetBucketWebsite after Delete: %v", err)
	}
	_, err = c.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: aws.String("nope")})
	if !strings.HasPrefix(apiCode(err), "NoSuchBucket") {
		t.Errorf("GetBucketWebsite of a missing bucket: %v", err)
	}
}

func TestPutBucketWebsiteValidation(t *testing.T) {
	srv := fogtest.Start(t)
	c := srv.S3()
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("conf")}); err != nil {
		t.Fatal(err)
	}
	index := &types.IndexDocument{Suffix: aws.String("index.html")}
	rule := func(c *types.Condition, r *types.Redirect) []types.RoutingRule {
		return []types.RoutingRule{{Condition: c, Redirect: r}}
	}
	for _, tc := range []struct {
		name string
		cfg  types.WebsiteConfiguration
		want string
	}{
		{"nothing", types.WebsiteConfiguration{},
			"InvalidArgument: A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty"},
		{"slash in suffix", types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("a/index.html")}},
			"InvalidArgument: The IndexDocument Suffix is not well formed"},
		{"redirect all and index", types.WebsiteConfiguration{IndexDocument: index,
			RedirectAllRequestsTo: &types.RedirectAllRequestsTo{HostName: aws.String("example.com")}},
			"InvalidArgument: RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules."},
		{"bad protocol", types.WebsiteConfiguration{RedirectAllRequestsTo: &types.RedirectAllRequestsTo{HostName: aws.String("example.com"), Protocol: "ftp"}},
			"InvalidRequest: Invalid protocol, protocol can be http or https. If not defined the protocol will be selected automatically."},
		{"both replacements", types.WebsiteConfiguration{IndexDocument: index, RoutingRules: rule(nil,
			&types.Redirect{ReplaceKeyWith: aws.String("a"), ReplaceKeyPrefixWith: aws.String("b/")})},
			"InvalidRequest: You can only define ReplaceKeyPrefix or ReplaceKey but not both."},
		{"empty condition", types.WebsiteConfiguration{IndexDocument: index, RoutingRules: rule(&types.Condition{},
			&types.Redirect{HostName: aws.String("example.com")})},
			"InvalidRequest: Condition cannot be empty. To redirect all requests without a condition, the condition element shouldn't be present."},
		{"redirect code 300", types.WebsiteConfiguration{IndexDocument: index, RoutingRules: rule(nil,
			&types.Redirect{HttpRedirectCode: aws.String("300")})},
			"InvalidRequest: The provided HTTP redirect code (300) is not valid. Valid codes are 3XX except 300."},
		{"error code 302", types.WebsiteConfiguration{IndexDocument: index, RoutingRules: rule(&types.Condition{HttpErrorCodeReturnedEquals: aws.String("302")},
			&types.Redirect{HostName: aws.String("example.com")})},
			"InvalidRequest: The provided HTTP error code (302) is not valid. Valid codes are 4XX or 5XX."},
	} {
		_, err := c.PutBucketWebsite(t.Context(), &s3.PutBucketWebsiteInput{Bucket: aws.String("conf"), WebsiteConfiguration: &tc.cfg})
		if got := apiCode(err); got != tc.want {
			t.Errorf("%s: PutBucketWebsite error %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestWebsiteServesPages(t *testing.T) {
	f := newFixture(t)
	for _, fm := range forms {
		t.Run(fm.name, func(t *testing.T) {
			expect(t, "index", f.get(fm, "site", "/"), http.StatusOK, "Fogbank serves", "Content-Type", "text/html")
			expect(t, "folder index", f.get(fm, "site", "/docs/"), http.StatusOK, "<h1>docs</h1>")
			expect(t, "folder without slash", f.get(fm, "site", "/docs"), http.StatusFound, "", "Location", fm.base+"/docs/")
			expect(t, "error document", f.get(fm, "site", "/missing.html"), http.StatusNotFound, "<h1>not here</h1>", "Content-Type", "text/html")
			redirect := f.get(fm, "site", "/old/page.html")
			if want := "/new/page.html"; redirect.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(redirect.Header.Get("Location"), fm.base+want) {
				t.Errorf("routing rule: %d Location %q, want 301 to …%s", redirect.StatusCode, redirect.Header.Get("Location"), fm.base+want)
			}
			expect(t, "error-code rule", f.get(fm, "site", "/gone/page.html"), http.StatusFound, "", "Location", "https://example.com/gone/page.html")
			url, host := fm.url(f, "site", "/index.html")
			head := f.do(http.MethodHead, url, host)
			expect(t, "HEAD", head, http.StatusOK, "", "Content-Length", fmtLen(page))
			if head.body != "" {
				t.Errorf("HEAD body %.100q, want none", head.body)
			}
			expect(t, "POST", f.do(http.MethodPost, url, host), http.StatusMethodNotAllowed, "<li>Code: MethodNotAllowed</li>", "X-Amz-Error-Code", "MethodNotAllowed")
		})
	}
}

func TestWebsiteErrorPages(t *testing.T) {
	f := newFixture(t)
	f.createBucket("plain")
	f.createBucket("bare")
	f.put("bare", "index.html", "text/html", "hi", nil)
	f.putWebsite("bare", &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")}})
	f.createBucket("lost")
	f.putWebsite("lost", &types.WebsiteConfiguration{IndexDocument: &types.IndexDocument{Suffix: aws.String("index.html")},
		ErrorDocument: &types.ErrorDocument{Key: aws.String("404.html")}})
	f.createBucket("moved")
	f.putWebsite("moved", &types.WebsiteConfiguration{RedirectAllRequestsTo: &types.RedirectAllRequestsTo{HostName: aws.String("example.org"), Protocol: types.ProtocolHttps}})
	fm := forms[0]
	expect(t, "no such key", f.get(fm, "bare", "/nothing"), http.StatusNotFound,
		"<h1>404 Not Found</h1>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: nothing</li>",
		"X-Amz-Error-Code", "NoSuchKey", "Content-Type", "text/html; charset=utf-8")
	expect(t, "no website", f.get(fm, "plain", "/"), http.StatusNotFound,
		"<li>Code: NoSuchWebsiteConfiguration</li>\n<li>Message: The specified bucket does not have a website configuration</li>\n<li>BucketName: plain</li>")
	expect(t, "no bucket", f.get(fm, "nobucket", "/"), http.StatusNotFound,
		"<li>Code: NoSuchBucket</li>\n<li>Message: The specified bucket does not exist</li>\n<li>BucketName: nobucket</li>")
	expect(t, "missing error document", f.get(fm, "lost", "/x"), http.StatusNotFound,
		"<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>\n<ul>\n<li>Code: NoSuchKey</li>\n<li>Message: The specified key does not exist.</li>\n<li>Key: 404.html</li>")
	expect(t, "redirect all", f.get(fm, "moved", "/a/b.html"), http.StatusMovedPermanently, "", "Location", "https://example.org/a/b.html")
	expect(t, "region host form", f.do(http.MethodGet, "http://localhost:"+f.port+"/", "bare.s3-website-us-east-1.localhost"), http.StatusOK, "hi")
	expect(t, "dotted region host form", f.do(http.MethodGet, "http://localhost:"+f.port+"/", "bare.s3-website.us-east-1.localhost"), http.StatusOK, "hi")
}

func TestWebsiteCaching(t *testing.T) {
	f := newFixture(t)
	for _, fm := range forms {
		t.Run(fm.name, func(t *testing.T) {
			first := f.get(fm, "site", "/app.js")
			expect(t, "first GET", first, http.StatusOK, "console.log", "Cache-Control", "max-age=60", "Accept-Ranges", "bytes")
			etag, modified := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if etag == "" || modified == "" {
				t.Fatalf("ETag %q, Last-Modified %q: want both", etag, modified)
			}
			expect(t, "second GET", f.get(fm, "site", "/app.js"), http.StatusOK, "", "X-Cache", "Hit from fogbank", "ETag", etag)
			expect(t, "If-None-Match", f.get(fm, "site", "/app.js", "If-None-Match", etag), http.StatusNotModified, "", "ETag", etag)
			expect(t, "If-Modified-Since", f.get(fm, "site", "/app.js", "If-Modified-Since", modified), http.StatusNotModified, "")
			expect(t, "Range", f.get(fm, "site", "/app.js", "Range", "bytes=0-6"), http.StatusPartialContent, "console",
				"Content-Range", "bytes 0-6/"+first.Header.Get("Content-Length"))

			gz := f.get(fm, "site", "/app.js", "Accept-Encoding", "gzip")
			expect(t, "gzip", gz, http.StatusOK, "", "Content-Encoding", "gzip", "Vary", "Accept-Encoding", "ETag", "W/"+etag)
			if got := gunzip(t, gz.body); got != first.body {
				t.Errorf("gzip body decodes to %d bytes, want the %d of the object", len(got), len(first.body))
			}
			br := f.get(fm, "site", "/app.js", "Accept-Encoding", "gzip, deflate, br")
			expect(t, "br", br, http.StatusOK, "", "Content-Encoding", "br")
			if got := unbrotli(t, br.body); got != first.body {
				t.Errorf("br body decodes to %d bytes, want the %d of the object", len(got), len(first.body))
			}
			if len(br.body) >= len(first.body) {
				t.Errorf("br body is %d bytes, object %d: not compressed", len(br.body), len(first.body))
			}
			expect(t, "br again", f.get(fm, "site", "/app.js", "Accept-Encoding", "br"), http.StatusOK, "", "X-Cache", "Hit from fogbank")
			expect(t, "br 304", f.get(fm, "site", "/app.js", "Accept-Encoding", "br", "If-None-Match", "W/"+etag), http.StatusNotModified, "")
		})
	}
	old := f.get(forms[0], "site", "/app.js").Header.Get("ETag")
	f.put("site", "app.js", "application/javascript", "console.log('v2');", nil)
	fresh := f.get(forms[0], "site", "/app.js")
	expect(t, "after overwrite", fresh, http.StatusOK, "v2", "X-Cache", "Miss from fogbank")
	expect(t, "old ETag no longer matches", f.get(forms[0], "site", "/app.js", "If-None-Match", old), http.StatusOK, "v2")
}

func TestWebsiteLargeObjectStreams(t *testing.T) {
	f := newFixture(t)
	big := bytes.Repeat([]byte("0123456789abcdef"), 32<<10) // 512 KiB: over the cache limit
	f.put("site", "big.txt", "text/plain", string(big), nil)
	all := f.get(forms[1], "site", "/big.txt", "Accept-Encoding", "gzip")
	expect(t, "large GET", all, http.StatusOK, "", "Content-Encoding", "", "X-Cache", "")
	if all.body != string(big) {
		t.Errorf("large GET: %d bytes, want %d", len(all.body), len(big))
	}
	part := f.get(forms[1], "site", "/big.txt", "Range", "bytes=300000-300009")
	expect(t, "large Range", part, http.StatusPartialContent, "", "Content-Range", "bytes 300000-300009/524288")
	if want := string(big[300000:300010]); part.body != want {
		t.Errorf("large Range body %q, want %q", part.body, want)
	}
}

func TestWebsiteRedirectLocation(t *testing.T) {
	f := newFixture(t)
	f.put("site", "moved.html", "text/html", "x", func(in *s3.PutObjectInput) { in.WebsiteRedirectLocation = aws.String("/docs/") })
	head, err := f.s3.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("site"), Key: aws.String("moved.html")})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(head.WebsiteRedirectLocation); got != "/docs/" {
		t.Errorf("HeadObject WebsiteRedirectLocation = %q, want /docs/", got)
	}
	expect(t, "redirect location", f.get(forms[0], "site", "/moved.html"), http.StatusMovedPermanently, "", "Location", "/docs/")
}

func fmtLen(s string) string { return strconv.Itoa(len(s)) }

func gunzip(t *testing.T, s string) string {
	t.Helper()
	r, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return string(out)
}

func unbrotli(t *testing.T, s string) string {
	t.Helper()
	out, err := io.ReadAll(brotli.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatalf("brotli: %v", err)
	}
	return string(out)
}
