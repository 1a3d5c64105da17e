package s3

import (
	"encoding/xml"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsproto/restxml"
)

// Server-side encryption headers and values.
const (
	headerSSE         = "X-Amz-Server-Side-Encryption"
	headerSSEKMSKeyID = "X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id"
	headerSSECustomer = "X-Amz-Server-Side-Encryption-Customer-Algorithm"
	headerSSECopySrcC = "X-Amz-Copy-Source-Server-Side-Encryption-Customer-Algorithm"
	sseAES256         = "AES256"
	sseKMS            = "aws:kms"
	sseKMSDSSE        = "aws:kms:dsse"
)

// msgKMSUnsupported answers requests for SSE-KMS, which needs a KMS that
// Fogbank does not have.
const msgKMSUnsupported = "Server-side encryption with AWS KMS keys (aws:kms, aws:kms:dsse) is not supported; use AES256 (SSE-S3)"

// checkSSERequest vets a write's encryption headers: AES256 (or none) is
// SSE-S3, which every object gets; SSE-KMS and SSE-C are NotImplemented;
// anything else is S3's InvalidArgument.
func checkSSERequest(h http.Header) error {
	if h.Get(headerSSECustomer) != "" || h.Get(headerSSECopySrcC) != "" {
		return errNotImplemented.New("Server-side encryption with customer-provided keys (SSE-C) is not supported").
			With("Header", headerSSECustomer)
	}
	switch v := h.Get(headerSSE); v {
	case "", sseAES256:
	case sseKMS, sseKMSDSSE:
		return errNotImplemented.New(msgKMSUnsupported).With("Header", headerSSE)
	default:
		return errInvalidArgument.New("The encryption method specified is not supported").
			With("ArgumentName", "x-amz-server-side-encryption").With("ArgumentValue", v)
	}
	if h.Get(headerSSEKMSKeyID) != "" {
		return errInvalidArgument.New("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms").
			With("ArgumentName", "x-amz-server-side-encryption")
	}
	return nil
}

// setSSEHeader sets x-amz-server-side-encryption for an object.
func setSSEHeader(h http.Header, rec *objectRecord) {
	if v := rec.sse(); v != "" {
		h.Set(headerSSE, v)
	}
}

// ServerSideEncryptionConfiguration is a bucket's default encryption
// document.
type ServerSideEncryptionConfiguration struct {
	XMLName xml.Name  `xml:"ServerSideEncryptionConfiguration" json:"-"`
	Xmlns   string    `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []SSERule `xml:"Rule" json:"rules"`
}

// SSERule is one rule of a ServerSideEncryptionConfiguration.
type SSERule struct {
	Default          *SSEDefault `xml:"ApplyServerSideEncryptionByDefault" json:"default,omitempty"`
	BucketKeyEnabled *bool       `xml:"BucketKeyEnabled" json:"bucketKey,omitempty"`
}

// SSEDefault is the algorithm a rule applies.
type SSEDefault struct {
	SSEAlgorithm   string `xml:"SSEAlgorithm" json:"alg"`
	KMSMasterKeyID string `xml:"KMSMasterKeyID,omitempty" json:"kmsKey,omitempty"`
}

// defaultEncryption is what GetBucketEncryption answers for a bucket
// whose configuration was never put (or was deleted): SSE-S3, as on AWS
// since January 2023.
func defaultEncryption() *ServerSideEncryptionConfiguration {
	off := false
	return &ServerSideEncryptionConfiguration{Rules: []SSERule{{Default: &SSEDefault{SSEAlgorithm: sseAES256}, BucketKeyEnabled: &off}}}
}

func (s *Service) putBucketEncryption(rq *request) error {
	var cfg ServerSideEncryptionConfiguration
	if err := decodeXML(rq, &cfg); err != nil {
		return err
	}
	if len(cfg.Rules) != 1 || cfg.Rules[0].Default == nil {
		return errMalformedXML.New(msgMalformedXML)
	}
	d := cfg.Rules[0].Default
	switch d.SSEAlgorithm {
	case sseAES256:
		if d.KMSMasterKeyID != "" {
			return errInvalidArgument.New("a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
		}
	case sseKMS, sseKMSDSSE:
		return errNotImplemented.New(msgKMSUnsupported).With("SSEAlgorithm", d.SSEAlgorithm)
	default:
		return errMalformedXML.New(msgMalformedXML)
	}
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Encryption = &ServerSideEncryptionConfiguration{Rules: cfg.Rules}
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Service) getBucketEncryption(rq *request) error {
	b, err := s.viewBucket(rq.r.Context(), rq.bucket)
	if err != nil {
		return err
	}
	cfg := b.Encryption
	if cfg == nil {
		cfg = defaultEncryption()
	}
	return s.writeXML(rq, http.StatusOK, &ServerSideEncryptionConfiguration{Xmlns: restxml.Namespace, Rules: cfg.Rules})
}

// deleteBucketEncryption restores the default, SSE-S3.
func (s *Service) deleteBucketEncryption(rq *request) error {
	err := s.updateBucket(rq.r.Context(), rq.bucket, func(b *bucketRecord) error {
		b.Encryption = nil
		return nil
	})
	if err != nil {
		return err
	}
	rq.w.WriteHeader(http.StatusNoContent)
	return nil
}
