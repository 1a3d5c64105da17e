package server

import "testing"

func TestWebsiteHostBucket(t *testing.T) {
	for _, tc := range []struct {
		host, bucket string
		ok           bool
	}{
		{"site.s3-website.localhost", "site", true},
		{"site.s3-website.localhost:4566", "site", true},
		{"Site.S3-Website.LocalHost", "site", true},
		{"www.example.com.s3-website-us-east-1.localhost:80", "www.example.com", true},
		{"site.s3-website.eu-west-1.localhost", "site", true},
		{"s3-website.localhost", "", false},
		{"site.s3-website-.localhost", "", false},
		{"site.s3-website.a.b.localhost", "", false},
		{"site.s3-websitex.localhost", "", false},
		{"site.s3-website.example.com", "", false},
		{"site.localhost", "", false},
	} {
		bucket, ok := websiteHostBucket(tc.host, "localhost")
		if bucket != tc.bucket || ok != tc.ok {
			t.Errorf("websiteHostBucket(%q) = %q, %v; want %q, %v", tc.host, bucket, ok, tc.bucket, tc.ok)
		}
	}
}
