package identity_test

import (
	"errors"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/sigv4"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

var sessionKeyPattern = regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`)

const lambdaRole = "arn:aws:iam::123456789012:role/service/lambda-role"

// nodes returns two stores over one engine, as two nodes sharing storage
// have, with the clock *now.
func nodes(t *testing.T, now *time.Time) (first, second *identity.Store) {
	t.Helper()
	engine, err := pebble.Open(filepath.Join(t.TempDir(), "db"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	stores := make([]*identity.Store, 2)
	for i := range stores {
		opts := identity.Options{Engine: engine, DataDir: t.TempDir(), Now: func() time.Time { return *now }}
		if stores[i], err = identity.New(t.Context(), opts); err != nil {
			t.Fatal(err)
		}
	}
	return stores[0], stores[1]
}

// A session is bound to the assumed role, and carries its token and expiry
// through Lookup on every node.
func TestAssumeRole(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	issuer, other := nodes(t, &now)
	sess, err := issuer.AssumeRole(t.Context(), identity.SessionRequest{RoleARN: lambdaRole, SessionName: "my-fn", Duration: 12 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !sessionKeyPattern.MatchString(sess.AccessKeyID) || len(sess.SessionToken) < 100 || len(sess.SecretAccessKey) != 40 {
		t.Errorf("session key %q (token of %d chars, secret of %d) has the wrong shape",
			sess.AccessKeyID, len(sess.SessionToken), len(sess.SecretAccessKey))
	}
	want := sigv4.Credential{AccessKeyID: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey, SessionToken: sess.SessionToken,
		Expires: now.Add(12 * time.Hour), ARN: "arn:aws:sts::123456789012:assumed-role/lambda-role/my-fn"}
	if sess.ARN != want.ARN || !sess.Expiration.Equal(want.Expires) {
		t.Errorf("session = %s until %v, want %s until %v", sess.ARN, sess.Expiration, want.ARN, want.Expires)
	}
	for name, store := range map[string]*identity.Store{"issuer": issuer, "other node": other} {
		for range 2 { // from storage, then from the cache
			got, err := store.Lookup(t.Context(), sess.AccessKeyID)
			if err != nil {
				t.Fatalf("%s: Lookup: %v", name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: Lookup (-want +got):\n%s", name, diff)
			}
		}
	}
}

func TestAssumeRoleRefusals(t *testing.T) {
	t.Parallel()
	now := time.Now()
	s, _ := nodes(t, &now)
	for _, req := range []identity.SessionRequest{
		{RoleARN: "arn:aws:iam::123456789012:user/bob", SessionName: "f", Duration: time.Hour},
		{RoleARN: "not an arn", SessionName: "f", Duration: time.Hour},
		{RoleARN: lambdaRole, Duration: time.Hour},
		{RoleARN: lambdaRole, SessionName: "f", Duration: 13 * time.Hour},
		{RoleARN: lambdaRole, SessionName: "f", Duration: time.Minute},
	} {
		if _, err := s.AssumeRole(t.Context(), req); err == nil {
			t.Errorf("AssumeRole(%+v) succeeded", req)
		}
	}
}

// Sessions stay known (so requests are answered "expired") for a day after
// they expire, then a later AssumeRole deletes them.
func TestExpiredSessionsSwept(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s, other := nodes(t, &now)
	req := identity.SessionRequest{RoleARN: lambdaRole, SessionName: "f", Duration: identity.MinSessionDuration}
	old, err := s.AssumeRole(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(identity.MinSessionDuration + 23*time.Hour)
	if _, err := s.AssumeRole(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Lookup(t.Context(), old.AccessKeyID); err != nil {
		t.Errorf("Lookup(expired 23 h ago) = %v, want the credential", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := s.AssumeRole(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	_, err = s.Lookup(t.Context(), old.AccessKeyID)
	if !errors.Is(err, sigv4.ErrUnknownAccessKey) {
		t.Errorf("Lookup(expired 25 h ago) err = %v, want ErrUnknownAccessKey", err)
	}
}
