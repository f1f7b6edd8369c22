package browser

import (
	"errors"
	"strings"
)

// splitWords splits s into words as a POSIX shell would, honouring single quotes, double quotes and
// backslashes, but expanding nothing: $BROWSER is run without a shell, so a URL can never be
// interpreted as shell syntax.
func splitWords(s string) ([]string, error) {
	var w wordSplitter
	for i := 0; i < len(s); i++ {
		var err error
		switch w.quote {
		case '\'':
			w.singleQuoted(s[i])
		case '"':
			i = w.doubleQuoted(s, i)
		default:
			i, err = w.unquoted(s, i)
		}
		if err != nil {
			return nil, err
		}
	}
	if w.quote != 0 {
		return nil, errors.New("unterminated quote")
	}
	w.endWord()
	return w.words, nil
}

// wordSplitter holds splitWords' state: the words so far, the word being read and the open quote.
type wordSplitter struct {
	words  []string
	cur    strings.Builder
	inWord bool // a word has begun, even if it is still empty (as with '')
	quote  byte // the open quote character, or 0
}

// singleQuoted takes c inside single quotes, where only the closing quote is special.
func (w *wordSplitter) singleQuoted(c byte) {
	if c == '\'' {
		w.quote = 0
		return
	}
	w.cur.WriteByte(c)
}

// doubleQuoted takes s[i] inside double quotes, where a backslash escapes only ", \, $ and `; it
// returns the index of the last byte it consumed.
func (w *wordSplitter) doubleQuoted(s string, i int) int {
	switch c := s[i]; {
	case c == '"':
		w.quote = 0
	case c == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0:
		i++
		w.cur.WriteByte(s[i])
	default:
		w.cur.WriteByte(c)
	}
	return i
}

// unquoted takes s[i] outside quotes, where blanks end words and a backslash escapes any byte; it
// returns the index of the last byte it consumed.
func (w *wordSplitter) unquoted(s string, i int) (int, error) {
	switch c := s[i]; c {
	case '\\':
		if i+1 == len(s) {
			return i, errors.New("trailing backslash")
		}
		i++
		w.cur.WriteByte(s[i])
		w.inWord = true
	case '\'', '"':
		w.quote, w.inWord = c, true
	case ' ', '\t', '\n':
		w.endWord()
	default:
		w.cur.WriteByte(c)
		w.inWord = true
	}
	return i, nil
}

// endWord completes the word being read, if one has begun.
func (w *wordSplitter) endWord() {
	if w.inWord {
		w.words = append(w.words, w.cur.String())
		w.cur.Reset()
		w.inWord = false
	}
}
