package lambda

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Code package limits, as AWS documents them.
const (
	maxZipSize      = 50 << 20  // direct upload, zipped
	maxUnzippedSize = 250 << 20 // unzipped
)

// codeStore keeps function code packages under a directory: the zips by
// content (code/<hex sha256>.zip, written to a temporary file, synced and
// renamed) and each package unpacked once (task/<hex sha256>/), which is
// the LAMBDA_TASK_ROOT of every version using it.
type codeStore struct {
	dir string
}

// codeInfo is what the function configuration records of a package.
type codeInfo struct {
	hex    string // names the package in the store
	sha256 string // base64, as CodeSha256
	size   int64
}

// errBadZip is the answer to a package that is not a valid zip.
var errBadZip = errInvalidParameter.New("Could not unzip uploaded file. Please check your file, then try to upload again.")

// put validates zipData, stores it and unpacks it.
func (c *codeStore) put(zipData []byte) (codeInfo, error) {
	if len(zipData) > maxZipSize {
		return codeInfo{}, errTooLarge.Newf("Request must be smaller than %d bytes for the CreateFunction operation", maxZipSize)
	}
	sum := sha256.Sum256(zipData)
	info := codeInfo{hex: hex.EncodeToString(sum[:]), sha256: base64.StdEncoding.EncodeToString(sum[:]), size: int64(len(zipData))}
	zr, err := zip.NewReader(bytes.NewReader(zipData), int64(len(zipData)))
	if err != nil {
		return codeInfo{}, errBadZip
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > maxUnzippedSize {
		return codeInfo{}, errInvalidParameter.Newf("Unzipped size must be smaller than %d bytes", maxUnzippedSize)
	}
	if err := writeFileAtomic(filepath.Join(c.dir, "code", info.hex+".zip"), zipData); err != nil {
		return codeInfo{}, err
	}
	if err := c.unpack(zr, info.hex); err != nil {
		return codeInfo{}, err
	}
	return info, nil
}

// taskRoot returns the directory the package hex is unpacked in.
func (c *codeStore) taskRoot(hex string) string { return filepath.Join(c.dir, "task", hex) }

// unpack extracts zr into taskRoot(hex) unless it is already there.
func (c *codeStore) unpack(zr *zip.Reader, hex string) error {
	dst := c.taskRoot(hex)
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return fmt.Errorf("lambda: %w", err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), ".unpack-")
	if err != nil {
		return fmt.Errorf("lambda: %w", err)
	}
	if err := extract(zr, tmp); err != nil {
		return errors.Join(err, os.RemoveAll(tmp))
	}
	if err := os.Rename(tmp, dst); err != nil {
		// A concurrent unpack of the same package won the race.
		return errors.Join(os.RemoveAll(tmp), ignoreExist(dst))
	}
	return nil
}

func ignoreExist(dir string) error {
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("lambda: unpack: %w", err)
	}
	return nil
}

// extract writes every file of zr under dir, refusing paths that escape it
// and keeping the executable bits.
func extract(zr *zip.Reader, dir string) error {
	var written int64
	for _, f := range zr.File {
		name := filepath.Clean(filepath.FromSlash(f.Name))
		if !filepath.IsLocal(name) {
			return errBadZip
		}
		path := filepath.Join(dir, name)
		if f.FileInfo().IsDir() || strings.HasSuffix(f.Name, "/") {
			if err := os.MkdirAll(path, 0o755); err != nil {
				return fmt.Errorf("lambda: unpack: %w", err)
			}
			continue
		}
		n, err := extractFile(f, path, maxUnzippedSize-written)
		if err != nil {
			return err
		}
		written += n
	}
	return nil
}

func extractFile(f *zip.File, path string, budget int64) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return 0, fmt.Errorf("lambda: unpack: %w", err)
	}
	mode := fs.FileMode(0o644)
	if f.Mode()&0o111 != 0 || filepath.Base(path) == "bootstrap" {
		mode = 0o755 // executables; bootstrap even from zips without Unix modes
	}
	rc, err := f.Open()
	if err != nil {
		return 0, errBadZip
	}
	defer rc.Close()
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return 0, fmt.Errorf("lambda: unpack: %w", err)
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return 0, errBadZip
	case n > budget:
		return 0, errInvalidParameter.Newf("Unzipped size must be smaller than %d bytes", maxUnzippedSize)
	}
	return n, nil
}

// writeFileAtomic writes data to path through a synced temporary file and
// a rename, so that path never holds a partial file.
func writeFileAtomic(path string, data []byte) error {
	if _, err := os.Stat(path); err == nil {
		return nil // content-addressed: already stored
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("lambda: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return fmt.Errorf("lambda: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("lambda: store code: %w", err), os.Remove(f.Name()))
	}
	return nil
}
