package app

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/sigv4"
)

func TestCredentialCache(t *testing.T) {
	t.Parallel()
	stored := map[string]string{"AKIAONE": "secret-1"}
	lookups := 0
	lookup := func(_ context.Context, id string) (sigv4.Credential, error) {
		lookups++
		secret, ok := stored[id]
		if !ok {
			return sigv4.Credential{}, fmt.Errorf("no key %s: %w", id, sigv4.ErrUnknownAccessKey)
		}
		return sigv4.Credential{AccessKeyID: id, SecretAccessKey: secret}, nil
	}
	now := time.Unix(1000, 0)
	c := newCredentialCache(lookup, func() time.Time { return now })
	type step struct {
		advance time.Duration
		id      string
		secret  string // "" for ErrUnknownAccessKey
		lookups int    // storage lookups so far
	}
	for i, s := range []step{
		{id: "AKIAONE", secret: "secret-1", lookups: 1},
		{id: "AKIAONE", secret: "secret-1", lookups: 1},                       // cached
		{id: "AKIATWO", lookups: 2},                                           // unknown
		{id: "AKIATWO", lookups: 3},                                           // unknown keys are not cached
		{advance: time.Second, id: "AKIAONE", secret: "secret-1", lookups: 3}, // still fresh
		{advance: 2 * time.Second, id: "AKIAONE", lookups: 4},                 // expired: deleted meanwhile
	} {
		now = now.Add(s.advance)
		if i == 4 {
			delete(stored, "AKIAONE")
		}
		cred, err := c.Lookup(t.Context(), s.id)
		got := step{advance: s.advance, id: s.id, secret: cred.SecretAccessKey, lookups: lookups}
		if s.secret == "" && !errors.Is(err, sigv4.ErrUnknownAccessKey) {
			t.Errorf("step %d: err = %v, want ErrUnknownAccessKey", i, err)
		}
		if diff := cmp.Diff(s, got, cmp.AllowUnexported(step{})); diff != "" {
			t.Errorf("step %d (-want +got):\n%s", i, diff)
		}
	}
}
