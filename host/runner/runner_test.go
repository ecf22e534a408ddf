package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"serviceradar.local/sdk/contract"
	"serviceradar.local/sdk/host/internal/wattest"
)

// allCaps grants every contract capability.
func allCaps() []string {
	var caps []string
	for _, hf := range contract.HostFunctions {
		caps = append(caps, hf.Capability)
	}
	return caps
}

func manifest(caps ...string) Manifest {
	return Manifest{ID: "test-plugin", Name: "Test plugin", Version: "0.0.1", Entrypoint: contract.Entrypoint, Capabilities: caps}
}

func run(t *testing.T, m wattest.Module, opts Options) *Report {
	t.Helper()
	return runWasm(t, wattest.Compile(t, m.WAT()), opts)
}

func runWasm(t *testing.T, wasm []byte, opts Options) *Report {
	t.Helper()
	if opts.Manifest.Entrypoint == "" {
		opts.Manifest = manifest(allCaps()...)
	}
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Second
	}
	rep, err := Run(context.Background(), wasm, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// codes decodes the codes document a plugin passed back through $finish
// (the submitted result) or $finish_log (the last log line).
func codes(t *testing.T, doc []byte) []int32 {
	t.Helper()
	var v struct {
		Codes []int32 `json:"codes"`
	}
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("codes document %q: %v", doc, err)
	}
	return v.Codes
}

func loggedCodes(t *testing.T, r *Report) []int32 {
	t.Helper()
	if len(r.Logs) == 0 {
		t.Fatalf("plugin logged nothing; calls %+v; error %q", r.Calls, r.Error)
	}
	return codes(t, []byte(r.Logs[len(r.Logs)-1].Message))
}

func wantCodes(t *testing.T, got []int32, want ...int32) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("codes seen by the plugin = %v, want %v", got, want)
	}
}

func wantOK(t *testing.T, r *Report) {
	t.Helper()
	if r.Error != "" {
		t.Fatalf("unexpected error: %s", r.Error)
	}
}

func callsOf(r *Report, fn string) []Call {
	var out []Call
	for _, c := range r.Calls {
		if c.Function == fn {
			out = append(out, c)
		}
	}
	return out
}

const okBatch = `{"records":[{"payload_kind":"otel_log","payload":{"body":"hi"}}]}`
const okResult = `{"status":"CRITICAL","summary":"disk full"}`

func TestGetConfig(t *testing.T) {
	m := wattest.Module{Body: `
    (local $n i32)
    (local.set $n (call $get_config (i32.const 0x1000) (i32.const 256)))
    (call $code (local.get $n))
    (call $code (call $get_config (i32.const 0x2000) (i32.const 3)))
    (call $code (call $get_config (i32.const 0xfffffff0) (i32.const 256)))
    (call $code (call $submit_result (i32.const 0x1000) (local.get $n)))
    (call $finish_log)`}
	wasm := wattest.Compile(t, m.WAT())

	t.Run("copied", func(t *testing.T) {
		cfg := []byte(`{"host":"db1","port":5432}`)
		r := runWasm(t, wasm, Options{Config: cfg})
		wantOK(t, r)
		wantCodes(t, loggedCodes(t, r), int32(len(cfg)), contract.CodeTooLarge, contract.CodeInvalid, contract.CodeOk)
		if !bytes.Equal(r.Result, cfg) || r.ResultSynthesized {
			t.Fatalf("result = %s (synthesized %v), want the config copied back", r.Result, r.ResultSynthesized)
		}
		gc := callsOf(r, "get_config")
		if len(gc) != 3 || gc[0].Code != contract.CodeOk || gc[0].Bytes != len(cfg) ||
			gc[1].Code != contract.CodeTooLarge || gc[1].CodeName != contract.CodeNames[contract.CodeTooLarge] || gc[2].Code != contract.CodeInvalid {
			t.Fatalf("get_config calls = %+v", gc)
		}
	})
	t.Run("none", func(t *testing.T) {
		r := runWasm(t, wasm, Options{})
		wantOK(t, r)
		// No config: 0 every time; submitting 0 bytes is not JSON.
		wantCodes(t, loggedCodes(t, r), 0, 0, 0, contract.CodeInvalid)
		if !r.ResultSynthesized {
			t.Fatalf("want a synthesized result")
		}
	})
}

