package dynamodb

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fogbank/fogbank/internal/storage"
)

// TransactWriteItems idempotency. A request with a ClientRequestToken stores
// the token, with a digest of its TransactItems, in the same storage Update
// as its writes:
//
//	ddb/rt/<token>                       tokenRecord (JSON)
//	ddb/rx/<expiry ns, 8 bytes BE><token> empty: the expiry index
//
// Within tokenWindow of that commit, the same token with the same items
// succeeds again without writing; with other items it is an
// IdempotentParameterMismatchException. Expired records are ignored, and
// each request that stores a token first deletes up to tokenSweepBatch
// expired ones, oldest first, through the expiry index.
const (
	tokensPrefix      = "ddb/rt/"
	tokenExpiryPrefix = "ddb/rx/"
	tokenWindow       = 10 * time.Minute
	tokenSweepBatch   = 16
	msgTokenMismatch  = "The request uses the same client token as a previous, but non-identical request."
)

// tokenRecord is the stored form of a used token.
type tokenRecord struct {
	Digest  string `json:"Digest"`
	Expires int64  `json:"Expires"` // Unix nanoseconds
}

// requestToken is a request's ClientRequestToken and the digest of its
// TransactItems; the zero value is a request without a token.
type requestToken struct {
	token  string
	digest string
}

// newRequestToken digests in's TransactItems when it carries a token. The
// digest covers only the items: the other members may change between
// retries (AWS then reports read capacity, for example).
func newRequestToken(in *TransactWriteItemsInput) (requestToken, error) {
	if in.ClientRequestToken == nil {
		return requestToken{}, nil
	}
	raw, err := json.Marshal(in.TransactItems)
	if err != nil {
		return requestToken{}, fmt.Errorf("dynamodb: digest transaction: %w", err)
	}
	sum := sha256.Sum256(raw)
	return requestToken{token: *in.ClientRequestToken, digest: hex.EncodeToString(sum[:])}, nil
}

// check reports whether the request replays a committed one with the same
// token, or fails when the token was used for other items.
func (r requestToken) check(tx storage.ReadTx, now time.Time) (replay bool, err error) {
	if r.token == "" {
		return false, nil
	}
	rec, ok, err := loadToken(tx, r.token)
	if err != nil || !ok || rec.Expires <= now.UnixNano() {
		return false, err
	}
	if rec.Digest != r.digest {
		return false, ErrIdempotentParameterMismatch.New(msgTokenMismatch)
	}
	return true, nil
}

// store records the token inside tx, after sweeping expired ones.
func (r requestToken) store(tx storage.Tx, now time.Time) error {
	if r.token == "" {
		return nil
	}
	if err := sweepTokens(tx, now); err != nil {
		return err
	}
	old, ok, err := loadToken(tx, r.token)
	if err != nil {
		return err
	}
	if ok {
		if err := tx.Delete(tokenExpiryKey(old.Expires, r.token)); err != nil {
			return fmt.Errorf("dynamodb: delete token expiry: %w", err)
		}
	}
	rec := tokenRecord{Digest: r.digest, Expires: now.Add(tokenWindow).UnixNano()}
	raw, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("dynamodb: encode token: %w", err)
	}
	if err := tx.Set(tokenKey(r.token), raw); err != nil {
		return fmt.Errorf("dynamodb: store token: %w", err)
	}
	if err := tx.Set(tokenExpiryKey(rec.Expires, r.token), []byte{}); err != nil {
		return fmt.Errorf("dynamodb: store token expiry: %w", err)
	}
	return nil
}

// loadToken reads token's record; ok is false when there is none.
func loadToken(r storage.ReadTx, token string) (rec tokenRecord, ok bool, err error) {
	raw, err := r.Get(tokenKey(token))
	if errors.Is(err, storage.ErrNotFound) {
		return rec, false, nil
	}
	if err != nil {
		return rec, false, fmt.Errorf("dynamodb: read token: %w", err)
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, false, fmt.Errorf("dynamodb: decode token: %w", err)
	}
	return rec, true, nil
}

// sweepTokens deletes up to tokenSweepBatch tokens that expired by now.
func sweepTokens(tx storage.Tx, now time.Time) error {
	var expired [][]byte
	rng := storage.Range{Start: []byte(tokenExpiryPrefix), End: tokenExpiryKey(now.UnixNano()+1, ""), Limit: tokenSweepBatch}
	err := tx.Scan(rng, func(k, _ []byte) bool {
		expired = append(expired, bytes.Clone(k))
		return true
	})
	if err != nil {
		return fmt.Errorf("dynamodb: scan expired tokens: %w", err)
	}
	for _, k := range expired {
		token := k[len(tokenExpiryPrefix)+8:]
		if err := tx.Delete(k); err != nil {
			return fmt.Errorf("dynamodb: delete token expiry: %w", err)
		}
		if err := tx.Delete(tokenKey(string(token))); err != nil {
			return fmt.Errorf("dynamodb: delete token: %w", err)
		}
	}
	return nil
}

// tokenKey is the storage key of token's record.
func tokenKey(token string) []byte { return append([]byte(tokensPrefix), token...) }

// tokenExpiryKey is the expiry-index key of token expiring at expires.
func tokenExpiryKey(expires int64, token string) []byte {
	k := binary.BigEndian.AppendUint64([]byte(tokenExpiryPrefix), uint64(expires))
	return append(k, token...)
}
