// chartgen-render renders Helm charts for chartgen, one process per render thread
// (chartgen/helm/sandbox.py starts it, bounds its time and memory, and kills it at the limit).
//
// It speaks the protocol of chartgen/helm/worker.py, the worker built on the Helm SDK for
// Python: big-endian uint32 length, then JSON, a hello and then one reply per request. It is
// that worker's render with Helm's own packages (v4.2.3, the SDK's Helm) but keeps what a
// chart's values variants share: the chart loaded once, each values schema compiled once,
// each set of templates parsed once. chartgen uses it when it is built
// (tools/build-render-worker.sh) and the SDK worker otherwise; tests/helm/test_render_worker.py
// holds the two to identical replies.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
)

// protocol is chartgen/helm/worker.py PROTOCOL: it changes when a request or reply changes
// meaning, and chartgen refuses a worker whose hello gives another.
const protocol = 1

// source is the digest of the sources this binary was built from (-ldflags -X main.source=).
var source = "unknown"

type request struct {
	Chart       string         `json:"chart"`
	Generation  string         `json:"generation"`
	Share       bool           `json:"share"`
	Values      map[string]any `json:"values"`
	Release     string         `json:"release"`
	Namespace   string         `json:"namespace"`
	KubeVersion *string        `json:"kube_version"`
}

// worker's bounds and what it keeps come from chartgen (worker.py settings()): the output
// limit, the size from which an output is shared by digest, how many charts stay loaded.
type worker struct {
	maxOutput   int
	sharedBytes int
	keptCharts  int
	generation  string
	charts      map[string]*loadedChart
	loaded      []string        // the charts' paths, oldest first
	sent        map[string]bool // digests of the large outputs sent to this generation
}

func main() {
	// Helm's own warnings (values coalescing: Go's log package) go to stderr, where chartgen
	// reads them; its slog records go there too, as in the SDK, at Go's default level.
	w := &worker{charts: map[string]*loadedChart{}, sent: map[string]bool{}}
	for name, into := range map[string]*int{
		"CHARTGEN_RENDER_OUTPUT_BYTES": &w.maxOutput,
		"CHARTGEN_RENDER_SHARED_BYTES": &w.sharedBytes,
		"CHARTGEN_RENDER_KEPT_CHARTS":  &w.keptCharts,
	} {
		*into = setting(name)
	}
	if err := limitMemory(uint64(setting("CHARTGEN_RENDER_MEMORY_MIB"))); err != nil {
		fail(err)
	}
	in, out := bufio.NewReaderSize(os.Stdin, 1<<20), bufio.NewWriterSize(os.Stdout, 1<<20)
	if err := send(out, map[string]any{"ready": true, "protocol": protocol, "helm": helmVersion(), "source": source}); err != nil {
		fail(err)
	}
	for {
		var req request
		if err := receive(in, &req); err != nil {
			if errors.Is(err, io.EOF) {
				return
			}
			fail(err)
		}
		if err := send(out, w.handle(&req)); err != nil {
			fail(err)
		}
	}
}

func (w *worker) handle(req *request) (reply map[string]any) {
	if req.Generation != w.generation { // a new engine: charts may have changed
		w.generation = req.Generation
		w.charts, w.loaded = map[string]*loadedChart{}, nil
		w.sent = map[string]bool{}
	}
	defer func() {
		if r := recover(); r != nil {
			reply = map[string]any{"error": "render", "message": fmt.Sprintf("helm panicked: %v", r)}
		}
	}()
	loaded := w.charts[req.Chart]
	if loaded == nil {
		var err error
		if loaded, err = loadChart(req.Chart); err != nil {
			return map[string]any{"error": "load", "message": err.Error()}
		}
		w.keep(req.Chart, loaded)
	}
	options := renderOptions{release: req.Release, namespace: req.Namespace}
	if req.KubeVersion != nil {
		options.kubeVersion = *req.KubeVersion
	}
	files, err := loaded.render(req.Values, options)
	if err != nil {
		return map[string]any{"error": "render", "message": err.Error()}
	}
	total := 0
	for _, text := range files {
		total += len(text)
	}
	if total > w.maxOutput {
		message := fmt.Sprintf("render exceeded the output limit: %d bytes (at most %d)", total, w.maxOutput)
		return map[string]any{"error": "limit", "message": message}
	}
	if !req.Share {
		return map[string]any{"ok": files}
	}
	return w.shared(files)
}

func (w *worker) keep(path string, loaded *loadedChart) {
	if len(w.loaded) == w.keptCharts {
		delete(w.charts, w.loaded[0])
		w.loaded = w.loaded[1:]
	}
	w.charts[path] = loaded
	w.loaded = append(w.loaded, path)
}

// shared sends a large output this generation was sent before (a values variant renders an
// operator's CRDs as the last did) as its digest: the engine holds the text.
func (w *worker) shared(files map[string]string) map[string]any {
	same, sent := map[string]string{}, map[string]string{}
	for name, text := range files {
		if len(text) < w.sharedBytes {
			continue
		}
		sum := sha256.Sum256([]byte(text))
		digest := hex.EncodeToString(sum[:])
		if w.sent[digest] {
			same[name] = digest
			delete(files, name)
		} else {
			sent[name] = digest
		}
		w.sent[digest] = true
	}
	return map[string]any{"ok": files, "sent": sent, "same": same}
}

func send(out *bufio.Writer, message any) error {
	payload, err := json.Marshal(message)
	if err != nil {
		return err
	}
	var header [4]byte
	binary.BigEndian.PutUint32(header[:], uint32(len(payload)))
	if _, err := out.Write(header[:]); err != nil {
		return err
	}
	if _, err := out.Write(payload); err != nil {
		return err
	}
	return out.Flush()
}

func receive(in *bufio.Reader, into *request) error {
	var header [4]byte
	if _, err := io.ReadFull(in, header[:]); err != nil {
		return err
	}
	payload := make([]byte, binary.BigEndian.Uint32(header[:]))
	if _, err := io.ReadFull(in, payload); err != nil {
		return err
	}
	return json.Unmarshal(payload, into)
}

// limitMemory: an address-space limit of what the idle process maps plus the render budget
// (CHARTGEN_RENDER_MEMORY_MIB): an allocation past it fails and the Go runtime aborts this
// process, which chartgen reports as a render over its memory limit.
func limitMemory(mib uint64) error {
	if err := syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}); err != nil {
		return err
	}
	if mib == 0 {
		return nil
	}
	mapped, err := mappedBytes()
	if err != nil {
		return err
	}
	limit := mapped + mib*1024*1024
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
}

func mappedBytes() (uint64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if fields := strings.Fields(line); len(fields) >= 2 && fields[0] == "VmSize:" {
			kib, err := strconv.ParseUint(fields[1], 10, 64)
			return kib * 1024, err
		}
	}
	return 0, errors.New("no VmSize in /proc/self/status")
}

func helmVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, module := range info.Deps {
			if module.Path == "helm.sh/helm/v4" {
				return module.Version
			}
		}
	}
	return "unknown"
}

// setting is a number chartgen's environment gives (chartgen/helm/worker.py settings()).
func setting(name string) int {
	value, err := strconv.Atoi(os.Getenv(name))
	if err != nil {
		fail(fmt.Errorf("%s: %w (chartgen/helm/sandbox.py starts this worker with it)", name, err))
	}
	return value
}

func fail(err error) {
	slog.Error("chartgen-render", "error", err)
	os.Exit(1)
}
