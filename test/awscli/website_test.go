package awscli_test

import (
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// TestS3Website configures a bucket website with `aws s3 website` and
// reads it anonymously with net/http, host-style and path-style.
func TestS3Website(t *testing.T) {
	c := newCLI(t)
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	writeFile(t, site, "index.html", []byte("<h1>home</h1>"))
	writeFile(t, site, "error.html", []byte("<h1>lost</h1>"))
	writeFile(t, site, "guide/index.html", []byte("<h1>guide</h1>"))
	c.must("s3", "mb", "s3://www-site")
	c.must("s3", "sync", site, "s3://www-site/")
	c.must("s3", "website", "s3://www-site", "--index-document", "index.html", "--error-document", "error.html")
	got := c.ok("s3api", "get-bucket-website", "--bucket", "www-site")
	if at(got, "IndexDocument", "Suffix") != "index.html" || at(got, "ErrorDocument", "Key") != "error.html" {
		t.Errorf("get-bucket-website = %v", got)
	}

	u, err := url.Parse(c.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	fetch := func(host, path string) (int, string, http.Header) {
		t.Helper()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, c.endpoint+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s%s: %v", host, path, err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp.Header
	}
	siteHost := "www-site.s3-website.localhost:" + u.Port()
	for _, tc := range []struct {
		host, path string
		status     int
		body       string
	}{
		{siteHost, "/", http.StatusOK, "<h1>home</h1>"},
		{siteHost, "/guide/", http.StatusOK, "<h1>guide</h1>"},
		{siteHost, "/nope.html", http.StatusNotFound, "<h1>lost</h1>"},
		{u.Host, "/_website/www-site/", http.StatusOK, "<h1>home</h1>"},
		{u.Host, "/_website/www-site/nope.html", http.StatusNotFound, "<h1>lost</h1>"},
	} {
		status, body, _ := fetch(tc.host, tc.path)
		if status != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s%s = %d %.100q, want %d %q", tc.host, tc.path, status, body, tc.status, tc.body)
		}
	}
	if status, _, h := fetch(siteHost, "/guide"); status != http.StatusFound || h.Get("Location") != "/guide/" {
		t.Errorf("GET /guide = %d Location %q, want 302 /guide/", status, h.Get("Location"))
	}
}
