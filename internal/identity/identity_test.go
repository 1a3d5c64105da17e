package identity_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/fogbank/fogbank/internal/identity"
	"github.com/fogbank/fogbank/internal/sigv4"
	"github.com/fogbank/fogbank/internal/storage/pebble"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	accessKeyIDPattern = regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)
	secretPattern      = regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)
)

// open opens the store over a pebble engine in dir. The returned function
// closes the engine (to restart on the same dir); it also runs at cleanup.
func open(t *testing.T, dir string, opts identity.Options) (*identity.Store, func()) {
	t.Helper()
	engine, err := pebble.Open(filepath.Join(dir, "db"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	closeEngine := sync.OnceFunc(func() { engine.Close() })
	t.Cleanup(closeEngine)
	opts.Engine, opts.DataDir = engine, dir
	s, err := identity.New(t.Context(), opts)
	if err != nil {
		t.Fatalf("identity.New: %v", err)
	}
	return s, closeEngine
}

func TestGeneratedOnceAndPersisted(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var notice bytes.Buffer
	first, closeFirst := open(t, dir, identity.Options{Notice: &notice})
	closeFirst()
	root := first.Root()
	if !accessKeyIDPattern.MatchString(root.AccessKeyID) || !secretPattern.MatchString(root.SecretAccessKey) {
		t.Fatalf("generated key %q / secret of %d chars has the wrong shape", root.AccessKeyID, len(root.SecretAccessKey))
	}
	if !strings.Contains(notice.String(), root.AccessKeyID) || !strings.Contains(notice.String(), root.SecretAccessKey) {
		t.Errorf("first start notice %q lacks the credentials", notice.String())
	}

	notice.Reset()
	second, _ := open(t, dir, identity.Options{Notice: &notice})
	if diff := cmp.Diff(root, second.Root()); diff != "" {
		t.Errorf("root key changed across restart (-first +second):\n%s", diff)
	}
	if notice.Len() != 0 {
		t.Errorf("second start printed %q; credentials must be shown once", notice.String())
	}
}

func TestCredentialsFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, _ := open(t, dir, identity.Options{})
	path := filepath.Join(dir, identity.CredentialsFileName)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := info.Mode().Perm(); mode != 0o600 {
		t.Errorf("credentials file mode = %v, want 0600", mode)
	}
	shared, err := awsconfig.LoadSharedConfigProfile(t.Context(), "default", func(o *awsconfig.LoadSharedConfigOptions) {
		o.CredentialsFiles = []string{path}
		o.ConfigFiles = []string{}
	})
	if err != nil {
		t.Fatalf("SDK cannot load %s: %v", path, err)
	}
	got := [2]string{shared.Credentials.AccessKeyID, shared.Credentials.SecretAccessKey}
	want := [2]string{s.Root().AccessKeyID, s.Root().SecretAccessKey}
	if got != want {
		t.Errorf("credentials file holds key %q, want %q", got[0], want[0])
	}
}

func TestExplicitRootKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, closeFirst := open(t, dir, identity.Options{})
	closeFirst()
	generated := first.Root()

	var notice bytes.Buffer
	explicit := identity.Options{
		RootAccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
		RootSecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		Notice:              &notice,
	}
	s, _ := open(t, dir, explicit)
	ctx := t.Context()
	got, err := s.Lookup(ctx, "AKIAIOSFODNN7EXAMPLE")
	if err != nil {
		t.Fatalf("Lookup(explicit key): %v", err)
	}
	want := sigv4.Credential{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Lookup mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.Lookup(ctx, generated.AccessKeyID); !errors.Is(err, sigv4.ErrUnknownAccessKey) {
		t.Errorf("Lookup(replaced generated key) err = %v, want ErrUnknownAccessKey", err)
	}
	if notice.Len() != 0 {
		t.Errorf("explicit key printed %q; only generated keys are announced", notice.String())
	}
	file, err := os.ReadFile(filepath.Join(dir, identity.CredentialsFileName))
	if err != nil || !strings.Contains(string(file), "AKIAIOSFODNN7EXAMPLE") {
		t.Errorf("credentials file = %q, %v; want the explicit key", file, err)
	}
}

func TestLookupUnknown(t *testing.T) {
	t.Parallel()
	s, _ := open(t, t.TempDir(), identity.Options{})
	_, err := s.Lookup(t.Context(), "AKIANOSUCHKEY0000000")
	if !errors.Is(err, sigv4.ErrUnknownAccessKey) {
		t.Errorf("Lookup(unknown) err = %v, want ErrUnknownAccessKey", err)
	}
}

func TestPrincipalContext(t *testing.T) {
	t.Parallel()
	if _, ok := identity.PrincipalFromContext(context.Background()); ok {
		t.Error("PrincipalFromContext(empty) ok = true, want false")
	}
	ctx := identity.WithPrincipal(context.Background(), identity.Principal{AccessKeyID: "AKIAX"})
	if p, ok := identity.PrincipalFromContext(ctx); !ok || p.AccessKeyID != "AKIAX" {
		t.Errorf("PrincipalFromContext = %+v, %v; want AKIAX, true", p, ok)
	}
}

// Nodes that start together on one empty database agree on one root key.
func TestConcurrentStartsShareOneRootKey(t *testing.T) {
	t.Parallel()
	engine, err := pebble.Open(filepath.Join(t.TempDir(), "db"), pebble.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { engine.Close() })
	const nodes = 4
	roots := make([]identity.AccessKey, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Go(func() {
			s, err := identity.New(t.Context(), identity.Options{Engine: engine, DataDir: t.TempDir()})
			if err != nil {
				t.Errorf("node %d: identity.New: %v", i, err)
				return
			}
			roots[i] = s.Root()
		})
	}
	wg.Wait()
	for i := 1; i < nodes; i++ {
		if diff := cmp.Diff(roots[0], roots[i]); diff != "" {
			t.Errorf("node %d root key differs from node 0 (-0 +%d):\n%s", i, i, diff)
		}
	}
}