func TestLogCaptured(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: "warming up", 0x1100: "disk at 91%"},
		Body: `
    (call $log (i32.const 0) (i32.const 0x1000) (i32.const 10))
    (call $log (i32.const 2) (i32.const 0x1100) (i32.const 11))
    (call $log (i32.const 1) (i32.const 0xfffffff0) (i32.const 100))`}
	r := run(t, m, Options{})
	wantOK(t, r)
	want := []LogEntry{{contract.LogLevelDebug, "warming up"}, {contract.LogLevelWarn, "disk at 91%"}}
	if fmt.Sprint(r.Logs) != fmt.Sprint(want) {
		t.Fatalf("logs = %+v, want %+v", r.Logs, want)
	}
	lc := callsOf(r, "log")
	if len(lc) != 3 || lc[0].Code != contract.CodeOk || lc[0].Bytes != 10 || lc[2].Code != contract.CodeInvalid {
		t.Fatalf("log calls = %+v", lc)
	}
}

func TestSubmitResult(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: okResult},
		Body: fmt.Sprintf(`
    (call $code (call $submit_result (i32.const 0x1000) (i32.const %d)))
    (call $finish_log)`, len(okResult))}
	r := run(t, m, Options{})
	wantOK(t, r)
	wantCodes(t, loggedCodes(t, r), contract.CodeOk)
	if r.ResultSynthesized || !bytes.Equal(r.Result, []byte(okResult)) || len(r.Results) != 1 {
		t.Fatalf("result = %s synthesized=%v results=%d", r.Result, r.ResultSynthesized, len(r.Results))
	}
	sc := callsOf(r, "submit_result")
	if len(sc) != 1 || sc[0] != (Call{Function: "submit_result", Bytes: len(okResult), Code: contract.CodeOk, CodeName: contract.CodeNames[contract.CodeOk]}) {
		t.Fatalf("submit_result calls = %+v", sc)
	}
}

func TestNoSubmitSynthesizesResult(t *testing.T) {
	r := run(t, wattest.Module{Body: "nop"}, Options{})
	wantOK(t, r)
	if !r.ResultSynthesized || len(r.Results) != 0 {
		t.Fatalf("want synthesized result, got %s", r.Result)
	}
	var res map[string]any
	if err := json.Unmarshal(r.Result, &res); err != nil {
		t.Fatal(err)
	}
	if res["status"] != "UNKNOWN" || res["summary"] != "no result submitted" {
		t.Fatalf("synthesized result = %s", r.Result)
	}
}

func TestCapabilityDenied(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: okBatch, 0x2000: okResult, 0x3000: "hello"},
		Body: fmt.Sprintf(`
    (call $code (call $get_config (i32.const 0x4000) (i32.const 256)))
    (call $log (i32.const 1) (i32.const 0x3000) (i32.const 5))
    (call $code (call $emit_telemetry (i32.const 0x1000) (i32.const %d)))
    (call $code (call $submit_result (i32.const 0x2000) (i32.const %d)))
    (call $finish_log)`, len(okBatch), len(okResult))}
	wasm := wattest.Compile(t, m.WAT())
	// Which slot of the codes document each function's return lands in.
	slot := map[string]int{"get_config": 0, "emit_telemetry": 1, "submit_result": 2}

	for _, denied := range contract.HostFunctions {
		t.Run(denied.Name, func(t *testing.T) {
			var caps []string
			for _, hf := range contract.HostFunctions {
				if hf.Capability != denied.Capability {
					caps = append(caps, hf.Capability)
				}
			}
			// Capabilities the host does not know are tolerated.
			caps = append(caps, "http_request")
			r := runWasm(t, wasm, Options{Manifest: manifest(caps...), Config: []byte(`{}`)})
			wantOK(t, r)
			for _, c := range r.Calls {
				if (c.Function == denied.Name) != (c.Code == contract.CodeDenied) {
					t.Fatalf("call %+v: denied only for %s expected", c, denied.Name)
				}
			}
			if len(callsOf(r, denied.Name)) == 0 {
				t.Fatalf("no %s call recorded", denied.Name)
			}
			switch denied.Name {
			case "log":
				if len(r.Logs) != 0 {
					t.Fatalf("denied log still captured: %+v", r.Logs)
				}
			default:
				got := loggedCodes(t, r)
				if got[slot[denied.Name]] != contract.CodeDenied {
					t.Fatalf("plugin saw %v, want denied in slot %d", got, slot[denied.Name])
				}
			}
			if denied.Name == "emit_telemetry" && len(r.Telemetry) != 0 {
				t.Fatalf("denied telemetry accepted")
			}
			if denied.Name == "submit_result" && !r.ResultSynthesized {
				t.Fatalf("denied result accepted")
			}
		})
	}
}

