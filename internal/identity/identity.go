// Package identity is Fogbank's credential store: the root access key that
// the server generates on first start (or takes from the environment), its
// persistence in the storage engine, the AWS shared-credentials file written
// beside the data, temporary role credentials (AssumeRole, as STS issues
// them; Lambda gives them to functions), and the SigV4 credential lookup.
//
// Keys live in the engine under the "iam/" keyspace:
//
//	iam/root             the root access key id
//	iam/key/<akid>       the JSON record of one access key (secret, and for
//	                     a session its token, expiry and principal ARN)
//	iam/exp/<t><akid>    an empty entry per session, ordered by expiry t
//	                     (8-byte big-endian Unix seconds), to delete
//	                     sessions a day after they expired
//
// Session keys ("ASIA...") are only valid with their session token and
// until their expiry; the verifier answers an expired one with
// sigv4.ErrExpiredToken. Because the records live in the shared engine,
// every node accepts the sessions any node issued. Session records never
// change, so Lookup caches them in memory.
//
// Not done: IAM users, roles and policies (a role is not checked to exist,
// and nothing is authorised against the principal; it is only recorded),
// STS's own API (GetCallerIdentity, AssumeRole over the wire), the root
// principal's ARN.
//
// Secrets and session tokens are never logged. Root secrets are printed
// once, on first generation, to Options.Notice.
package identity

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fogbank/fogbank/internal/logging"
	"github.com/fogbank/fogbank/internal/sigv4"
	"github.com/fogbank/fogbank/internal/storage"
)

// Keys of the identity keyspace.
var (
	keyRoot      = []byte("iam/root")
	keyKeyPrefix = []byte("iam/key/")
)

// CredentialsFileName is the name of the shared-credentials file written in
// the data directory.
const CredentialsFileName = "credentials"

// Options configure a Store.
type Options struct {
	// Engine stores the keys. Required.
	Engine storage.Engine
	// DataDir is where the shared-credentials file is written. Required.
	DataDir string
	// RootAccessKeyID and RootSecretAccessKey, when both set, make that key
	// the root key (replacing any earlier root key) instead of generating
	// one.
	RootAccessKeyID     string
	RootSecretAccessKey string
	// Notice receives the one-time message with freshly generated root
	// credentials (normally os.Stderr); nil discards it.
	Notice io.Writer
	// Rand is the randomness source for generated keys; crypto/rand when nil.
	Rand io.Reader
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Logger receives lifecycle logs (never secrets); discarded when nil.
	Logger *slog.Logger
}

// EnsureDefaults fills in the optional fields of o.
func (o *Options) EnsureDefaults() {
	if o.Notice == nil {
		o.Notice = io.Discard
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	o.Logger = logging.OrDiscard(o.Logger)
}

// AccessKey is one stored access key.
type AccessKey struct {
	// AccessKeyID is the public id, "AKIA" followed by 16 characters.
	AccessKeyID string `json:"access_key_id"`
	// SecretAccessKey is the signing secret.
	SecretAccessKey string `json:"secret_access_key"`
	// Root marks the account's root key.
	Root bool `json:"root,omitempty"`
	// Created is when the key was stored.
	Created time.Time `json:"created"`
	// SessionToken, Expiration and ARN are set for temporary credentials
	// only (see AssumeRole).
	SessionToken string    `json:"session_token,omitempty"`
	Expiration   time.Time `json:"expiration,omitzero"`
	ARN          string    `json:"arn,omitempty"`
}

// Store holds the access keys. It is safe for concurrent use.
type Store struct {
	engine storage.Engine
	root   AccessKey
	rand   io.Reader
	now    func() time.Time
	// sessions caches session keys read from storage, by access key id.
	sessions sync.Map
	cached   atomic.Uint64 // insertions into sessions
}

// New opens the credential store: it makes sure a root key exists
// (generating one on first start, or storing the explicitly configured one)
// and that the shared-credentials file in opts.DataDir holds it.
func New(ctx context.Context, opts Options) (*Store, error) {
	opts.EnsureDefaults()
	if opts.Engine == nil || opts.DataDir == "" {
		return nil, errors.New("identity: Engine and DataDir are required")
	}
	s := &Store{engine: opts.Engine, rand: opts.Rand, now: opts.Now}
	root, generated, err := s.ensureRoot(ctx, opts)
	if err != nil {
		return nil, err
	}
	s.root = root
	path, err := writeCredentialsFile(opts.DataDir, root)
	if err != nil {
		return nil, err
	}
	if generated {
		opts.Logger.DebugContext(ctx, "generated root credentials", slog.String("access_key_id", root.AccessKeyID), slog.String("path", path))
		printNotice(opts.Notice, root, path)
	}
	return s, nil
}

// Root returns the root access key.
func (s *Store) Root() AccessKey { return s.root }

// Lookup returns the credential of an access key id, or an error wrapping
// sigv4.ErrUnknownAccessKey when there is none. It is a sigv4.LookupFunc.
func (s *Store) Lookup(ctx context.Context, accessKeyID string) (sigv4.Credential, error) {
	if k, ok := s.sessions.Load(accessKeyID); ok {
		return credential(k.(AccessKey)), nil
	}
	var k AccessKey
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		var err error
		k, err = getKey(tx, accessKeyID)
		return err
	})
	if errors.Is(err, storage.ErrNotFound) {
		return sigv4.Credential{}, fmt.Errorf("identity: access key %q: %w", accessKeyID, sigv4.ErrUnknownAccessKey)
	}
	if err != nil {
		return sigv4.Credential{}, fmt.Errorf("identity: look up access key: %w", err)
	}
	if k.SessionToken != "" {
		s.cacheSession(k)
	}
	return credential(k), nil
}

