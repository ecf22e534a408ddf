// Command srhost runs a ServiceRadar WebAssembly plugin locally the way the
// ServiceRadar agent does and reports what it did.
//
//	srhost run --wasm PLUGIN.wasm --manifest plugin.yaml [--config config.json]
//	           [--fail FUNC=CODE[@N]]... [--json] [--strict] [--timeout 10s]
//	srhost exec --wasm MODULE.wasm [--memory-mb N] [--timeout D] [--] [ARGS...]
//
// srhost exec runs a WASI command module (_start) with stdin, stdout and
// stderr attached and exits with its exit code (see exec.go).
//
// Exit codes: 0 the plugin ran to completion (whatever status it reported),
// 1 the host or the plugin failed (trap, timeout, missing entrypoint, ...),
// 2 usage error.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"serviceradar.local/sdk/contract"
	"serviceradar.local/sdk/host/runner"
)

const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const usageText = `usage: srhost run --wasm PLUGIN.wasm --manifest plugin.yaml [--config config.json]
                  [--fail FUNC=CODE[@N]]... [--json] [--strict] [--timeout 10s]
       srhost exec --wasm MODULE.wasm [--memory-mb N] [--timeout D] [--] [ARGS...]

run:  runs the plugin's entrypoint once, as the ServiceRadar agent does, and
      reports the submitted result, accepted telemetry batches, logs and every
      host call.
exec: runs a WASI command module's _start with stdin, stdout and stderr
      attached (wasi_snapshot_preview1 only) and exits with its exit code.
`

func usage(w io.Writer) {
	fmt.Fprint(w, usageText)
	fmt.Fprintf(w, "\nHost ABI: contract %s, module %q, entrypoint default %q, payload limit %d bytes.\n",
		contract.Version, contract.HostModule, contract.Entrypoint, contract.MaxPayloadBytes)
}

// failList collects repeated --fail flags.
type failList []runner.Failure

func (f *failList) String() string {
	parts := make([]string, len(*f))
	for i, x := range *f {
		parts[i] = x.String()
	}
	return strings.Join(parts, ",")
}

func (f *failList) Set(spec string) error {
	x, err := runner.ParseFailure(spec)
	if err != nil {
		return err
	}
	*f = append(*f, x)
	return nil
}

// runArgs are the parsed arguments of srhost run.
type runArgs struct {
	wasm, manifest, config string
	failures               failList
	json                   bool
	strict                 bool
	timeout                time.Duration
}

// parseRunArgs parses the arguments after "run".
func parseRunArgs(args []string, stderr io.Writer) (runArgs, error) {
	var a runArgs
	fs := flag.NewFlagSet("srhost run", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.Usage = func() {
		usage(fs.Output())
		fmt.Fprintln(fs.Output(), "\nflags:")
		fs.PrintDefaults()
	}
	fs.StringVar(&a.wasm, "wasm", "", "plugin `file` (.wasm)")
	fs.StringVar(&a.manifest, "manifest", "", "plugin manifest `file` (plugin.yaml)")
	fs.StringVar(&a.config, "config", "", "config JSON `file` handed out by get_config (default: none)")
	fs.Var(&a.failures, "fail", "force `FUNC=CODE[@N]`: FUNC returns CODE (number or name) on every call, or on the Nth only; repeatable")
	fs.BoolVar(&a.json, "json", false, "print one JSON document instead of the readable report")
	fs.BoolVar(&a.strict, "strict", false, "refuse (code invalid) a telemetry batch with an otel_metric record that breaks a contract rule of severity error; without it such batches are accepted and only reported")
	fs.DurationVar(&a.timeout, "timeout", 10*time.Second, "wall-clock limit for the run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
		}
		return a, err
	}
	switch {
	case fs.NArg() > 0:
		return a, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case a.wasm == "":
		return a, errors.New("--wasm is required")
	case a.manifest == "":
		return a, errors.New("--manifest is required")
	case a.timeout <= 0:
		return a, errors.New("--timeout must be positive")
	}
	return a, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	if args[0] == "exec" {
		return runExec(ctx, args[1:], os.Stdin, stdout, stderr)
	}
	if args[0] != "run" {
		fmt.Fprintf(stderr, "srhost: unknown command %q\n\n", args[0])
		usage(stderr)
		return exitUsage
	}
	a, err := parseRunArgs(args[1:], stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "srhost run: %v\n(srhost run -h for usage)\n", err)
		return exitUsage
	}

	manifest, err := runner.LoadManifest(a.manifest)
	if err != nil {
		fmt.Fprintf(stderr, "srhost run: %v\n", err)
		return exitUsage
	}
	wasm, err := os.ReadFile(a.wasm)
	if err != nil {
		fmt.Fprintf(stderr, "srhost run: %v\n", err)
		return exitUsage
	}
	var config []byte
	if a.config != "" {
		config, err = os.ReadFile(a.config)
		if err != nil {
			fmt.Fprintf(stderr, "srhost run: %v\n", err)
			return exitUsage
		}
		if len(bytes.TrimSpace(config)) == 0 {
			config = nil // an empty file is no config
		} else if !json.Valid(config) {
			fmt.Fprintf(stderr, "srhost run: --config %s is not valid JSON\n", a.config)
			return exitUsage
		}
	}

	report, err := runner.Run(ctx, wasm, runner.Options{
		Manifest: manifest,
		Config:   config,
		Failures: a.failures,
		Timeout:  a.timeout,
		Strict:   a.strict,
	})
	if err != nil {
		fmt.Fprintf(stderr, "srhost run: %v\n", err)
		return exitUsage
	}
	if a.json {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "srhost run: write report: %v\n", err)
		return exitFailed
	}
	if report.Failed() {
		if !a.json {
			fmt.Fprintf(stderr, "srhost run: %s\n", report.Error)
		}
		return exitFailed
	}
	return exitOK
}
