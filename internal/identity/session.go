package identity

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/fogbank/fogbank/internal/storage"
)

// Bounds of a session's duration, as STS's AssumeRole has them (the upper
// one is the longest a role's MaxSessionDuration may allow).
const (
	MinSessionDuration = 15 * time.Minute
	MaxSessionDuration = 12 * time.Hour
)

// expiredGrace is how long an expired session is kept, so that requests
// still signed with it are answered "expired" rather than "unknown".
const expiredGrace = 24 * time.Hour

// sweepLimit bounds how many expired sessions one AssumeRole deletes.
const sweepLimit = 32

// keyExpiryPrefix indexes the sessions by expiry:
// iam/exp/<8-byte big-endian unix seconds><akid>.
var keyExpiryPrefix = []byte("iam/exp/")

// SessionRequest asks for temporary credentials of a role, as STS's
// AssumeRole does.
type SessionRequest struct {
	// RoleARN is the role assumed, arn:aws:iam::<account>:role/<path><name>.
	RoleARN string
	// SessionName names the session (Lambda uses the function's name).
	SessionName string
	// Duration is how long the credentials are valid, between
	// MinSessionDuration and MaxSessionDuration.
	Duration time.Duration
}

// Session is a set of temporary credentials: requests signed with the
// access key must carry the session token, and are refused once the
// session has expired.
type Session struct {
	// AccessKeyID is "ASIA" followed by 16 characters.
	AccessKeyID string
	// SecretAccessKey is the signing secret.
	SecretAccessKey string
	// SessionToken is sent as X-Amz-Security-Token.
	SessionToken string
	// Expiration is when the credentials stop being valid.
	Expiration time.Time
	// ARN is the assumed-role principal,
	// arn:aws:sts::<account>:assumed-role/<role name>/<session name>.
	ARN string
}

// AssumeRole issues temporary credentials for req and stores them, so that
// every node sharing the storage accepts them. Expired sessions past their
// grace period are deleted in the same transaction.
func (s *Store) AssumeRole(ctx context.Context, req SessionRequest) (Session, error) {
	principal, err := assumedRoleARN(req.RoleARN, req.SessionName)
	if err != nil {
		return Session{}, err
	}
	if req.Duration < MinSessionDuration || req.Duration > MaxSessionDuration {
		return Session{}, fmt.Errorf("identity: session duration %v outside [%v, %v]", req.Duration, MinSessionDuration, MaxSessionDuration)
	}
	now := s.now().UTC()
	k, err := generateSessionKey(s.rand, now, now.Add(req.Duration).Truncate(time.Second), principal)
	if err != nil {
		return Session{}, err
	}
	record, err := json.Marshal(k)
	if err != nil {
		return Session{}, fmt.Errorf("identity: encode session: %w", err)
	}
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		if err := sweepExpired(tx, now.Add(-expiredGrace)); err != nil {
			return err
		}
		if err := tx.Set(accessKeyKey(k.AccessKeyID), record); err != nil {
			return err
		}
		return tx.Set(expiryKey(k.Expiration, k.AccessKeyID), nil)
	})
	if err != nil {
		return Session{}, fmt.Errorf("identity: store session: %w", err)
	}
	s.forgetExpired(now.Add(-expiredGrace))
	return Session{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey, SessionToken: k.SessionToken,
		Expiration: k.Expiration, ARN: k.ARN}, nil
}

// assumedRoleARN returns the principal of session name of the role.
func assumedRoleARN(roleARN, name string) (string, error) {
	a, err := arn.Parse(roleARN)
	if err != nil || a.Service != "iam" || a.AccountID == "" || !strings.HasPrefix(a.Resource, "role/") {
		return "", fmt.Errorf("identity: %q is not a role ARN", roleARN)
	}
	if name == "" {
		return "", errors.New("identity: a session needs a name")
	}
	role := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	return arn.ARN{Partition: a.Partition, Service: "sts", AccountID: a.AccountID,
		Resource: "assumed-role/" + role + "/" + name}.String(), nil
}

// sweepExpired deletes up to sweepLimit sessions that expired before
// cutoff.
func sweepExpired(tx storage.Tx, cutoff time.Time) error {
	var stale [][]byte
	r := storage.Range{Start: keyExpiryPrefix, End: expiryKey(cutoff, ""), Limit: sweepLimit}
	err := tx.Scan(r, func(key, _ []byte) bool {
		stale = append(stale, append([]byte(nil), key...))
		return true
	})
	if err != nil {
		return err
	}
	for _, key := range stale {
		akid := string(key[len(keyExpiryPrefix)+8:])
		if err := tx.Delete(accessKeyKey(akid)); err != nil {
			return err
		}
		if err := tx.Delete(key); err != nil {
			return err
		}
	}
	return nil
}

// expiryKey is the expiry index key of a session.
func expiryKey(expires time.Time, accessKeyID string) []byte {
	key := append([]byte(nil), keyExpiryPrefix...)
	key = binary.BigEndian.AppendUint64(key, uint64(max(expires.Unix(), 0)))
	return append(key, accessKeyID...)
}

// generateSessionKey returns fresh temporary credentials: "ASIA" plus 16
// base32 characters, a 40-character secret and a 128-character token.
func generateSessionKey(r io.Reader, now, expires time.Time, principal string) (AccessKey, error) {
	k, err := generateKey(r, now)
	if err != nil {
		return AccessKey{}, err
	}
	var token [96]byte
	if _, err := io.ReadFull(r, token[:]); err != nil {
		return AccessKey{}, fmt.Errorf("identity: generate session: %w", err)
	}
	k.AccessKeyID = "ASIA" + strings.TrimPrefix(k.AccessKeyID, "AKIA")
	k.Root = false
	k.SessionToken = base64.StdEncoding.EncodeToString(token[:])
	k.Expiration = expires
	k.ARN = principal
	return k, nil
}

// cacheSession remembers a session key read from storage: its record never
// changes, and it is deleted only past expiredGrace. Every
// sessionCachePrune-th insertion forgets the sessions past that grace.
func (s *Store) cacheSession(k AccessKey) {
	s.sessions.Store(k.AccessKeyID, k)
	if s.cached.Add(1)%sessionCachePrune == 0 {
		s.forgetExpired(s.now().Add(-expiredGrace))
	}
}

// sessionCachePrune is how many cache insertions go between prunings.
const sessionCachePrune = 64

// forgetExpired drops the cached sessions that expired before cutoff.
func (s *Store) forgetExpired(cutoff time.Time) {
	s.sessions.Range(func(id, v any) bool {
		if v.(AccessKey).Expiration.Before(cutoff) {
			s.sessions.Delete(id)
		}
		return true
	})
}
