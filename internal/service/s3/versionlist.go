package s3

import (
	"bytes"
	"cmp"
	"encoding/json"
	"net/http"

	"github.com/fogbank/fogbank/internal/storage"
)

func (s *Service) listObjectVersions(rq *request) error {
	lq, err := parseListQuery(rq.query)
	if err != nil {
		return err
	}
	keyMarker, versionMarker := rq.query.Get("key-marker"), rq.query.Get("version-id-marker")
	if versionMarker != "" && keyMarker == "" {
		return errInvalidArgument.New("A version-id marker cannot be specified without a key marker.").With("ArgumentName", "version-id-marker")
	}
	res := &listVersionsResult{Name: rq.bucket, Prefix: lq.prefix, KeyMarker: keyMarker, VersionIDMarker: versionMarker,
		MaxKeys: lq.maxKeys, Delimiter: lq.delimiter, EncodingType: rq.query.Get("encoding-type")}
	err = s.engine.View(rq.r.Context(), func(tx storage.ReadTx) error {
		res.Entries, res.CommonPrefixes, res.IsTruncated = nil, nil, false
		b, err := getBucket(tx, rq.bucket)
		if err != nil {
			return err
		}
		if b.Versioning == "" {
			return s.listNullVersions(tx, res, lq, keyMarker)
		}
		return s.scanVersions(tx, res)
	})
	if err != nil {
		return err
	}
	enc := res.EncodingType
	for i := range res.Entries {
		res.Entries[i].Key = encodeKey(res.Entries[i].Key, enc)
	}
	for i := range res.CommonPrefixes {
		res.CommonPrefixes[i].Prefix = encodeKey(res.CommonPrefixes[i].Prefix, enc)
	}
	res.Prefix, res.Delimiter = encodeKey(res.Prefix, enc), encodeKey(res.Delimiter, enc)
	res.KeyMarker, res.NextKeyMarker = encodeKey(res.KeyMarker, enc), encodeKey(res.NextKeyMarker, enc)
	return s.writeXML(rq, http.StatusOK, res)
}

// listNullVersions lists the objects of a bucket that was never versioned:
// each is its only, null, version.
func (s *Service) listNullVersions(tx storage.ReadTx, res *listVersionsResult, lq listQuery, keyMarker string) error {
	lq.after = keyMarker
	page, err := s.scanPage(tx, res.Name, lq)
	if err != nil {
		return err
	}
	for _, o := range page.objects {
		size := o.Size
		res.Entries = append(res.Entries, versionEntry{XMLName: xmlName("Version"), Key: o.Key, VersionID: nullVersion, IsLatest: true,
			LastModified: o.LastModified, ETag: o.ETag, Size: &size, StorageClass: o.StorageClass, Owner: s.owner})
	}
	for _, p := range page.prefixes {
		res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: p})
	}
	if res.IsTruncated = page.truncated; page.truncated {
		res.NextKeyMarker, res.NextVersionIDMarker = page.last, nullVersion
	}
	return nil
}

// scanVersions fills one page of a versioned bucket's listing: versions
// and delete markers by key, newest first, after the markers, rolled up
// into common prefixes at the delimiter.
func (s *Service) scanVersions(tx storage.ReadTx, res *listVersionsResult) error {
	base := versionsOf(res.Name)
	start := append(bytes.Clone(base), res.Prefix...)
	prevKey, seen := "", false
	if res.KeyMarker != "" {
		after := append(append(bytes.Clone(base), res.KeyMarker...), 1)
		if res.VersionIDMarker != "" {
			after = append(versionKey(res.Name, res.KeyMarker, res.VersionIDMarker), 0)
			prevKey, seen = res.KeyMarker, true // the marker's key has had its latest version
		}
		start = maxBytes(start, after)
	}
	lastPrefix := ""
	var decodeErr error
	end := storage.PrefixEnd(append(bytes.Clone(base), res.Prefix...))
	err := tx.Scan(storage.Range{Start: start, End: end}, func(k, v []byte) bool {
		key, versionID := splitVersionKey(k[len(base):])
		latest := !seen || key != prevKey
		prevKey, seen = key, true
		cp := commonPrefixOf(key, res.Prefix, res.Delimiter)
		if cp != "" && cp == lastPrefix {
			res.NextKeyMarker, res.NextVersionIDMarker = key, versionID
			return true
		}
		if len(res.Entries)+len(res.CommonPrefixes) == res.MaxKeys {
			res.IsTruncated = true
			return false
		}
		res.NextKeyMarker, res.NextVersionIDMarker = key, versionID
		if cp != "" {
			lastPrefix = cp
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: cp})
			return true
		}
		var rec objectRecord
		if decodeErr = json.Unmarshal(v, &rec); decodeErr != nil {
			return false
		}
		res.Entries = append(res.Entries, s.versionEntry(key, &rec, latest))
		return true
	})
	if err != nil || decodeErr != nil {
		return wrapf(cmp.Or(err, decodeErr), "list versions")
	}
	if !res.IsTruncated {
		res.NextKeyMarker, res.NextVersionIDMarker = "", ""
	}
	return nil
}

// versionEntry is the listing element of a version or delete marker.
func (s *Service) versionEntry(key string, rec *objectRecord, latest bool) versionEntry {
	e := versionEntry{XMLName: xmlName("DeleteMarker"), Key: key, VersionID: rec.versionName(), IsLatest: latest,
		LastModified: formatTime(rec.LastModified), Owner: s.owner}
	if !rec.DeleteMarker {
		size := rec.Size
		e.XMLName, e.ETag, e.Size, e.StorageClass = xmlName("Version"), rec.ETag, &size, "STANDARD"
	}
	return e
}
