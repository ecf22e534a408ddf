package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"serviceradar.local/sdk/host/internal/wattest"
)

// command builds a WASI command module: _start runs body; the module imports
// fd_read, fd_write, proc_exit and args_sizes_get from wasi_snapshot_preview1
// and may add imports and functions of its own.
func command(t *testing.T, imports, funcs, body string) string {
	t.Helper()
	wat := fmt.Sprintf(`(module
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  %s
  (memory (export "memory") 1)
  (data (i32.const 0x100) "to stderr\n")
  %s
  (func (export "_start")
%s
  )
)`, imports, funcs, body)
	return writeFile(t, "command.wasm", string(wattest.Compile(t, wat)))
}

// echo copies stdin to stdout in chunks of up to 1 KiB, writes "to stderr\n"
// to stderr, and exits with the number of arguments after argv[0].
const echo = `
    (block $eof
      (loop $chunk
        ;; iovec at 0: {buf 0x1000, len 1024}; bytes read at 8
        (i32.store (i32.const 0) (i32.const 0x1000))
        (i32.store (i32.const 4) (i32.const 1024))
        (br_if $eof (call $fd_read (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 8)))
        (br_if $eof (i32.eqz (i32.load (i32.const 8))))
        (i32.store (i32.const 4) (i32.load (i32.const 8)))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 12)))
        (br $chunk)))
    (i32.store (i32.const 0) (i32.const 0x100))
    (i32.store (i32.const 4) (i32.const 10))
    (drop (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 12)))
    (drop (call $args_sizes_get (i32.const 16) (i32.const 20)))
    (call $proc_exit (i32.sub (i32.load (i32.const 16)) (i32.const 1)))`

func srhostExec(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runExec(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestExecStreamsAndExitCode(t *testing.T) {
	wasm := command(t, "", "", echo)
	// More than one chunk, with bytes that are not text.
	input := strings.Repeat("line \x00\xff\n", 400)
	code, out, errOut := srhostExec(t, input, "--wasm", wasm)
	if code != 0 || out != input || errOut != "to stderr\n" {
		t.Fatalf("exit %d, %d bytes out (want %d), stderr %q", code, len(out), len(input), errOut)
	}
	// Arguments reach the module (it exits with their number), with or
	// without "--".
	if code, _, errOut := srhostExec(t, "", "--wasm", wasm, "--", "a", "--b", "c"); code != 3 {
		t.Fatalf("with --: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := srhostExec(t, "", "--wasm", wasm, "a", "b"); code != 2 {
		t.Fatalf("without --: exit %d", code)
	}
}

func TestExecReturnFromStart(t *testing.T) {
	// _start returns without proc_exit: exit 0.
	wasm := command(t, "", "", "    (nop)")
	if code, out, errOut := srhostExec(t, "ignored", "--wasm", wasm); code != 0 || out != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestExecExitCodes(t *testing.T) {
	for _, c := range []struct {
		exit int
		want int
		msg  string
	}{{7, 7, ""}, {255, 255, ""}, {256, exitFailed, "out of the 0-255 range"}} {
		wasm := command(t, "", "", fmt.Sprintf("    (call $proc_exit (i32.const %d))", c.exit))
		code, _, errOut := srhostExec(t, "", "--wasm", wasm)
		if code != c.want || !strings.Contains(errOut, c.msg) {
			t.Fatalf("proc_exit(%d): exit %d, stderr %q", c.exit, code, errOut)
		}
	}
}

func TestExecMemoryLimit(t *testing.T) {
	// Exits 7 when growing memory by 32 pages (2 MiB) fails, else 0.
	wasm := command(t, "", "", `
    (if (i32.eq (memory.grow (i32.const 32)) (i32.const -1))
      (then (call $proc_exit (i32.const 7))))`)
	if code, _, errOut := srhostExec(t, "", "--wasm", wasm); code != 0 {
		t.Fatalf("no limit: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := srhostExec(t, "", "--wasm", wasm, "--memory-mb", "1"); code != 7 {
		t.Fatalf("--memory-mb 1: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := srhostExec(t, "", "--wasm", wasm, "--memory-mb", "3"); code != 0 {
		t.Fatalf("--memory-mb 3: exit %d, stderr %q", code, errOut)
	}
}

func TestExecFailures(t *testing.T) {
	cases := map[string]struct {
		wasm func(t *testing.T) string
		args []string
		want string
	}{
		"trap": {func(t *testing.T) string { return command(t, "", "", "    (unreachable)") }, nil, "unreachable"},
		"timeout": {func(t *testing.T) string { return command(t, "", "", "    (loop $l (br $l))") },
			[]string{"--timeout", "150ms"}, "timeout"},
		"no _start": {func(t *testing.T) string { return wattest.CompileFile(t, wattest.Module{Body: "nop"}) },
			nil, "does not export _start"},
		"env import": {func(t *testing.T) string {
			return command(t, `(import "env" "log" (func $log (param i32 i32 i32)))`, "", "    (nop)")
		}, nil, "imports env.log"},
		"not wasm": {func(t *testing.T) string { return writeFile(t, "x.wasm", "not wasm") }, nil, "compile"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"--wasm", c.wasm(t)}, c.args...)
			code, _, errOut := srhostExec(t, "", args...)
			if code != exitFailed || !strings.Contains(errOut, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit 1 mentioning %q", code, errOut, c.want)
			}
		})
	}
}

func TestExecUsage(t *testing.T) {
	wasm := command(t, "", "", "    (nop)")
	cases := map[string]struct {
		args []string
		want string
	}{
		"missing wasm":     {nil, "--wasm is required"},
		"unreadable wasm":  {[]string{"--wasm", "/nonexistent.wasm"}, "nonexistent"},
		"unknown flag":     {[]string{"--wasm", wasm, "--nope"}, "not defined"},
		"negative memory":  {[]string{"--wasm", wasm, "--memory-mb", "-1"}, "--memory-mb"},
		"too much memory":  {[]string{"--wasm", wasm, "--memory-mb", "4097"}, "--memory-mb"},
		"negative timeout": {[]string{"--wasm", wasm, "--timeout", "-1s"}, "--timeout"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := srhostExec(t, "", c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 mentioning %q", code, out, errOut, c.want)
			}
		})
	}
	if code, _, errOut := srhostExec(t, "", "-h"); code != exitOK || !strings.Contains(errOut, "usage: srhost exec") {
		t.Fatalf("-h: exit %d, stderr %q", code, errOut)
	}
	// Through the command dispatcher.
	if code, _, errOut := srhost(t, "exec"); code != exitUsage || !strings.Contains(errOut, "--wasm is required") {
		t.Fatalf("srhost exec: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := srhost(t); code != exitUsage || !strings.Contains(errOut, "srhost exec") {
		t.Fatalf("usage does not list exec: exit %d, stderr %q", code, errOut)
	}
}
