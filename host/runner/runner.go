// Package runner runs a ServiceRadar WebAssembly plugin the way the
// ServiceRadar agent does: wazero, wasi_snapshot_preview1, the contract's
// host functions in module contract.HostModule, no start functions, and a
// single call of the manifest's entrypoint. It records every host call and
// returns a Report.
package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"

	"serviceradar.local/sdk/contract"
)

// Options configure one run.
type Options struct {
	Manifest Manifest
	// Config is the assignment's config JSON handed out by get_config; nil
	// or empty means none (get_config returns 0).
	Config []byte
	// Failures force host functions to return codes (the --fail switch).
	Failures []Failure
	// Timeout bounds instantiation and the entrypoint call; 0 means none.
	Timeout time.Duration
	// MaxOutputBytes caps the captured stdout and stderr each; 0 means 1 MiB.
	MaxOutputBytes int
	// Strict makes emit_telemetry refuse (with the contract's invalid code)
	// a batch holding an otel_metric record that violates a rule of severity
	// error or cannot be decoded. Without it such a batch is accepted, as the
	// agent accepts it, and the violations are only reported.
	Strict bool
}

// wasmMaxPages is the wasm32 ceiling of linear memory (4 GiB in 64 KiB pages).
const wasmMaxPages = 65536

// syntheticSummaryMax truncates a synthesized summary as the agent does.
const syntheticSummaryMax = 2048

type session struct {
	manifest Manifest
	config   []byte
	failures []Failure
	strict   bool
	counts   map[string]int
	report   *Report
	stdout   *capped
	stderr   *capped
}

// Run compiles and runs wasm once. It returns an error only for invalid
// options (for example a failure naming an unknown host function); plugin
// and host failures (compile errors, traps, timeouts, a missing entrypoint)
// are reported in Report.Error.
func Run(ctx context.Context, wasm []byte, opts Options) (*Report, error) {
	if err := validateFailures(opts.Failures); err != nil {
		return nil, err
	}
	if len(opts.Config) > 0 && !json.Valid(opts.Config) {
		return nil, errors.New("config is not valid JSON")
	}
	m := opts.Manifest
	if strings.TrimSpace(m.Entrypoint) == "" {
		m.Entrypoint = contract.Entrypoint
	}
	maxOut := opts.MaxOutputBytes
	if maxOut <= 0 {
		maxOut = 1 << 20
	}
	s := &session{
		manifest: m,
		config:   opts.Config,
		failures: append([]Failure(nil), opts.Failures...),
		strict:   opts.Strict,
		counts:   map[string]int{},
		stdout:   &capped{max: maxOut},
		stderr:   &capped{max: maxOut},
		report: &Report{
			Plugin:     PluginInfo{ID: m.ID, Name: m.Name, Version: m.Version},
			Entrypoint: m.Entrypoint,
			Telemetry:  []json.RawMessage{},
			Validation: []RecordCheck{},
			Logs:       []LogEntry{},
			Calls:      []Call{},
		},
	}

	err := s.execute(ctx, wasm, opts.Timeout)
	r := s.report
	if err != nil {
		r.Error = err.Error()
	}
	r.Stdout = s.stdout.String()
	r.Stderr = s.stderr.String()
	if n := len(r.Results); n > 0 {
		r.Result = json.RawMessage(r.Results[n-1])
		if err != nil {
			r.Error += " (a result had been submitted: the agent keeps it and only logs a warning)"
		}
	} else {
		summary := "no result submitted"
		if err != nil {
			summary = err.Error()
		}
		r.Result = s.errorResult(summary)
		r.ResultSynthesized = true
	}
	return r, nil
}

