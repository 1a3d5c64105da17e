// Package website is the S3 static website endpoint: the data plane that
// serves a bucket with a website configuration to browsers, as
// <bucket>.s3-website-<region>.amazonaws.com does on AWS. DESIGN.md puts
// website hosting in the gateway/CDN layer, so it lives here, beside the
// S3 API rather than in it: the S3 service stores the configuration
// (Put/Get/DeleteBucketWebsite, internal/service/s3/website.go) and
// implements this package's Source, which the app wires in; this package
// never imports the S3 service.
//
// Addressing (internal/server/website.go): Host <bucket>.s3-website.localhost,
// <bucket>.s3-website-<region>.localhost or <bucket>.s3-website.<region>.localhost
// on any port, or the path-style fallback /_website/<bucket>/<path> on the
// main port. Requests are anonymous (no SigV4). On AWS the bucket must also
// be public (a bucket policy granting s3:GetObject to everyone, and Block
// Public Access off); Fogbank does not enforce bucket policies yet, so any
// bucket with a website configuration is served to anyone who can reach
// the port.
//
// What works:
//   - GET and HEAD (other methods: 405 MethodNotAllowed page);
//   - the index document for / and every "folder" (/docs/ →
//     docs/index.html), and 302 Found from /docs to /docs/ when
//     docs/index.html exists;
//   - the error document on 4XX answers, with the original status; S3's
//     HTML error pages (with x-amz-error-code, x-amz-error-message and
//     x-amz-error-detail-* headers) for NoSuchKey, NoSuchBucket,
//     NoSuchWebsiteConfiguration, MethodNotAllowed, and for a missing
//     error document ("An Error Occurred While Attempting to Retrieve a
//     Custom Error Document");
//   - RedirectAllRequestsTo (301, request path kept), routing rules
//     (KeyPrefixEquals and/or HttpErrorCodeReturnedEquals;
//     Protocol, HostName, ReplaceKeyPrefixWith, ReplaceKeyWith,
//     HttpRedirectCode, 301 by default), and an object's
//     x-amz-website-redirect-location (301);
//   - HTTP caching: ETag and Last-Modified on every object answer,
//     If-None-Match / If-Modified-Since → 304 and If-Match /
//     If-Unmodified-Since → 412 and single or multiple Ranges (through
//     http.ServeContent), the object's stored headers (Cache-Control,
//     Content-Type, Content-Disposition, ...) passed through;
//   - compression: objects up to MaxCachedObject (256 KiB) of a text-like
//     type (text/*, JavaScript, JSON, XML, SVG, *+json, *+xml, wasm, ...)
//     not stored with a Content-Encoding are sent with br or gzip when
//     Accept-Encoding allows (br preferred; q=0 honoured) and the encoding
//     makes them smaller, with Vary: Accept-Encoding and the weak ETag
//     W/<etag> for the encoded representation; not for Range requests;
//   - an in-memory LRU cache (64 MiB, golang-lru's simplelru under a byte
//     budget) of objects up to 256 KiB and of their compressed variants,
//     keyed by bucket, key, ETag and coding. Every request reads the
//     object's current metadata from the Source (one point read) and so
//     sees an overwrite at once: the new ETag misses, and entries of old
//     versions are never served again and age out of the LRU. X-Cache
//     says "Hit from fogbank" or "Miss from fogbank", as CloudFront does;
//   - larger objects stream from storage, reading only the bytes a Range
//     asks for.
//
// Missing: bucket policy / Block Public Access checks (see above), 403
// AccessDenied pages, CORS on the website endpoint, HTTPS, custom domains
// (a CNAME-style bucket named after the host), and the configuration read
// on every request is not cached (a bucket record point read).
package website
