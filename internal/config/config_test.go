package config_test

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/fogbank/fogbank/internal/config"
)

func mapEnv(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fogbank.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadPrecedence(t *testing.T) {
	t.Parallel()
	def := config.Default()
	with := func(f func(*config.Config)) config.Config { c := def; f(&c); return c }
	for _, tc := range []struct {
		name  string
		file  string
		env   map[string]string
		flags []string
		want  config.Config
	}{
		{name: "defaults", want: def},
		{
			name: "file over defaults",
			file: `{"region":"eu-west-1","max_request_body":"1MiB","shutdown_timeout":"3s"}`,
			want: with(func(c *config.Config) {
				c.Region = "eu-west-1"
				c.MaxRequestBody = 1 << 20
				c.ShutdownTimeout = config.Duration(3 * time.Second)
			}),
		},
		{
			name: "env over file",
			file: `{"region":"eu-west-1","data_dir":"/from/file"}`,
			env:  map[string]string{"FOGBANK_REGION": "ap-south-1", "FOGBANK_DEV": "true"},
			want: with(func(c *config.Config) { c.Region = "ap-south-1"; c.DataDir = "/from/file"; c.Dev = true }),
		},
		{
			name:  "flags over env",
			env:   map[string]string{"FOGBANK_REGION": "ap-south-1", "FOGBANK_LISTEN": "127.0.0.1:1"},
			flags: []string{"--region", "us-west-2", "--dev"},
			want:  with(func(c *config.Config) { c.Region = "us-west-2"; c.Listen = "127.0.0.1:1"; c.Dev = true }),
		},
		{
			name:  "unset flags keep env",
			env:   map[string]string{"FOGBANK_LOG_LEVEL": "debug"},
			flags: []string{"--listen", "127.0.0.1:0"},
			want:  with(func(c *config.Config) { c.LogLevel = "debug"; c.Listen = "127.0.0.1:0" }),
		},
		{
			name:  "storage from flags and env",
			env:   map[string]string{"FOGBANK_STORAGE": "host=db user=fogbank", "FOGBANK_TTL_INTERVAL": "250ms"},
			flags: []string{"--storage-schema", "tenant_1"},
			want: with(func(c *config.Config) {
				c.Storage = "host=db user=fogbank"
				c.StorageSchema = "tenant_1"
				c.TTLInterval = config.Duration(250 * time.Millisecond)
			}),
		},
		{
			name: "root key from env only",
			env: map[string]string{
				"FOGBANK_ROOT_ACCESS_KEY_ID":     "AKIAIOSFODNN7EXAMPLE",
				"FOGBANK_ROOT_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
			},
			want: with(func(c *config.Config) {
				c.RootAccessKeyID = "AKIAIOSFODNN7EXAMPLE"
				c.RootSecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
			}),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.file != "" {
				path = writeFile(t, tc.file)
			}
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			config.AddFlags(fs)
			if err := fs.Parse(tc.flags); err != nil {
				t.Fatal(err)
			}
			got, err := config.Load(path, mapEnv(tc.env), fs)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Load mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNoSecretFlags(t *testing.T) {
	t.Parallel()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	config.AddFlags(fs)
	for _, name := range []string{"root-access-key-id", "root-secret-access-key"} {
		if fs.Lookup(name) != nil {
			t.Errorf("flag --%s is registered; secrets must come from the environment only", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		file string
		env  map[string]string
		want []string // substrings that must all appear
	}{
		{name: "unknown file field", file: `{"regoin":"x"}`, want: []string{`unknown field "regoin"`}},
		{name: "bad byte size in file", file: `{"max_request_body":"lots"}`, want: []string{`size "lots"`}},
		{name: "bad env bool", env: map[string]string{"FOGBANK_DEV": "maybe"}, want: []string{"FOGBANK_DEV"}},
		{
			name: "every validation problem at once",
			env: map[string]string{
				"FOGBANK_LISTEN": "nope", "FOGBANK_REGION": "Mars", "FOGBANK_ACCOUNT_ID": "12",
				"FOGBANK_LOG_LEVEL": "loud", "FOGBANK_LOG_FORMAT": "xml", "FOGBANK_DATA_DIR": " ",
				"FOGBANK_MAX_REQUEST_BODY": "1B", "FOGBANK_SHUTDOWN_TIMEOUT": "0s",
			},
			want: []string{"listen", "region", "account_id", "log_level", "log_format", "data_dir", "max_request_body", "shutdown_timeout"},
		},
		{
			name: "unknown storage, password not echoed",
			env:  map[string]string{"FOGBANK_STORAGE": "mysql://fogbank:s3cr3t@db/fogbank"},
			want: []string{"storage: want empty"},
		},
		{
			name: "bad storage schema and TTL interval",
			file: `{"storage_schema":"Fog-Bank","ttl_interval":"0s"}`,
			want: []string{`storage_schema "Fog-Bank"`, "ttl_interval"},
		},
		{
			name: "half a root key",
			env:  map[string]string{"FOGBANK_ROOT_SECRET_ACCESS_KEY": "s3cr3t-value"},
			want: []string{"must be set together"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := ""
			if tc.file != "" {
				path = writeFile(t, tc.file)
			}
			_, err := config.Load(path, mapEnv(tc.env), nil)
			if err == nil {
				t.Fatal("Load: want error, got nil")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("Load error %q leaks the secret", err)
			}
		})
	}
}

func TestByteSize(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    config.ByteSize
		str     string
		wantErr bool
	}{
		{in: `"6MiB"`, want: 6 << 20, str: "6MiB"},
		{in: `"16MB"`, want: 16e6, str: "15625KiB"},
		{in: `"64 KiB"`, want: 64 << 10, str: "64KiB"},
		{in: `"2GiB"`, want: 2 << 30, str: "2GiB"},
		{in: `"100B"`, want: 100, str: "100B"},
		{in: `3072`, want: 3072, str: "3KiB"},
		{in: `1536`, want: 1536, str: "1536B"},
		{in: `"1.5MiB"`, wantErr: true},
		{in: `"-1"`, wantErr: true},
		{in: `true`, wantErr: true},
	} {
		var got config.ByteSize
		err := json.Unmarshal([]byte(tc.in), &got)
		if (err != nil) != tc.wantErr {
			t.Errorf("Unmarshal(%s) err = %v, wantErr %v", tc.in, err, tc.wantErr)
			continue
		}
		if err == nil && (got != tc.want || got.String() != tc.str) {
			t.Errorf("Unmarshal(%s) = %d (%s), want %d (%s)", tc.in, got, got, tc.want, tc.str)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{in: `"30s"`, want: 30 * time.Second},
		{in: `"1m30s"`, want: 90 * time.Second},
		{in: `1000`, want: time.Microsecond},
		{in: `"soon"`, wantErr: true},
	} {
		var got config.Duration
		err := json.Unmarshal([]byte(tc.in), &got)
		if (err != nil) != tc.wantErr || (err == nil && time.Duration(got) != tc.want) {
			t.Errorf("Unmarshal(%s) = %v, %v; want %v, err=%v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
	b, err := json.Marshal(config.Duration(90 * time.Second))
	if err != nil || string(b) != `"1m30s"` {
		t.Errorf("Marshal = %s, %v; want \"1m30s\"", b, err)
	}
}

func TestDefaultRoundTrip(t *testing.T) {
	t.Parallel()
	def := config.Default()
	if err := def.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(writeFile(t, string(b)), nil, nil)
	if err != nil {
		t.Fatalf("Load(marshalled defaults): %v", err)
	}
	if diff := cmp.Diff(def, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestValidateRegion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		region string
		valid  bool
	}{
		{region: "us-east-1", valid: true},
		{region: "ap-southeast-2", valid: true},
		{region: "us-gov-west-1", valid: true},
		{region: "us-east", valid: false},
		{region: "US-east-1", valid: false},
		{region: "us--1", valid: false},
		{region: "us-east-", valid: false},
		{region: "", valid: false},
	} {
		c := config.Default()
		c.Region = tc.region
		if err := c.Validate(); (err == nil) != tc.valid {
			t.Errorf("Validate(region %q) = %v, want valid=%v", tc.region, err, tc.valid)
		}
	}
}

func TestStorageKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		storage string
		want    config.StorageKind
	}{
		{storage: "", want: config.StoragePebble},
		{storage: "  ", want: config.StoragePebble},
		{storage: "postgres://fogbank@127.0.0.1:5432/fogbank", want: config.StoragePostgres},
		{storage: "postgresql://db/fogbank?sslmode=disable", want: config.StoragePostgres},
		{storage: "host=db port=5432 dbname=fogbank", want: config.StoragePostgres},
	} {
		c := config.Default()
		c.Storage = tc.storage
		if got := c.StorageKind(); got != tc.want {
			t.Errorf("StorageKind(%q) = %d, want %d", tc.storage, got, tc.want)
		}
	}
}
