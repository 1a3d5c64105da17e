package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fogbank/fogbank/internal/blob"
	"github.com/fogbank/fogbank/internal/service/s3"
	"github.com/fogbank/fogbank/internal/storage"
)

// BlobDirName is the data-directory subdirectory holding S3 object bytes.
const BlobDirName = "blobs"

// S3KeyFileName is the data-directory file holding the master key that
// wraps S3's data keys (created on first start unless $FOGBANK_S3_MASTER_KEY
// gives the key).
const S3KeyFileName = "s3-master.key"

// s3Files is what the S3 service keeps in the data directory besides its
// records: the object bytes and the master key.
type s3Files struct {
	blobs *blob.FS
	key   []byte
}

// openS3Files opens the blob store and loads the master key, creating it on
// a first start.
func (a *App) openS3Files() (s3Files, error) {
	blobs, err := blob.NewFS(filepath.Join(a.cfg.DataDir, BlobDirName))
	if err != nil {
		return s3Files{}, fmt.Errorf("app: %w", err)
	}
	key, err := s3.LoadMasterKey(os.Getenv(s3.MasterKeyEnv), filepath.Join(a.cfg.DataDir, S3KeyFileName))
	if err != nil {
		return s3Files{}, fmt.Errorf("app: %w", err)
	}
	return s3Files{blobs: blobs, key: key}, nil
}

// newS3 builds the S3 service: metadata in engine, object bytes and the
// master key in files.
func (a *App) newS3(engine storage.Engine, files s3Files) (*s3.Service, error) {
	svc, err := s3.New(s3.Options{
		MasterKey: files.key,
		Engine:    engine,
		Blobs:     files.blobs,
		Region:    a.cfg.Region,
		AccountID: a.cfg.AccountID,
		Logger:    a.component("s3"),
	})
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.s3 = svc
	return svc, nil
}

// s3CollectInterval is how often each node collects the blobs of its data
// directory that no S3 record names (left by a crash mid-upload).
const s3CollectInterval = time.Hour

// startS3Collector collects orphaned S3 blobs in the background until ctx
// ends; the returned channel is closed once the collector has stopped.
func (a *App) startS3Collector(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = a.s3.RunCollector(ctx, s3CollectInterval, s3.DefaultOrphanAge)
	}()
	return done
}