func TestPayloadLimit(t *testing.T) {
	max := contract.MaxPayloadBytes
	head := `{"records":[]}`
	pages := (wattest.FreeBase+max+1)/65536 + 1
	m := wattest.Module{
		Pages: pages,
		Data:  map[int]string{wattest.FreeBase: head},
		Body: fmt.Sprintf(`
    (memory.fill (i32.const %[1]d) (i32.const 0x20) (i32.const %[2]d))
    (call $code (call $emit_telemetry (i32.const %[3]d) (i32.const %[4]d)))
    (call $code (call $emit_telemetry (i32.const %[3]d) (i32.const %[5]d)))
    (call $code (call $submit_result (i32.const %[3]d) (i32.const %[4]d)))
    (call $code (call $submit_result (i32.const %[3]d) (i32.const %[5]d)))
    (drop (call $finish))`, wattest.FreeBase+len(head), max+1-len(head), wattest.FreeBase, max, max+1)}
	r := run(t, m, Options{})
	wantOK(t, r)
	wantCodes(t, codes(t, r.Result), contract.CodeOk, contract.CodeTooLarge, contract.CodeOk, contract.CodeTooLarge)
	want := []byte(head + strings.Repeat(" ", max-len(head)))
	if len(r.Telemetry) != 1 || !bytes.Equal(r.Telemetry[0], want) {
		t.Fatalf("accepted telemetry: %d batches, first %d bytes; want one batch of exactly %d bytes", len(r.Telemetry), len(r.Telemetry[0]), max)
	}
	if len(r.Results) != 2 || !bytes.Equal(r.Results[0], want) {
		t.Fatalf("want the %d-byte result accepted first, got %d results", max, len(r.Results))
	}
	ec := callsOf(r, "emit_telemetry")
	if ec[0].Bytes != max || ec[1].Bytes != max+1 || ec[1].CodeName != contract.CodeNames[contract.CodeTooLarge] {
		t.Fatalf("emit_telemetry calls = %+v", ec)
	}
}

