package main

// srhost exec: run a WASI *command* module (one that exports _start, such as
// the conformance testee build-wasm/conformance/sr_testee.wasm) under wazero
// with the process's stdin, stdout and stderr, and exit with its exit code.
// It is a development tool next to `srhost run`: no contract host functions,
// no manifest, no report; only wasi_snapshot_preview1.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

const execUsageText = `usage: srhost exec --wasm MODULE.wasm [--memory-mb N] [--timeout D] [--] [ARGS...]

Runs a WASI command module (it must export _start) under wazero with
wasi_snapshot_preview1 only: stdin, stdout and stderr are this process's,
ARGS are its arguments (argv[0] is the module's file name), wall and
monotonic clocks are on; no files and no environment variables.

Exit code: the module's own (proc_exit, or main's return value); 1 when the
module could not be run or failed (compile or instantiate error, trap,
timeout, an exit code above 255, no _start); 2 for a usage error.
`

// execArgs are the parsed arguments of srhost exec.
type execArgs struct {
	wasm     string
	memoryMB int
	timeout  time.Duration
	args     []string
}

// wasmPagesPerMB is how many 64 KiB pages make a MiB.
const wasmPagesPerMB = 16

// parseExecArgs parses the arguments after "exec". Flags come first; what
// follows them (after an optional "--") goes to the module.
func parseExecArgs(args []string, stderr io.Writer) (execArgs, error) {
	var a execArgs
	fs := flag.NewFlagSet("srhost exec", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by runExec
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), execUsageText)
		fmt.Fprintln(fs.Output(), "\nflags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&a.wasm, "wasm", "", "WASI command module `file` (.wasm)")
	fs.IntVar(&a.memoryMB, "memory-mb", 0, "cap linear memory at `N` MiB (memory.grow past it fails); 0: wazero's 4 GiB")
	fs.DurationVar(&a.timeout, "timeout", 0, "wall-clock limit for the run; 0: none")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
		}
		return a, err
	}
	a.args = fs.Args()
	switch {
	case a.wasm == "":
		return a, errors.New("--wasm is required")
	case a.memoryMB < 0 || a.memoryMB > wasmMaxMB:
		return a, fmt.Errorf("--memory-mb must be between 0 and %d", wasmMaxMB)
	case a.timeout < 0:
		return a, errors.New("--timeout must not be negative")
	}
	return a, nil
}

// wasmMaxMB is the wasm32 ceiling of linear memory (4 GiB).
const wasmMaxMB = 4096

// runExec runs srhost exec with the given streams and returns the exit code.
func runExec(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a, err := parseExecArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "srhost exec: %v\n(srhost exec -h for usage)\n", err)
		return exitUsage
	}
	wasm, err := os.ReadFile(a.wasm)
	if err != nil {
		fmt.Fprintf(stderr, "srhost exec: %v\n", err)
		return exitUsage
	}
	code, err := execModule(ctx, wasm, a, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "srhost exec: %s: %v\n", a.wasm, err)
		return exitFailed
	}
	return code
}

// execModule compiles and runs the module's _start. It returns the module's
// exit code, or an error when the module could not run to an exit.
func execModule(parent context.Context, wasm []byte, a execArgs, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	ctx := parent
	if a.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(parent, a.timeout)
		defer cancel()
	}
	rc := wazero.NewRuntimeConfig().WithCloseOnContextDone(true)
	if a.memoryMB > 0 {
		rc = rc.WithMemoryLimitPages(uint32(a.memoryMB * wasmPagesPerMB))
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	defer rt.Close(context.Background())

	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		return 0, fmt.Errorf("wasi: %w", err)
	}
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		return 0, fmt.Errorf("compile: %w", err)
	}
	if _, ok := compiled.ExportedFunctions()["_start"]; !ok {
		return 0, errors.New("not a WASI command: it does not export _start")
	}
	for _, imp := range compiled.ImportedFunctions() {
		if mod, name, _ := imp.Import(); mod != wasi_snapshot_preview1.ModuleName {
			return 0, fmt.Errorf("imports %s.%s: srhost exec provides only %s", mod, name, wasi_snapshot_preview1.ModuleName)
		}
	}

	cfg := wazero.NewModuleConfig().
		WithName("").
		WithArgs(append([]string{filepath.Base(a.wasm)}, a.args...)...).
		WithStdin(stdin).
		WithStdout(stdout).
		WithStderr(stderr).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep() // _start runs by default
	mod, err := rt.InstantiateModule(ctx, compiled, cfg)
	if mod != nil {
		defer mod.Close(context.Background())
	}
	if err == nil {
		return 0, nil // _start returned (or called proc_exit(0))
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch code := exit.ExitCode(); {
		case code == sys.ExitCodeDeadlineExceeded && ctx.Err() != nil:
			return 0, fmt.Errorf("timeout after %s", a.timeout)
		case code == sys.ExitCodeContextCanceled && ctx.Err() != nil:
			return 0, errors.New("canceled")
		case code > 255:
			return 0, fmt.Errorf("exit code %d is out of the 0-255 range", code)
		default:
			return int(code), nil
		}
	}
	return 0, err // a trap, or an instantiation error
}
