// Package s3 is Fogbank's S3 API (restXml): buckets and objects whose
// metadata lives in the storage engine (keyspace "s3/", see store.go) and
// whose bytes live in a blob.Store (files under the data directory).
//
// The front door (internal/server, s3.go) routes S3 requests here after
// SigV4 verification with S3's single path encoding; it also verifies the
// payload as it streams (hex x-amz-content-sha256, aws-chunked bodies with
// chunk signatures or unsigned checksum trailers, delivered into
// r.Trailer). This package finds the bucket from a virtual host
// (<bucket>.localhost, <bucket>.s3.localhost, any port) or the first path
// segment, dispatches on method and subresource flags, and writes S3's XML
// answers and errors (internal/awsproto/restxml).
//
// An upload streams through MD5 and checksum hashers into a temporary
// file, which is fsynced and renamed before its metadata commits; a failed
// digest vetoes the blob, so no half or corrupt object is ever visible.
//
// What works:
//   - buckets: CreateBucket (name rules, LocationConstraint equal to the
//     server region), HeadBucket (x-amz-bucket-region), DeleteBucket
//     (BucketNotEmpty), ListBuckets (prefix, max-buckets,
//     continuation-token), GetBucketLocation, Get/PutBucketVersioning
//     (stored only), Get/Put/DeleteBucketTagging, Get/Put/DeleteBucketCors
//     (stored only);
//   - objects: PutObject (Content-MD5, x-amz-checksum-crc32 / crc32c /
//     crc64nvme / sha1 / sha256 in a header or trailer, user metadata,
//     Content-Type, Cache-Control, Content-Disposition, Content-Encoding,
//     Content-Language, Expires), GetObject and HeadObject (single Range,
//     If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since,
//     response-* overrides, checksum returned with x-amz-checksum-mode),
//     DeleteObject, DeleteObjects, CopyObject (COPY / REPLACE, across
//     buckets), ListObjectsV2 and ListObjects (prefix, delimiter,
//     start-after, continuation-token, marker, max-keys, encoding-type=url);
//   - presigned GET and PUT URLs (expiry enforced by the front door).
//
// Missing (answered 501 NotImplemented where a subresource names them):
// multipart uploads, object versions (versioning status is stored but
// objects are not versioned), object tagging, ACLs and bucket policies,
// website hosting, lifecycle, notifications, encryption at rest, CORS
// applied to requests (and OPTIONS preflight), copy-source conditions,
// UploadPartCopy, POST policy uploads, collection of blobs orphaned by a
// crash between the blob write and the metadata commit.
package s3