// errorResult builds the result the agent enqueues for a plugin that did not
// submit one: status UNKNOWN, the summary, observed_at and labels.
func (s *session) errorResult(summary string) json.RawMessage {
	if len(summary) > syntheticSummaryMax {
		summary = summary[:syntheticSummaryMax] + "... (truncated)"
	}
	doc := map[string]any{
		"status":      "UNKNOWN",
		"summary":     summary,
		"observed_at": time.Now().UTC().Format(time.RFC3339Nano),
		"labels": map[string]string{
			"assignment_id": "local",
			"plugin_id":     s.manifest.ID,
			"plugin_name":   s.manifest.Name,
		},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(doc)
	return json.RawMessage(bytes.TrimSpace(buf.Bytes()))
}

func (s *session) execute(parent context.Context, wasm []byte, timeout time.Duration) error {
	if len(wasm) > contract.MaxWasmBytes {
		return fmt.Errorf("plugin is %d bytes, more than the %d the agent loads", len(wasm), contract.MaxWasmBytes)
	}
	ctx := parent
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, timeout)
		defer cancel()
	}

	rc := wazero.NewRuntimeConfig().WithCloseOnContextDone(true)
	if pages := memoryPages(s.manifest.Resources.RequestedMemoryMB); pages > 0 {
		rc = rc.WithMemoryLimitPages(pages)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	defer rt.Close(context.Background())

	if err := s.instantiateHostModule(ctx, rt); err != nil {
		return fmt.Errorf("host module: %w", err)
	}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return fmt.Errorf("wasi: %w", err)
	}
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return fmt.Errorf("compile plugin: %w", err)
	}
	if err := checkImports(compiled); err != nil {
		return err
	}

	modCfg := wazero.NewModuleConfig().
		WithName(s.moduleName()).
		WithStartFunctions(). // the agent calls neither _start nor _initialize
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep().
		WithStdout(s.stdout).
		WithStderr(s.stderr)
	mod, err := rt.InstantiateModule(ctx, compiled, modCfg)
	if err != nil {
		return classify(ctx, err, timeout, "instantiate plugin")
	}
	defer mod.Close(context.Background())

	entry := s.manifest.Entrypoint
	fn := mod.ExportedFunction(entry)
	if fn == nil {
		return fmt.Errorf("entrypoint %q is not exported by the plugin (exports: %s)", entry, exportedFunctions(compiled))
	}
	def := fn.Definition()
	if len(def.ParamTypes()) != 0 || len(def.ResultTypes()) != 0 {
		return fmt.Errorf("entrypoint %q must take no parameters and return nothing, it is %s", entry, signature(def))
	}
	if _, err := fn.Call(ctx); err != nil {
		return classify(ctx, err, timeout, fmt.Sprintf("entrypoint %q failed", entry))
	}
	return nil
}

// classify turns a wazero error into the host's message. proc_exit(0) is a
// clean completion, as in the agent.
func classify(ctx context.Context, err error, timeout time.Duration, what string) error {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case 0:
			return nil
		case sys.ExitCodeDeadlineExceeded:
			return fmt.Errorf("timeout: plugin did not finish within %s", timeout)
		case sys.ExitCodeContextCanceled:
			return errors.New("canceled: the run's context was canceled")
		default:
			return fmt.Errorf("plugin exited with code %d", exit.ExitCode())
		}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timeout: plugin did not finish within %s", timeout)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func (s *session) moduleName() string {
	name := strings.TrimSpace(s.manifest.ID)
	if name == "" || name == contract.HostModule || name == wasi_snapshot_preview1.ModuleName {
		return "plugin"
	}
	return name
}

// checkImports gives a clear message for an env import the host does not
// provide (the agent has more functions than this contract describes).
func checkImports(compiled wazero.CompiledModule) error {
	provided := map[string]bool{}
	for _, hf := range contract.HostFunctions {
		provided[hf.Name] = true
	}
	var missing []string
	for _, def := range compiled.ImportedFunctions() {
		module, name, _ := def.Import()
		if module == contract.HostModule && !provided[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("plugin imports %s.%s, which this host does not provide (contract %s has %s)",
			contract.HostModule, strings.Join(missing, ", "+contract.HostModule+"."), contract.Version, strings.Join(hostFunctionNames(), ", "))
	}
	return nil
}

func exportedFunctions(compiled wazero.CompiledModule) string {
	var names []string
	for name := range compiled.ExportedFunctions() {
		names = append(names, name)
	}
	if len(names) == 0 {
		return "none"
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func signature(def api.FunctionDefinition) string {
	types := func(ts []api.ValueType) string {
		parts := make([]string, len(ts))
		for i, t := range ts {
			parts[i] = api.ValueTypeName(t)
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	return types(def.ParamTypes()) + " -> " + types(def.ResultTypes())
}

// memoryPages converts requested_memory_mb into 64 KiB pages; 0 means no
// limit beyond wazero's default.
func memoryPages(mb int) uint32 {
	if mb <= 0 {
		return 0
	}
	pages := int64(mb) * 16 // 1 MiB is 16 pages of 64 KiB
	if pages > wasmMaxPages {
		pages = wasmMaxPages
	}
	return uint32(pages)
}

// capped is an io.Writer that keeps at most max bytes.
type capped struct {
	buf       bytes.Buffer
	max       int
	truncated bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if room <= 0 {
		c.truncated = c.truncated || len(p) > 0
		return len(p), nil
	}
	if len(p) > room {
		c.buf.Write(p[:room])
		c.truncated = true
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

func (c *capped) String() string {
	if c.truncated {
		return c.buf.String() + "\n[output truncated]"
	}
	return c.buf.String()
}
