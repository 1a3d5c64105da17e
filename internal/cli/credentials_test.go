package cli

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	dataDir := filepath.Join(dir, "data")
	if err := os.Mkdir(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	write("data/credentials", "[default]\naws_access_key_id = DATADIR\naws_secret_access_key = s1\n")
	shared := write("shared", "# comment\n[default]\naws_access_key_id=SHAREDDEFAULT\naws_secret_access_key=s2\n"+
		"[dev]\n; comment\naws_access_key_id = SHAREDDEV\naws_secret_access_key = s3\ns3 =\n  aws_access_key_id = NESTED\n")
	config := write("config", "[default]\nregion = eu-west-1\n[profile ops]\naws_access_key_id = CONFIGOPS\naws_secret_access_key = s4\n")
	tests := []struct {
		name    string
		dataDir string
		env     map[string]string
		want    string
	}{
		{"environment first", dataDir, map[string]string{"AWS_ACCESS_KEY_ID": "ENV", "AWS_SECRET_ACCESS_KEY": "s0"}, "ENV"},
		{"data directory", dataDir, map[string]string{"AWS_PROFILE": "dev", "AWS_SHARED_CREDENTIALS_FILE": shared}, "DATADIR"},
		{"shared default", dir, map[string]string{"AWS_SHARED_CREDENTIALS_FILE": shared}, "SHAREDDEFAULT"},
		{"shared profile", dir, map[string]string{"AWS_PROFILE": "dev", "AWS_SHARED_CREDENTIALS_FILE": shared}, "SHAREDDEV"},
		{"config profile", dir, map[string]string{"AWS_PROFILE": "ops", "AWS_SHARED_CREDENTIALS_FILE": shared, "AWS_CONFIG_FILE": config}, "CONFIGOPS"},
		{"home directory", dir, map[string]string{"HOME": dir + "/home"}, ""},
		{"nothing", dir, nil, ""},
	}
	for _, tc := range tests {
		lookup := func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok }
		creds, err := loadCredentials(tc.dataDir, lookup)
		switch {
		case tc.want == "" && !errors.Is(err, errNoCredentials):
			t.Errorf("%s: got %q, %v; want errNoCredentials", tc.name, creds.AccessKeyID, err)
		case tc.want != "" && (err != nil || creds.AccessKeyID != tc.want):
			t.Errorf("%s: got %q, %v; want %q", tc.name, creds.AccessKeyID, err, tc.want)
		}
	}
}
