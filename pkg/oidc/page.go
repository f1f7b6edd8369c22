package oidc

import (
	"io"
	"strings"

	"golang.org/x/net/html"
)

// pageText is the visible text of an HTML (or plain text) error page, whitespace collapsed and cut
// to a length that fits a message.
func pageText(r io.Reader) string {
	var b strings.Builder
	z := html.NewTokenizer(r)
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return shorten(strings.Join(strings.Fields(b.String()), " "), 300)
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" || string(name) == "title" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style" || string(name) == "title") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
