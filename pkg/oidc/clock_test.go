package oidc

import (
	"net/http"
	"testing"
	"time"
)

func TestServerTime(t *testing.T) {
	local := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := http.Header{"Date": {local.Add(-2 * time.Hour).Format(http.TimeFormat)}}
	got, ok := ServerTime(h, local, local.Add(time.Minute))
	if !ok || !got.Equal(local.Add(-2*time.Hour+time.Minute)) {
		t.Errorf("server two hours behind: %v %v", got, ok)
	}
	same := http.Header{"Date": {local.Format(http.TimeFormat)}}
	if got, _ := ServerTime(same, local.Add(300*time.Millisecond), local); !got.Equal(local) {
		t.Errorf("sub-second offset kept: %v", got)
	}
	if got, ok := ServerTime(http.Header{}, local, local); ok || !got.Equal(local) {
		t.Errorf("no Date header: %v %v", got, ok)
	}
}
