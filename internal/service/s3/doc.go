// Package s3 is Fogbank's S3 API (restXml): buckets and objects whose
// metadata lives in the storage engine (keyspace "s3/", see store.go) and
// whose bytes live in a blob.Store (files under the data directory).
//
// The front door (internal/server, s3.go) routes S3 requests here after
// verifying their signature: SigV4 (header or presigned query) with S3's
// single path encoding, or SigV2 (internal/sigv2: presigned AWSAccessKeyId
// / Expires / Signature URLs, as AWS CLI v1 makes them, and "AWS
// AKID:signature" headers). It also verifies a SigV4 payload as it streams
// (hex x-amz-content-sha256, aws-chunked bodies with chunk signatures or
// unsigned checksum trailers, delivered into r.Trailer). For a POST upload
// form it reads the fields before the file (at most 20 KiB), checks the
// policy's SigV4 or SigV2 signature, and replays them here. This package finds the bucket from a virtual host
// (<bucket>.localhost, <bucket>.s3.localhost, any port) or the first path
// segment, dispatches on method and subresource flags, and writes S3's XML
// answers and errors (internal/awsproto/restxml).
//
// An upload streams through MD5 and checksum hashers into a temporary
// file, which is fsynced and renamed before its metadata commits; a failed
// digest vetoes the blob, so no half or corrupt object is ever visible.
// Multipart parts are blobs of their own; CompleteMultipartUpload writes
// no bytes: the object's record is a manifest of its part blobs, which
// GetObject reads in sequence, opening only the parts a Range or
// partNumber spans, the first 64 up front and the rest as the read reaches
// them (multipart.go, object.go). A blob left unreferenced by a crash is
// deleted by the orphan collector (collect.go), which the app runs hourly
// with a one-hour grace period. test/crash/s3_test.go kills the server
// with SIGKILL under concurrent PUTs and checks that every acknowledged
// object reads back byte-identical and every visible one is complete.
//
// Encryption at rest (sse.go) is always on, as on S3 since 2023: every
// blob is sealed with AES-256-GCM in 64 KiB segments (each with its own
// tag, the nonce its index) under a random data key of its own, which the
// master key wraps (AES-256-GCM) and the record naming the blob keeps
// (objectRecord.DataKey, partRef.Key, partRecord.DataKey). The master key
// is $FOGBANK_S3_MASTER_KEY (64 hex digits) or the 0600 file
// <data-dir>/s3-master.key made on first start (internal/app/s3.go), the
// file and its directory synced: losing it loses every object. A Range read decrypts only the segments
// it spans; CopyObject and UploadPartCopy re-encrypt under a new key.
// Blobs written before encryption existed have no data key and are read
// as stored, with sendfile (blob.Section through the front door's
// ReaderFrom); sealed ones are decrypted into the response a segment at
// a time, which costs sendfile (see bench/s3).
//
// Versioned buckets keep every version and delete marker under
// s3/v/<bucket>/<key>\x00<versionId>, newest first, beside the current
// object under s3/o/ (versions.go); enabling versioning records the
// existing objects as null versions in one transaction.
//
// What works:
//   - buckets: CreateBucket (name rules, LocationConstraint equal to the
//     server region), HeadBucket (x-amz-bucket-region), DeleteBucket
//     (BucketNotEmpty, also for versions and delete markers; aborts the
//     bucket's multipart uploads), ListBuckets (prefix, max-buckets,
//     continuation-token), GetBucketLocation, Get/PutBucketVersioning,
//     Get/Put/DeleteBucketTagging, Get/Put/DeleteBucketCors,
//     Get/Put/DeleteBucketWebsite (S3's validation; website.go, which also
//     gives the website endpoint, package internal/website, its reads);
//   - CORS applied: OPTIONS preflight answered from the bucket's rules
//     without credentials (AccessForbidden / BadRequest as S3 words them),
//     Access-Control-* headers on requests whose Origin a rule allows;
//   - objects: PutObject (Content-MD5, x-amz-checksum-crc32 / crc32c /
//     crc64nvme / sha1 / sha256 in a header or trailer, user metadata,
//     Content-Type, Cache-Control, Content-Disposition, Content-Encoding,
//     Content-Language, Expires, x-amz-tagging), GetObject and HeadObject
//     (single Range, partNumber with x-amz-mp-parts-count, If-Match /
//     If-None-Match / If-Modified-Since / If-Unmodified-Since, response-*
//     overrides, versionId, x-amz-delete-marker, x-amz-tagging-count,
//     checksum returned with x-amz-checksum-mode), DeleteObject and DeleteObjects (versionId,
//     delete markers), CopyObject (COPY / REPLACE metadata and tagging
//     directives, across buckets, source versionId,
//     x-amz-copy-source-if-* conditions), ListObjectsV2 and ListObjects
//     (prefix, delimiter, start-after, continuation-token, marker,
//     max-keys, encoding-type=url), ListObjectVersions (key-marker,
//     version-id-marker, delimiter), Get/Put/DeleteObjectTagging
//     (versionId);
//   - multipart uploads: CreateMultipartUpload, UploadPart, UploadPartCopy
//     (x-amz-copy-source-range), CompleteMultipartUpload (multipart ETag,
//     COMPOSITE checksums and FULL_OBJECT ones (x-amz-checksum-type;
//     CRC32, CRC32C, CRC64NVME: the parts' CRCs combined into the whole
//     object's, checked against a full checksum header on completion),
//     part checksums listed in the request checked, EntityTooSmall under
//     5 MiB but for the last part, InvalidPart, InvalidPartOrder, 10,000
//     parts; a repeated completion of an upload whose object is still the
//     key's current one answers as the first did), AbortMultipartUpload,
//     ListParts, ListMultipartUploads (markers, delimiter);
//   - presigned GET and PUT URLs, SigV4 and SigV2 (expiry enforced by the
//     front door);
//   - POST policy uploads (browser forms, post.go, post_policy.go): key
//     with ${filename}, policy expiration and conditions (exact-match
//     objects, eq, starts-with incl. Content-Type lists, content-length-range
//     enforced while the file streams, Extra input fields), the form's
//     Content-Type, Cache-Control, Content-Disposition, Content-Encoding,
//     Expires, x-amz-meta-*, other x-amz-* object settings and tagging XML
//     passed to PutObject, success_action_redirect (303 with bucket, key,
//     etag), success_action_status 200 / 201 (PostResponse) / 204; acl is
//     accepted (it must be covered by the policy) and ignored; errors as S3
//     words them (InvalidPolicyDocument, AccessDenied "Invalid according to
//     Policy: ...", EntityTooLarge / EntityTooSmall, InvalidArgument,
//     MalformedPOSTRequest, MaxPostPreDataLengthExceeded, 412 for a body
//     that is not multipart/form-data);
//   - server-side encryption: SSE-S3 for every object, with
//     x-amz-server-side-encryption: AES256 on PutObject, GetObject,
//     HeadObject, CopyObject, CreateMultipartUpload, UploadPart(Copy) and
//     CompleteMultipartUpload answers; the header AES256 accepted on
//     writes; Get/Put/DeleteBucketEncryption (AES256 with
//     BucketKeyEnabled stored; GetBucketEncryption answers AES256 when
//     none was put, and Delete restores that default) (sse_bucket.go);
//   - lifecycle (lifecycle.go, lifecycle_sweep.go):
//     Get/Put/DeleteBucketLifecycleConfiguration (V2 rules: Filter by
//     Prefix, Tag or And{Prefix, Tags, ObjectSizeGreaterThan/LessThan}, or
//     a rule-level Prefix; Expiration Days / Date / ExpiredObjectDeleteMarker,
//     NoncurrentVersionExpiration with NewerNoncurrentVersions,
//     AbortIncompleteMultipartUpload; S3's MalformedXML / InvalidArgument /
//     InvalidRequest answers; IDs generated when missing). Transitions are
//     stored and returned but change nothing (one storage class). The
//     lifecycle worker (RunLifecycle, run by internal/app under the lease
//     "s3/lifecycle" every --s3-lifecycle-interval) expires current
//     objects (a delete marker in a versioned bucket), deletes noncurrent
//     versions, removes delete markers left alone, and aborts old uploads,
//     each in a transaction that checks its condition again. A rule's day
//     is --s3-lifecycle-day (24h; shorten it in tests), and expiry is the
//     exact time created + Days×day, where S3 rounds up to the next
//     midnight UTC;
//   - notifications (notification.go, notification_event.go):
//     Get/PutBucketNotificationConfiguration (Queue, Topic and
//     LambdaFunction configurations, EventBridgeConfiguration stored;
//     S3's event names, prefix/suffix key filters, overlap and destination
//     checks; Ids generated when missing; an empty document turns them
//     off). Every object event a configuration asks for (ObjectCreated:Put
//     / Copy / Post / CompleteMultipartUpload, ObjectRemoved:Delete /
//     DeleteMarkerCreated, LifecycleExpiration:Delete /
//     DeleteMarkerCreated) is appended, in the same transaction as the
//     change, to the bucket's durable event log under s3/e/<bucket>/ as
//     S3's message JSON (eventVersion 2.1, URL-encoded key, sequencer),
//     plus s3:TestEvent for each new queue and topic. Delivery is a
//     dispatcher's job: NotifyingBuckets, ReadEvents(bucket, after, limit)
//     and TrimEvents are its API (until one runs, a notifying bucket's log
//     only grows);
//   - bucket policies (policy.go): Get/Put/DeleteBucketPolicy (validated as
//     S3 does, with its MalformedPolicy messages), GetBucketPolicyStatus
//     (IsPublic: an Allow to Principal "*" without a Condition), and
//     Get/Put/DeletePublicAccessBlock. Policies and access blocks are
//     stored, NOT enforced (IAM evaluation comes later).
//
// Bucket configurations other than tags, CORS and versioning live under
// s3/cfg/<kind>/<bucket> (bucket.go); DeleteBucket removes them and the
// bucket's event log.
//
// Missing (answered 501 NotImplemented where a subresource names them):
// ACLs, bucket policy enforcement, event delivery (the log is written,
// nothing reads it yet), EventBridge events, ObjectTagging / ObjectRestore
// events, the x-amz-expiration header of objects a lifecycle rule will
// expire, object lock, GetObjectAttributes, and
// encryption other than SSE-S3: SSE-KMS (x-amz-server-side-encryption
// aws:kms / aws:kms:dsse, also as a bucket default) and SSE-C
// (x-amz-server-side-encryption-customer-*) answer 501 NotImplemented;
// an unknown algorithm is InvalidArgument as on S3.
// Also: SigV2 with session tokens beyond an exact token match, policy
// conditions on the fields S3 reserves for exact matching (starts-with is
// accepted on every field), master key rotation, and keeping a read of a multipart object beyond its
// first 64 parts (opened lazily) safe from a concurrent overwrite.
package s3
