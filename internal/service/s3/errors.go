package s3

import (
	"net/http"

	"github.com/fogbank/fogbank/internal/apierr"
)

// S3's modeled errors (PROTOCOLS.md §4.5).
var (
	errNoSuchBucket        = apierr.Def{Code: "NoSuchBucket", Status: http.StatusNotFound}
	errNoSuchKey           = apierr.Def{Code: "NoSuchKey", Status: http.StatusNotFound}
	errNoSuchTagSet        = apierr.Def{Code: "NoSuchTagSet", Status: http.StatusNotFound}
	errNoSuchCORS          = apierr.Def{Code: "NoSuchCORSConfiguration", Status: http.StatusNotFound}
	errBucketOwned         = apierr.Def{Code: "BucketAlreadyOwnedByYou", Status: http.StatusConflict}
	errBucketNotEmpty      = apierr.Def{Code: "BucketNotEmpty", Status: http.StatusConflict}
	errInvalidBucketName   = apierr.Def{Code: "InvalidBucketName", Status: http.StatusBadRequest}
	errIllegalLocation     = apierr.Def{Code: "IllegalLocationConstraintException", Status: http.StatusBadRequest}
	errMalformedXML        = apierr.Def{Code: "MalformedXML", Status: http.StatusBadRequest}
	errInvalidArgument     = apierr.Def{Code: "InvalidArgument", Status: http.StatusBadRequest}
	errInvalidRequest      = apierr.Def{Code: "InvalidRequest", Status: http.StatusBadRequest}
	errInvalidDigest       = apierr.Def{Code: "InvalidDigest", Status: http.StatusBadRequest}
	errBadDigest           = apierr.Def{Code: "BadDigest", Status: http.StatusBadRequest}
	errEntityTooLarge      = apierr.Def{Code: "EntityTooLarge", Status: http.StatusBadRequest}
	errIncompleteBody      = apierr.Def{Code: "IncompleteBody", Status: http.StatusBadRequest}
	errKeyTooLong          = apierr.Def{Code: "KeyTooLongError", Status: http.StatusBadRequest}
	errInvalidRange        = apierr.Def{Code: "InvalidRange", Status: http.StatusRequestedRangeNotSatisfiable}
	errPreconditionFailed  = apierr.Def{Code: "PreconditionFailed", Status: http.StatusPreconditionFailed}
	errMethodNotAllowed    = apierr.Def{Code: "MethodNotAllowed", Status: http.StatusMethodNotAllowed}
	errNotImplemented      = apierr.Def{Code: "NotImplemented", Status: http.StatusNotImplemented}
	errInvalidTag          = apierr.Def{Code: "InvalidTag", Status: http.StatusBadRequest}
	errInvalidContinuation = apierr.Def{Code: "InvalidArgument", Status: http.StatusBadRequest}
	errInvalidEncodingType = apierr.Def{Code: "InvalidArgument", Status: http.StatusBadRequest}
	errMetadataTooLarge    = apierr.Def{Code: "MetadataTooLarge", Status: http.StatusBadRequest}
	errInvalidCopySource   = apierr.Def{Code: "InvalidArgument", Status: http.StatusBadRequest}
	errNoSuchVersion       = apierr.Def{Code: "NoSuchVersion", Status: http.StatusNotFound}
	errNoSuchUpload        = apierr.Def{Code: "NoSuchUpload", Status: http.StatusNotFound}
	errEntityTooSmall      = apierr.Def{Code: "EntityTooSmall", Status: http.StatusBadRequest}
	errInvalidPart         = apierr.Def{Code: "InvalidPart", Status: http.StatusBadRequest}
	errInvalidPartOrder    = apierr.Def{Code: "InvalidPartOrder", Status: http.StatusBadRequest}
	errInvalidPartNumber   = apierr.Def{Code: "InvalidPartNumber", Status: http.StatusRequestedRangeNotSatisfiable}
	errCORSForbidden       = apierr.Def{Code: "AccessForbidden", Status: http.StatusForbidden}
	errBadRequest          = apierr.Def{Code: "BadRequest", Status: http.StatusBadRequest}
)

// apiCode returns the S3 error code of err, "" when it has none.
func apiCode(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Code
	}
	return ""
}

// Messages S3 sends with the errors above.
const (
	msgNoSuchBucket    = "The specified bucket does not exist"
	msgNoSuchKey       = "The specified key does not exist."
	msgMalformedXML    = "The XML you provided was not well-formed or did not validate against our published schema"
	msgBadMD5          = "The Content-MD5 you specified did not match what we received."
	msgInvalidMD5      = "The Content-MD5 you specified is not valid."
	msgPrecondition    = "At least one of the pre-conditions you specified did not hold"
	msgInvalidRange    = "The requested range is not satisfiable"
	msgNotImplemented  = "A header you provided implies functionality that is not implemented"
	msgMethodNotAllow  = "The specified method is not allowed against this resource."
	msgIncompleteBody  = "You did not provide the number of bytes specified by the Content-Length HTTP header"
	msgEntityTooLarge  = "Your proposed upload exceeds the maximum allowed size"
	msgBucketNotEmpty  = "The bucket you tried to delete is not empty"
	msgBucketOwned     = "Your previous request to create the named bucket succeeded and you already own it."
	msgInvalidBucket   = "The specified bucket is not valid."
	msgCopyToItself    = "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes."
	msgMissingMD5      = "Missing required header for this request: Content-MD5"
	msgMetadataTooLong = "Your metadata headers exceed the maximum allowed metadata size"
	msgNoSuchVersion   = "The specified version does not exist."
	msgNoSuchUpload    = "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed."
	msgEntityTooSmall  = "Your proposed upload is smaller than the minimum allowed object size."
	msgInvalidPart     = "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag."
	msgInvalidOrder    = "The list of parts was not in ascending order. Parts must be ordered by part number."
	msgPartNumber      = "Part number must be an integer between 1 and 10000, inclusive"
)