func TestInvalidPayloads(t *testing.T) {
	payloads := []struct {
		fn, payload string
		want        int32
	}{
		{"emit_telemetry", `{"records":[}`, contract.CodeInvalid},
		{"emit_telemetry", `[{"records":[]}]`, contract.CodeInvalid},
		{"emit_telemetry", `{"source":{}}`, contract.CodeInvalid},
		{"emit_telemetry", `{"records":{}}`, contract.CodeInvalid},
		{"emit_telemetry", `{"records":null}`, contract.CodeInvalid},
		{"emit_telemetry", `"records"`, contract.CodeInvalid},
		{"emit_telemetry", `{"source":{"source_type":"x"},"records":[]}`, contract.CodeOk},
		{"submit_result", `{"status":"OK"`, contract.CodeInvalid},
		{"submit_result", `not json`, contract.CodeInvalid},
		{"submit_result", ``, contract.CodeInvalid},
	}
	data := map[int]string{}
	var body strings.Builder
	var want []int32
	for i, p := range payloads {
		addr := wattest.DataBase + i*0x100
		data[addr] = p.payload
		fmt.Fprintf(&body, "    (call $code (call $%s (i32.const %d) (i32.const %d)))\n", p.fn, addr, len(p.payload))
		want = append(want, p.want)
	}
	// Out of range: past the end of memory, and straddling it.
	for _, fn := range []string{"emit_telemetry", "submit_result"} {
		fmt.Fprintf(&body, "    (call $code (call $%s (i32.const 0xffff0000) (i32.const 16)))\n", fn)
		fmt.Fprintf(&body, "    (call $code (call $%s (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 16)))\n", fn)
		want = append(want, contract.CodeInvalid, contract.CodeInvalid)
	}
	body.WriteString("    (call $finish_log)")
	r := run(t, wattest.Module{Data: data, Body: body.String()}, Options{})
	wantOK(t, r)
	wantCodes(t, loggedCodes(t, r), want...)
	if len(r.Telemetry) != 1 || !r.ResultSynthesized {
		t.Fatalf("want exactly the valid batch accepted and no result, got %d batches, synthesized=%v", len(r.Telemetry), r.ResultSynthesized)
	}
}

func TestFailEveryCode(t *testing.T) {
	payload := map[string]string{"emit_telemetry": okBatch, "submit_result": okResult, "get_config": ""}
	for _, hf := range contract.HostFunctions {
		if hf.Result == "" {
			continue // log returns nothing, it cannot be failed
		}
		p := payload[hf.Name]
		m := wattest.Module{
			Data: map[int]string{0x1000: p + " "},
			Body: fmt.Sprintf(`
    (call $code (call $%s (i32.const 0x1000) (i32.const %d)))
    (call $code (call $%[1]s (i32.const 0x1000) (i32.const %[2]d)))
    (call $finish_log)`, hf.Name, max(len(p), 64))}
		wasm := wattest.Compile(t, m.WAT())
		for code, name := range contract.CodeNames {
			t.Run(hf.Name+"="+name, func(t *testing.T) {
				f, err := ParseFailure(fmt.Sprintf("%s=%d", hf.Name, code))
				if err != nil {
					t.Fatal(err)
				}
				r := runWasm(t, wasm, Options{Failures: []Failure{f}, Config: []byte(`{"a":1}`)})
				wantOK(t, r)
				wantCodes(t, loggedCodes(t, r), code, code)
				for _, c := range callsOf(r, hf.Name) {
					if c.Code != code || c.CodeName != name || !c.Forced {
						t.Fatalf("call %+v, want forced %s", c, name)
					}
				}
				if len(r.Telemetry) != 0 || len(r.Results) != 0 {
					t.Fatalf("a failed call was accepted")
				}
			})
		}
	}
}

func TestFailNthCall(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: okBatch},
		Body: fmt.Sprintf(`
    (call $code (call $emit_telemetry (i32.const 0x1000) (i32.const %[1]d)))
    (call $code (call $emit_telemetry (i32.const 0x1000) (i32.const %[1]d)))
    (call $code (call $emit_telemetry (i32.const 0x1000) (i32.const %[1]d)))
    (drop (call $finish))`, len(okBatch))}
	wasm := wattest.Compile(t, m.WAT())

	t.Run("second only", func(t *testing.T) {
		f, err := ParseFailure("emit_telemetry=-5@2")
		if err != nil {
			t.Fatal(err)
		}
		r := runWasm(t, wasm, Options{Failures: []Failure{f}})
		wantOK(t, r)
		wantCodes(t, codes(t, r.Result), contract.CodeOk, contract.CodeInternal, contract.CodeOk)
		if len(r.Telemetry) != 2 {
			t.Fatalf("accepted %d batches, want 2", len(r.Telemetry))
		}
	})
	t.Run("every call with a specific override", func(t *testing.T) {
		every, _ := ParseFailure("emit_telemetry=timeout")
		third, _ := ParseFailure("emit_telemetry=bad_handle@3")
		r := runWasm(t, wasm, Options{Failures: []Failure{every, third}})
		wantOK(t, r)
		wantCodes(t, codes(t, r.Result), contract.CodeTimeout, contract.CodeTimeout, contract.CodeBadHandle)
	})
	t.Run("submit_result by name", func(t *testing.T) {
		f, err := ParseFailure("submit_result=internal@1")
		if err != nil {
			t.Fatal(err)
		}
		r := runWasm(t, wasm, Options{Failures: []Failure{f}})
		wantOK(t, r)
		if !r.ResultSynthesized || callsOf(r, "submit_result")[0].Code != contract.CodeInternal {
			t.Fatalf("submit_result not failed: %+v", r.Calls)
		}
	})
}

