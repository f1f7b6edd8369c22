package krew

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"
)

// archiveFile is one entry of a release archive.
type archiveFile struct {
	name    string
	mode    int64
	content []byte
}

// pack writes the files to path the way goreleaser lays out a release archive: every file at the
// archive's root, zip when the name says so and gzip-compressed tar otherwise.
func pack(t *testing.T, path string, files []archiveFile) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatalf("create %s: %v", path, err)
	}
	if strings.HasSuffix(path, ".zip") {
		err = packZip(f, files)
	} else {
		err = packTarGz(f, files)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("pack %s: %v", path, err)
	}
}

func packTarGz(w io.Writer, files []archiveFile) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		hdr := &tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.content)), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(f.content); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func packZip(w io.Writer, files []archiveFile) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		hdr := &zip.FileHeader{Name: f.name, Method: zip.Deflate}
		hdr.SetMode(os.FileMode(f.mode))
		fw, err := zw.CreateHeader(hdr)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.content); err != nil {
			return err
		}
	}
	return zw.Close()
}

// sha256File is the hex digest krew compares with a platform's sha256.
func sha256File(t *testing.T, path string) string {
	t.Helper()
	sum := sha256.Sum256(readFile(t, path))
	return hex.EncodeToString(sum[:])
}
