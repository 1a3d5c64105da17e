package identity

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
)

// writeCredentialsFile writes k as the [default] profile of an AWS
// shared-credentials file in dir, mode 0600, unless the file already holds
// exactly that. It returns the file's path.
func writeCredentialsFile(dir string, k AccessKey) (string, error) {
	path := filepath.Join(dir, CredentialsFileName)
	content := []byte("[default]\n" +
		"aws_access_key_id = " + k.AccessKeyID + "\n" +
		"aws_secret_access_key = " + k.SecretAccessKey + "\n")
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, content) {
		return path, os.Chmod(path, 0o600)
	}
	tmp, err := os.CreateTemp(dir, ".credentials-*") // created with mode 0600
	if err != nil {
		return "", fmt.Errorf("identity: write credentials file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after a successful rename
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return "", fmt.Errorf("identity: write credentials file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("identity: write credentials file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("identity: write credentials file: %w", err)
	}
	return path, nil
}
