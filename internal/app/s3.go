package app

import (
	"fmt"
	"path/filepath"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/service/s3"
	"github.com/fogbank/fogbank/internal/storage"
)

// BlobDirName is the data-directory subdirectory holding S3 object bytes.
const BlobDirName = "blobs"

// newS3 builds the S3 service: metadata in engine, object bytes in files
// under the data directory.
func (a *App) newS3(engine storage.Engine) (*s3.Service, error) {
	blobs, err := blob.NewFS(filepath.Join(a.cfg.DataDir, BlobDirName))
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	svc, err := s3.New(s3.Options{
		Engine:    engine,
		Blobs:     blobs,
		Region:    a.cfg.Region,
		AccountID: a.cfg.AccountID,
		Logger:    a.component("s3"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return svc, nil
}