func TestTrap(t *testing.T) {
	r := run(t, wattest.Module{Body: "unreachable"}, Options{})
	if !r.Failed() || !strings.Contains(r.Error, "unreachable") {
		t.Fatalf("error = %q, want a trap", r.Error)
	}
	if !r.ResultSynthesized {
		t.Fatalf("want synthesized result after a trap")
	}
}

func TestTrapAfterSubmitKeepsResult(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: okResult},
		Body: fmt.Sprintf(`
    (drop (call $submit_result (i32.const 0x1000) (i32.const %d)))
    unreachable`, len(okResult))}
	r := run(t, m, Options{})
	if !r.Failed() || r.ResultSynthesized || !bytes.Equal(r.Result, []byte(okResult)) {
		t.Fatalf("error=%q synthesized=%v result=%s", r.Error, r.ResultSynthesized, r.Result)
	}
}

func TestMissingEntrypoint(t *testing.T) {
	r := run(t, wattest.Module{NoEntry: true, Funcs: `  (func (export "other"))` + "\n"}, Options{})
	if !r.Failed() || !strings.Contains(r.Error, "not exported") || !strings.Contains(r.Error, contract.Entrypoint) {
		t.Fatalf("error = %q", r.Error)
	}
}

func TestCustomEntrypointAndSignature(t *testing.T) {
	m := wattest.Module{Entry: "check_disk", Body: "nop", Funcs: `  (func (export "bad") (param i32))` + "\n"}
	wasm := wattest.Compile(t, m.WAT())
	mf := manifest(allCaps()...)
	mf.Entrypoint = "check_disk"
	if r := runWasm(t, wasm, Options{Manifest: mf}); r.Failed() || r.Entrypoint != "check_disk" {
		t.Fatalf("custom entrypoint: error %q", r.Error)
	}
	mf.Entrypoint = "bad"
	if r := runWasm(t, wasm, Options{Manifest: mf}); !strings.Contains(r.Error, "no parameters") {
		t.Fatalf("bad signature: error %q", r.Error)
	}
}

func TestTimeout(t *testing.T) {
	start := time.Now()
	r := run(t, wattest.Module{Body: "(loop $forever (br $forever))"}, Options{Timeout: 200 * time.Millisecond})
	if !r.Failed() || !strings.Contains(r.Error, "timeout") {
		t.Fatalf("error = %q, want timeout", r.Error)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("timeout took %s", d)
	}
}

func TestNoStartFunctions(t *testing.T) {
	// _start and _initialize would trap; the host must call neither.
	m := wattest.Module{Body: "nop", Funcs: `  (func (export "_start") unreachable)
  (func (export "_initialize") unreachable)
`}
	wantOK(t, run(t, m, Options{}))
}

func TestMemoryLimit(t *testing.T) {
	m := wattest.Module{Body: `
    (call $code (memory.grow (i32.const 100)))
    (call $code (memory.grow (i32.const 1)))
    (call $finish_log)`}
	mf := manifest(allCaps()...)
	mf.Resources.RequestedMemoryMB = 1 // 16 pages
	r := run(t, m, Options{Manifest: mf})
	wantOK(t, r)
	wantCodes(t, loggedCodes(t, r), -1, 2)

	r = run(t, wattest.Module{Pages: 32, Body: "nop"}, Options{Manifest: mf})
	if !r.Failed() {
		t.Fatalf("a module needing 32 pages ran under a 16 page limit")
	}
}

