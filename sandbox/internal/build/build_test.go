package build

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// tinyTools makes a tools folder with one dependency-free component, so the test builds in seconds.
func tinyTools(t *testing.T) (string, Component) {
	t.Helper()
	tools := t.TempDir()
	mod := filepath.Join(tools, "tiny")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":  "module example.com/tiny\n\ngo 1.26\n",
		"main.go": "package main\n\nfunc main() {}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(mod, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tools, Component{Name: "tiny", Version: "v1", Binaries: []Binary{{"tiny", "example.com/tiny"}}}
}

func TestEnsureBuildsOnceAndCaches(t *testing.T) {
	tools, comp := tinyTools(t)
	var log bytes.Buffer
	b := Builder{ToolsDir: tools, CacheDir: t.TempDir(), Log: &log}
	in, err := b.Ensure(t.Context(), []Component{comp})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(in.Bin("tiny", "tiny")); err != nil {
		t.Fatalf("binary missing after build: %v", err)
	}
	if !strings.Contains(log.String(), "building tiny v1") {
		t.Errorf("no progress line for the build: %q", log.String())
	}
	log.Reset()
	if _, err := b.Ensure(t.Context(), []Component{comp}); err != nil {
		t.Fatal(err)
	}
	if log.Len() != 0 {
		t.Errorf("cached component rebuilt: %q", log.String())
	}
}

func TestConcurrentEnsureLeavesOneCompleteFolder(t *testing.T) {
	tools, comp := tinyTools(t)
	cache := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Builder{ToolsDir: tools, CacheDir: cache, Log: &bytes.Buffer{}}.Ensure(t.Context(), []Component{comp})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent build: %v", err)
		}
	}
	entries, err := os.ReadDir(cache)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "tiny-v1" {
		t.Errorf("cache holds %v, want only tiny-v1 (no temporary folders left)", entries)
	}
}

func TestBuildFailureIsReportedWithOutput(t *testing.T) {
	tools, comp := tinyTools(t)
	comp.Binaries[0].Package = "example.com/tiny/missing"
	_, err := Builder{ToolsDir: tools, CacheDir: t.TempDir(), Log: &bytes.Buffer{}}.Ensure(t.Context(), []Component{comp})
	if err == nil || !strings.Contains(err.Error(), "build tiny v1") {
		t.Errorf("err = %v, want a build error naming the component", err)
	}
}
