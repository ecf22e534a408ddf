// Package wattest builds small test plugins from WebAssembly text with
// wat2wasm (Debian package wabt). It is used by the host's tests only.
//
// Every module it generates imports all contract host functions (as
// $get_config, $log, ...: the contract's names) and carries helpers that let
// a plugin pass return codes back to the test:
//
//	(call $code X)      append the i32 X to a "codes" array
//	(call $finish)      submit {"status":"OK","summary":"codes","codes":[...]}
//	                    as the result; returns submit_result's code
//	(call $finish_log)  log the same document at info level instead
//
// Memory layout: 0x0000-0x0fff scratch, 0x1000-0xffff test data,
// 0x10000-0x1ffff the codes document (so at least 2 pages), 0x20000- free.
package wattest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"serviceradar.local/sdk/contract"
)

// Addresses of the generated module's memory layout.
const (
	DataBase = 0x1000
	OutBase  = 0x10000
	FreeBase = 0x20000
)

const codesPrefix = `{"status":"OK","summary":"codes","codes":[`

// Module describes a test plugin.
type Module struct {
	// Pages is the initial memory size in 64 KiB pages; 0 means 2.
	Pages int
	// Data places bytes at absolute addresses.
	Data map[int]string
	// Imports holds extra import declarations (e.g. WASI functions).
	Imports string
	// Funcs holds extra module fields (functions, exports, globals).
	Funcs string
	// Entry is the exported entrypoint's name; "" means contract.Entrypoint.
	Entry string
	// Body is the entrypoint's body; when NoEntry is set no entrypoint is
	// generated.
	Body    string
	NoEntry bool
}

// HostImports declares every contract host function, named after it.
func HostImports() string {
	var b strings.Builder
	for _, hf := range contract.HostFunctions {
		fmt.Fprintf(&b, "  (import %q %q (func $%s", contract.HostModule, hf.Name, hf.Name)
		if len(hf.Params) > 0 {
			b.WriteString(" (param")
			for _, p := range hf.Params {
				b.WriteString(" " + wasmType(p))
			}
			b.WriteString(")")
		}
		if hf.Result != "" {
			fmt.Fprintf(&b, " (result %s)", wasmType(hf.Result))
		}
		b.WriteString("))\n")
	}
	return b.String()
}

func wasmType(t string) string {
	switch t {
	case "u32", "i32":
		return "i32"
	case "u64", "i64":
		return "i64"
	}
	panic("wattest: unknown contract type " + t)
}

// Str renders bytes as a WAT string literal, every byte escaped.
func Str(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, `\%02x`, s[i])
	}
	b.WriteByte('"')
	return b.String()
}

// WAT renders the module as WebAssembly text.
func (m Module) WAT() string {
	pages := m.Pages
	if pages == 0 {
		pages = 2
	}
	entry := m.Entry
	if entry == "" {
		entry = contract.Entrypoint
	}
	var b strings.Builder
	b.WriteString("(module\n")
	b.WriteString(HostImports())
	b.WriteString(m.Imports)
	fmt.Fprintf(&b, "  (memory (export \"memory\") %d)\n", pages)
	fmt.Fprintf(&b, "  (global $cur (mut i32) (i32.const %d))\n", OutBase+len(codesPrefix))
	fmt.Fprintf(&b, "  (data (i32.const %d) %s)\n", OutBase, Str(codesPrefix))
	addrs := make([]int, 0, len(m.Data))
	for a := range m.Data {
		addrs = append(addrs, a)
	}
	sort.Ints(addrs)
	for _, a := range addrs {
		fmt.Fprintf(&b, "  (data (i32.const %d) %s)\n", a, Str(m.Data[a]))
	}
	b.WriteString(strings.ReplaceAll(helpers, "OUT", fmt.Sprint(OutBase)))
	b.WriteString(m.Funcs)
	if !m.NoEntry {
		fmt.Fprintf(&b, "  (func (export %q)\n%s\n  )\n", entry, m.Body)
	}
	b.WriteString(")\n")
	return b.String()
}

const helpers = `
  (func $putb (param $b i32)
    (i32.store8 (global.get $cur) (local.get $b))
    (global.set $cur (i32.add (global.get $cur) (i32.const 1))))
  (func $puti (param $v i32) (local $p i32)
    (if (i32.lt_s (local.get $v) (i32.const 0))
      (then
        (call $putb (i32.const 45))
        (local.set $v (i32.sub (i32.const 0) (local.get $v)))))
    (local.set $p (i32.const 0x0f10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $digits (local.get $v)))
    (loop $copy
      (call $putb (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $copy (i32.lt_u (local.get $p) (i32.const 0x0f10)))))
  (func $code (param $v i32)
    (call $puti (local.get $v))
    (call $putb (i32.const 44)))
  (func $close (result i32)
    (if (i32.eq (i32.load8_u (i32.sub (global.get $cur) (i32.const 1))) (i32.const 44))
      (then (global.set $cur (i32.sub (global.get $cur) (i32.const 1)))))
    (call $putb (i32.const 93))
    (call $putb (i32.const 125))
    (i32.sub (global.get $cur) (i32.const OUT)))
  (func $finish (result i32)
    (call $submit_result (i32.const OUT) (call $close)))
  (func $finish_log
    (call $log (i32.const 1) (i32.const OUT) (call $close)))
`

// Compile turns WAT into wasm with wat2wasm in t.TempDir(). A missing
// wat2wasm fails the test: the tests need it.
func Compile(t testing.TB, wat string) []byte {
	t.Helper()
	tool, err := exec.LookPath("wat2wasm")
	if err != nil {
		t.Fatalf("wat2wasm not found on PATH: the host tests build their plugins with it; install the Debian package wabt (apt-get install wabt)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "plugin.wat")
	out := filepath.Join(dir, "plugin.wasm")
	if err := os.WriteFile(src, []byte(wat), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tool, src, "-o", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wat2wasm failed: %v\n%s\n--- source ---\n%s", err, msg, numbered(wat))
	}
	wasm, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return wasm
}

// CompileFile compiles m and writes the wasm into t.TempDir(), returning
// its path.
func CompileFile(t testing.TB, m Module) string {
	t.Helper()
	wasm := Compile(t, m.WAT())
	path := filepath.Join(t.TempDir(), "plugin.wasm")
	if err := os.WriteFile(path, wasm, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func numbered(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = fmt.Sprintf("%4d  %s", i+1, l)
	}
	return strings.Join(lines, "\n")
}