func TestWASI(t *testing.T) {
	imports := `  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
`
	body := func(exit int) string {
		return fmt.Sprintf(`
    ;; iovecs: {0x1000, 4} for stdout, {0x1010, 4} for stderr
    (i32.store (i32.const 0x100) (i32.const 0x1000)) (i32.store (i32.const 0x104) (i32.const 4))
    (i32.store (i32.const 0x108) (i32.const 0x1010)) (i32.store (i32.const 0x10c) (i32.const 4))
    (call $code (call $fd_write (i32.const 1) (i32.const 0x100) (i32.const 1) (i32.const 0x200)))
    (call $code (call $fd_write (i32.const 2) (i32.const 0x108) (i32.const 1) (i32.const 0x200)))
    (call $code (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 0x300)))
    (call $code (i64.gt_u (i64.load (i32.const 0x300)) (i64.const 1600000000000000000)))
    (call $finish_log)
    (call $proc_exit (i32.const %d))
    unreachable`, exit)
	}
	data := map[int]string{0x1000: "out\n", 0x1010: "err\n"}
	r := run(t, wattest.Module{Imports: imports, Data: data, Body: body(0)}, Options{})
	wantOK(t, r)
	wantCodes(t, loggedCodes(t, r), 0, 0, 0, 1)
	if r.Stdout != "out\n" || r.Stderr != "err\n" {
		t.Fatalf("stdout %q stderr %q", r.Stdout, r.Stderr)
	}
	r = run(t, wattest.Module{Imports: imports, Data: data, Body: body(3)}, Options{})
	if !strings.Contains(r.Error, "exited with code 3") {
		t.Fatalf("error = %q", r.Error)
	}
}

func TestUnknownEnvImport(t *testing.T) {
	m := wattest.Module{Body: "nop", Imports: `  (import "env" "http_request" (func (param i32 i32 i32 i32) (result i32)))` + "\n"}
	r := run(t, m, Options{})
	if !strings.Contains(r.Error, "env.http_request") {
		t.Fatalf("error = %q", r.Error)
	}
}

func TestNoMemory(t *testing.T) {
	wat := "(module\n" + wattest.HostImports() + `  (func (export "run_check")
    (drop (call $submit_result (i32.const 0) (i32.const 2)))))`
	r := runWasm(t, wattest.Compile(t, wat), Options{})
	wantOK(t, r)
	if c := callsOf(r, "submit_result"); len(c) != 1 || c[0].Code != contract.CodeInvalid {
		t.Fatalf("calls = %+v", r.Calls)
	}
}

func TestCompileError(t *testing.T) {
	r := runWasm(t, []byte("not wasm"), Options{})
	if !strings.Contains(r.Error, "compile plugin") || !r.ResultSynthesized {
		t.Fatalf("error = %q", r.Error)
	}
}

func TestJSONShape(t *testing.T) {
	m := wattest.Module{
		Data: map[int]string{0x1000: okBatch, 0x2000: okResult},
		Body: fmt.Sprintf(`
    (drop (call $emit_telemetry (i32.const 0x1000) (i32.const %d)))
    (drop (call $submit_result (i32.const 0x2000) (i32.const %d)))`, len(okBatch), len(okResult))}
	r := run(t, m, Options{})
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"plugin", "entrypoint", "result", "result_synthesized", "telemetry", "validation", "logs", "calls", "stdout", "stderr", "error"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("missing key %q in %s", k, buf.Bytes())
		}
	}
	if len(doc) != 11 {
		t.Errorf("unexpected keys in %s", buf.Bytes())
	}
	if string(doc["logs"]) != "[]" {
		t.Errorf("logs = %s, want []", doc["logs"])
	}
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CRITICAL", "otel_log", "emit_telemetry", "submit_result"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, text.String())
		}
	}
}