// credential is what the verifier needs of k.
func credential(k AccessKey) sigv4.Credential {
	return sigv4.Credential{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey,
		SessionToken: k.SessionToken, Expires: k.Expiration, ARN: k.ARN}
}

// ensureRoot returns the root key, storing the configured one or generating
// one when none exists. generated reports a fresh generation.
func (s *Store) ensureRoot(ctx context.Context, opts Options) (root AccessKey, generated bool, err error) {
	existing, err := s.currentRoot(ctx)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return AccessKey{}, false, err
	}
	if opts.RootAccessKeyID != "" {
		if existing.AccessKeyID == opts.RootAccessKeyID && existing.SecretAccessKey == opts.RootSecretAccessKey {
			return existing, false, nil
		}
		root = AccessKey{AccessKeyID: opts.RootAccessKeyID, SecretAccessKey: opts.RootSecretAccessKey, Root: true, Created: opts.Now().UTC()}
		return root, false, s.engine.Update(ctx, func(tx storage.Tx) error { return putRoot(tx, root) })
	}
	if err == nil {
		return existing, false, nil
	}
	return s.generateRoot(ctx, opts)
}

// generateRoot stores a new root key unless another node stored one first:
// the check and the write are one transaction, so nodes starting together on
// one database agree on a single root key.
func (s *Store) generateRoot(ctx context.Context, opts Options) (root AccessKey, generated bool, err error) {
	fresh, err := generateKey(opts.Rand, opts.Now().UTC())
	if err != nil {
		return AccessKey{}, false, err
	}
	err = s.engine.Update(ctx, func(tx storage.Tx) error {
		id, err := tx.Get(keyRoot)
		if err == nil {
			root, err = getKey(tx, string(id))
			return err
		}
		if !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		root, generated = fresh, true
		return putRoot(tx, fresh)
	})
	if err != nil {
		return AccessKey{}, false, fmt.Errorf("identity: store root key: %w", err)
	}
	return root, generated, nil
}

func (s *Store) currentRoot(ctx context.Context) (AccessKey, error) {
	var k AccessKey
	err := s.engine.View(ctx, func(tx storage.ReadTx) error {
		id, err := tx.Get(keyRoot)
		if err != nil {
			return err
		}
		k, err = getKey(tx, string(id))
		return err
	})
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return AccessKey{}, fmt.Errorf("identity: read root key: %w", err)
	}
	return k, err
}

// putRoot stores k as the root key, deleting a different previous root key.
func putRoot(tx storage.Tx, k AccessKey) error {
	old, err := tx.Get(keyRoot)
	switch {
	case err == nil && string(old) != k.AccessKeyID:
		if err := tx.Delete(accessKeyKey(string(old))); err != nil {
			return err
		}
	case err != nil && !errors.Is(err, storage.ErrNotFound):
		return err
	}
	record, err := json.Marshal(k)
	if err != nil {
		return fmt.Errorf("identity: encode key: %w", err)
	}
	if err := tx.Set(accessKeyKey(k.AccessKeyID), record); err != nil {
		return err
	}
	return tx.Set(keyRoot, []byte(k.AccessKeyID))
}

func getKey(tx storage.ReadTx, accessKeyID string) (AccessKey, error) {
	record, err := tx.Get(accessKeyKey(accessKeyID))
	if err != nil {
		return AccessKey{}, err
	}
	var k AccessKey
	if err := json.Unmarshal(record, &k); err != nil {
		return AccessKey{}, fmt.Errorf("identity: decode key %q: %w", accessKeyID, err)
	}
	return k, nil
}

func accessKeyKey(accessKeyID string) []byte {
	return append(append([]byte(nil), keyKeyPrefix...), accessKeyID...)
}

// generateKey returns a fresh key: "AKIA" plus 16 base32 characters
// ([A-Z2-7]) for the id, and 40 base64 characters for the secret.
func generateKey(r io.Reader, now time.Time) (AccessKey, error) {
	var idBytes [10]byte // 80 bits: exactly 16 base32 characters
	var secretBytes [30]byte
	if _, err := io.ReadFull(r, idBytes[:]); err != nil {
		return AccessKey{}, fmt.Errorf("identity: generate key: %w", err)
	}
	if _, err := io.ReadFull(r, secretBytes[:]); err != nil {
		return AccessKey{}, fmt.Errorf("identity: generate key: %w", err)
	}
	return AccessKey{
		AccessKeyID:     "AKIA" + base32.StdEncoding.EncodeToString(idBytes[:]),
		SecretAccessKey: base64.StdEncoding.EncodeToString(secretBytes[:]),
		Root:            true,
		Created:         now,
	}, nil
}

func printNotice(w io.Writer, k AccessKey, path string) {
	// The only place a secret is ever written outside the data directory.
	fmt.Fprintf(w, "Fogbank generated root credentials (shown once; saved to %s):\n"+
		"  aws_access_key_id     = %s\n"+
		"  aws_secret_access_key = %s\n"+
		"Use them with: export AWS_SHARED_CREDENTIALS_FILE=%s\n",
		path, k.AccessKeyID, k.SecretAccessKey, path)
}
