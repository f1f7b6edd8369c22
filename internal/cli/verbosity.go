package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/go-logr/logr"
	"github.com/spf13/pflag"
	"k8s.io/klog/v2"
	"k8s.io/klog/v2/textlogger"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/redact"
)

// verbosityUsage is the help of -v: what each level shows, and what no level shows.
const verbosityUsage = "Log level of the Kubernetes client on stderr, as kubectl's -v: 6 shows each API request, " +
	"7 its request headers, 8 the response headers, 9 a curl command; credentials are masked and bodies never logged"

// addVerbosityFlag binds kubectl's -v/--v.
func addVerbosityFlag(fs *pflag.FlagSet, v *int) {
	fs.IntVarP(v, "v", "v", 0, verbosityUsage)
}

// startLogging sends client-go's logs (klog) to errOut at level v and returns the function that puts
// klog back. klog is one logger per process, whatever command tree runs: Execute restores it when the
// command ends, so that a test running several commands does not inherit a level.
//
// Without -v klog is silent: client-go logs some failures at error level (a response body it could not
// read, a port-forward stream reset) before returning them, and the command's one error line already
// says what happened. Silence is set once per process and never undone, because a command may leave
// goroutines behind (a doctor fact cut by the deadline) that still log when the next one starts.
func startLogging(v int, errOut io.Writer) (stop func(), err error) {
	quietKlog.Do(func() { klog.SetLogger(logr.Discard()) })
	if v < 0 {
		return func() {}, usageErrorf("-v %d: give a level from 0 (quiet) to 10", v)
	}
	if v == 0 {
		return func() {}, nil
	}
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	previous := fs.Lookup("v").Value.String()
	// client-go decides when it builds a transport whether to wrap it with request logging, from
	// klog's own level: set it before any client exists.
	if err := fs.Set("v", strconv.Itoa(v)); err != nil {
		return func() {}, fmt.Errorf("set the log level: %w", err)
	}
	out := textlogger.NewLogger(textlogger.NewConfig(textlogger.Verbosity(v), textlogger.Output(&lockedWriter{w: errOut})))
	klog.SetLoggerWithOptions(logr.New(safeSink{out.GetSink()}), klog.ContextualLogger(true))
	return func() {
		klog.SetLogger(logr.Discard())
		_ = fs.Set("v", previous)
	}, nil
}

// quietKlog silences klog once per process (see startLogging). klog's logger is process-wide state,
// so the guard that sets it is too.
var quietKlog sync.Once

// safeSink keeps credentials out of the logs, whatever the level. client-go masks Authorization
// headers itself (in headers and in the curl command); request and response bodies it logs from
// level 8 on, and those can hold a client secret (the Secret install applies, the one doctor reads)
// or a private key: they are replaced by their size. URLs lose their user info.
type safeSink struct{ logr.LogSink }

func (s safeSink) Init(info logr.RuntimeInfo) {
	info.CallDepth++ // this wrapper's own frame
	s.LogSink.Init(info)
}

func (s safeSink) Info(level int, msg string, kv ...any) {
	s.LogSink.Info(level, redact.URLs(msg), scrubValues(kv)...)
}

func (s safeSink) Error(err error, msg string, kv ...any) {
	if err != nil {
		err = fmt.Errorf("%s", redact.URLs(err.Error()))
	}
	s.LogSink.Error(err, redact.URLs(msg), scrubValues(kv)...)
}

func (s safeSink) WithValues(kv ...any) logr.LogSink {
	return safeSink{s.LogSink.WithValues(scrubValues(kv)...)}
}

func (s safeSink) WithName(name string) logr.LogSink { return safeSink{s.LogSink.WithName(name)} }

func (s safeSink) WithCallDepth(depth int) logr.LogSink {
	if cd, ok := s.LogSink.(logr.CallDepthLogSink); ok {
		return safeSink{cd.WithCallDepth(depth)}
	}
	return s
}

// scrubValues returns key/value pairs without bodies, and with strings' URLs redacted.
func scrubValues(kv []any) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		out[i] = scrubValue(v)
	}
	for i := 1; i < len(out); i += 2 {
		// "body": request and response bodies; "data": the raw bytes client-go's port-forward tunnel
		// writes, which hold an HTTP request with its Authorization header when doctor talks to a pod.
		if k := kv[i-1]; k == "body" || k == "data" {
			out[i] = fmt.Sprintf("[%d bytes, not logged: bodies can hold credentials]", bodySize(kv[i]))
		}
	}
	return out
}

func scrubValue(v any) any {
	switch t := v.(type) {
	case string:
		return redact.URLs(t)
	case fmt.Stringer:
		return redact.URLs(t.String())
	}
	return v
}

func bodySize(v any) int {
	switch t := v.(type) {
	case string:
		return len(t)
	case []byte:
		return len(t)
	}
	return len(fmt.Sprint(v))
}

// lockedWriter serialises the log lines of concurrent requests (doctor runs its checks at once).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
