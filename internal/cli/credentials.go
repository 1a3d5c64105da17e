package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/fogbank/fogbank/internal/identity"
)

// errNoCredentials: none of the places loadCredentials looks holds a key.
var errNoCredentials = errors.New("cli: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, " +
	"or point --data-dir at the server's data directory")

// loadCredentials finds the access key to sign with, in the order the AWS
// SDKs use for static keys: the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
// (/ AWS_SESSION_TOKEN) environment variables; else the [default] profile of
// the data directory's credentials file when it exists; else the profile
// $AWS_PROFILE (default "default") of the shared credentials file and then of
// the shared config file. Fogbank only knows static keys, so the SDKs' other
// sources (SSO, assumed roles, instance metadata) would not authenticate.
func loadCredentials(dataDir string, lookupEnv func(string) (string, bool)) (aws.Credentials, error) {
	id, _ := lookupEnv("AWS_ACCESS_KEY_ID")
	secret, _ := lookupEnv("AWS_SECRET_ACCESS_KEY")
	if id != "" && secret != "" {
		token, _ := lookupEnv("AWS_SESSION_TOKEN")
		return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Source: "environment"}, nil
	}
	dataDirFile := filepath.Join(dataDir, identity.CredentialsFileName)
	if _, err := os.Stat(dataDirFile); err == nil {
		return profileCredentials(dataDirFile, "default")
	}
	profile, _ := lookupEnv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	for _, f := range sharedFiles(lookupEnv, profile) {
		creds, err := profileCredentials(f.path, f.section)
		if !errors.Is(err, errNoCredentials) {
			return creds, err
		}
	}
	return aws.Credentials{}, errNoCredentials
}

// sharedFile is a section of an AWS shared credentials or config file.
type sharedFile struct{ path, section string }

// sharedFiles returns where the SDKs look for profile's keys: the shared
// credentials file, then the shared config file, where a profile other than
// the default has a "profile " prefix.
func sharedFiles(lookupEnv func(string) (string, bool), profile string) []sharedFile {
	home, _ := lookupEnv("HOME")
	path := func(env, name string) string {
		if p, ok := lookupEnv(env); ok && p != "" {
			return p
		}
		if home == "" {
			return ""
		}
		return filepath.Join(home, ".aws", name)
	}
	configSection := "profile " + profile
	if profile == "default" {
		configSection = profile
	}
	var files []sharedFile
	for _, f := range []sharedFile{
		{path("AWS_SHARED_CREDENTIALS_FILE", "credentials"), profile},
		{path("AWS_CONFIG_FILE", "config"), configSection},
	} {
		if f.path != "" {
			files = append(files, f)
		}
	}
	return files
}

// profileCredentials reads the static key of section in the INI file at
// path; errNoCredentials when the file or the key is absent.
func profileCredentials(path, section string) (aws.Credentials, error) {
	keys, err := iniSection(path, section)
	if errors.Is(err, fs.ErrNotExist) {
		return aws.Credentials{}, errNoCredentials
	}
	if err != nil {
		return aws.Credentials{}, fmt.Errorf("cli: read credentials: %w", err)
	}
	creds := aws.Credentials{AccessKeyID: keys["aws_access_key_id"], SecretAccessKey: keys["aws_secret_access_key"],
		SessionToken: keys["aws_session_token"], Source: path}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return aws.Credentials{}, errNoCredentials
	}
	return creds, nil
}

// iniSection returns the key = value pairs of section (names compared after
// trimming) in the AWS-style INI file at path. Comment lines start with # or
// ;, and indented lines (the nested values of a key with an empty value) are
// skipped.
func iniSection(path, section string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	keys := map[string]string{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[' && strings.HasSuffix(line, "]"):
			in = strings.TrimSpace(line[1:len(line)-1]) == section
		case in && raw[0] != ' ' && raw[0] != '\t':
			if k, v, ok := strings.Cut(line, "="); ok {
				keys[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
			}
		}
	}
	return keys, sc.Err()
}
