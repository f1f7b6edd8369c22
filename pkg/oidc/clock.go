package oidc

import (
	"net/http"
	"time"
)

// ServerTime estimates a server's current time from the Date header of one of its responses, received
// at local time receivedAt, and now: the offset between the clocks is kept. ok is false without a
// usable Date header; now is then returned unchanged.
func ServerTime(h http.Header, receivedAt, now time.Time) (t time.Time, ok bool) {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return now, false
	}
	// Date has a one-second resolution: offsets under a second are noise.
	offset := date.Sub(receivedAt.Truncate(time.Second))
	if offset > -time.Second && offset < time.Second {
		offset = 0
	}
	return now.Add(offset), true
}
