// wazero-ab runs a WASI command module exactly as `srhost exec` does
// (host/cmd/srhost/exec.go: the same wazero version and module config), with
// one switch: whether the runtime is built WithCloseOnContextDone(true), which
// srhost (and, per host/README.md, the agent) uses so that a timeout can stop
// a running plugin. The benchmark uses it to measure what that costs; it is
// not a host for plugins.
//
//	wazero-ab [-close-on-done=true|false] -wasm MODULE.wasm [-- ARGS...]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

func main() {
	closeOnDone := flag.Bool("close-on-done", true, "build the runtime WithCloseOnContextDone(true), as srhost does")
	wasmPath := flag.String("wasm", "", "WASI command module")
	flag.Parse()
	if *wasmPath == "" {
		fmt.Fprintln(os.Stderr, "usage: wazero-ab [-close-on-done=false] -wasm MODULE.wasm [-- ARGS...]")
		os.Exit(2)
	}
	wasm, err := os.ReadFile(*wasmPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx := context.Background()
	rc := wazero.NewRuntimeConfig()
	if *closeOnDone {
		rc = rc.WithCloseOnContextDone(true)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, rc)
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithArgs(append([]string{filepath.Base(*wasmPath)}, flag.Args()...)...).
		WithStdin(os.Stdin).
		WithStdout(os.Stdout).
		WithStderr(os.Stderr).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep()
	mod, err := rt.InstantiateWithConfig(ctx, wasm, cfg)
	if mod != nil {
		defer mod.Close(ctx)
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		os.Exit(int(exit.ExitCode()))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wazero-ab:", err)
		os.Exit(1)
	}
}
