package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"serviceradar.local/sdk/contract"
	"serviceradar.local/sdk/host/internal/wattest"
)

const batch = `{"records":[{"payload_kind":"otel_log","payload":{"body":"hello"}}]}`
const result = `{"status":"CRITICAL","summary":"disk full"}`

// plugin reads its config, logs, emits a batch and submits a result.
var plugin = wattest.Module{
	Data: map[int]string{0x1000: batch, 0x2000: result, 0x3000: "checking"},
	Body: fmt.Sprintf(`
    (drop (call $get_config (i32.const 0x4000) (i32.const 1024)))
    (call $log (i32.const 1) (i32.const 0x3000) (i32.const 8))
    (drop (call $emit_telemetry (i32.const 0x1000) (i32.const %d)))
    (drop (call $submit_result (i32.const 0x2000) (i32.const %d)))`, len(batch), len(result)),
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func manifestFile(t *testing.T) string {
	var caps []string
	for _, hf := range contract.HostFunctions {
		caps = append(caps, hf.Capability)
	}
	return writeFile(t, "plugin.yaml", fmt.Sprintf(`id: demo
name: Demo
version: 0.1.0
capabilities: [%s]
resources: {requested_cpu_ms: 100, requested_memory_mb: 4}
outputs: serviceradar.plugin_result.v1
`, strings.Join(caps, ", ")))
}

func srhost(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRunJSON(t *testing.T) {
	wasm := wattest.CompileFile(t, plugin)
	cfg := writeFile(t, "config.json", `{"path":"/"}`)
	code, out, errOut := srhost(t, "run", "--wasm", wasm, "--manifest", manifestFile(t), "--config", cfg, "--json")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var doc struct {
		Plugin            map[string]string `json:"plugin"`
		Entrypoint        string            `json:"entrypoint"`
		Result            map[string]any    `json:"result"`
		ResultSynthesized bool              `json:"result_synthesized"`
		Telemetry         []map[string]any  `json:"telemetry"`
		Logs              []struct {
			Level   uint32 `json:"level"`
			Message string `json:"message"`
		} `json:"logs"`
		Calls []struct {
			Function string `json:"function"`
			Bytes    int    `json:"bytes"`
			Code     int32  `json:"code"`
			CodeName string `json:"code_name"`
		} `json:"calls"`
		Stdout string `json:"stdout"`
		Stderr string `json:"stderr"`
		Error  string `json:"error"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, out)
	}
	if doc.Plugin["id"] != "demo" || doc.Plugin["name"] != "Demo" || doc.Plugin["version"] != "0.1.0" || doc.Entrypoint != contract.Entrypoint {
		t.Fatalf("plugin/entrypoint: %s", out)
	}
	if doc.Result["status"] != "CRITICAL" || doc.ResultSynthesized || len(doc.Telemetry) != 1 || doc.Error != "" {
		t.Fatalf("output: %s", out)
	}
	if len(doc.Logs) != 1 || doc.Logs[0].Message != "checking" || doc.Logs[0].Level != contract.LogLevelInfo {
		t.Fatalf("logs: %+v", doc.Logs)
	}
	if len(doc.Calls) != 4 || doc.Calls[0].Function != "get_config" || doc.Calls[0].Bytes != len(`{"path":"/"}`) || doc.Calls[3].CodeName != contract.CodeNames[contract.CodeOk] {
		t.Fatalf("calls: %+v", doc.Calls)
	}
}

func TestRunText(t *testing.T) {
	wasm := wattest.CompileFile(t, plugin)
	code, out, errOut := srhost(t, "run", "--wasm", wasm, "--manifest", manifestFile(t), "--fail", "emit_telemetry=-5")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"== result", `"status": "CRITICAL"`, "== telemetry (0 batch(es) accepted)", "== logs (1)", "checking", "== calls (4)", "internal (forced by --fail)"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestRunFailures(t *testing.T) {
	manifest := manifestFile(t)
	trap := wattest.CompileFile(t, wattest.Module{Body: "unreachable"})
	code, out, _ := srhost(t, "run", "--wasm", trap, "--manifest", manifest, "--json")
	if code != exitFailed || !strings.Contains(out, `"result_synthesized": true`) || !strings.Contains(out, "unreachable") {
		t.Fatalf("trap: exit %d\n%s", code, out)
	}
	noEntry := wattest.CompileFile(t, wattest.Module{NoEntry: true})
	if code, _, errOut := srhost(t, "run", "--wasm", noEntry, "--manifest", manifest); code != exitFailed || !strings.Contains(errOut, "not exported") {
		t.Fatalf("missing entrypoint: exit %d, stderr %s", code, errOut)
	}
	loop := wattest.CompileFile(t, wattest.Module{Body: "(loop $l (br $l))"})
	if code, _, errOut := srhost(t, "run", "--wasm", loop, "--manifest", manifest, "--timeout", "150ms"); code != exitFailed || !strings.Contains(errOut, "timeout") {
		t.Fatalf("timeout: exit %d, stderr %s", code, errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	wasm := wattest.CompileFile(t, plugin)
	manifest := manifestFile(t)
	base := []string{"run", "--wasm", wasm, "--manifest", manifest}
	cases := map[string]struct {
		args []string
		want string
	}{
		"unknown function":   {append(base, "--fail", "http_request=-5"), "unknown host function"},
		"unknown code":       {append(base, "--fail", "emit_telemetry=-42"), "not a contract return code"},
		"unknown code name":  {append(base, "--fail", "emit_telemetry=oops"), "unknown return code"},
		"log cannot fail":    {append(base, "--fail", "log=-5"), "returns nothing"},
		"bad call number":    {append(base, "--fail", "emit_telemetry=-5@0"), "positive"},
		"same call twice":    {append(base, "--fail", "emit_telemetry=-5@2", "--fail", "emit_telemetry=-1@2"), "twice"},
		"missing wasm":       {[]string{"run", "--manifest", manifest}, "--wasm is required"},
		"missing manifest":   {[]string{"run", "--wasm", wasm}, "--manifest is required"},
		"unknown flag":       {append(base, "--nope"), "not defined"},
		"unknown command":    {[]string{"frobnicate"}, "unknown command"},
		"no command":         {nil, "usage"},
		"bad config json":    {append(base, "--config", writeFile(t, "c.json", "{")), "not valid JSON"},
		"unreadable wasm":    {[]string{"run", "--wasm", "/nonexistent.wasm", "--manifest", manifest}, "nonexistent"},
		"bad manifest":       {[]string{"run", "--wasm", wasm, "--manifest", writeFile(t, "m.yaml", "capabilities: {")}, "manifest"},
		"extra argument":     {append(base, "extra"), "unexpected argument"},
		"non-positive limit": {append(base, "--timeout", "0s"), "positive"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := srhost(t, c.args...)
			if code != exitUsage || !strings.Contains(errOut, c.want) || out != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 mentioning %q", code, out, errOut, c.want)
			}
		})
	}
	// Accepted forms, by number and by name, repeated.
	code, _, errOut := srhost(t, append(base, "--fail", "submit_result=internal@1", "--fail", "emit_telemetry=-5@2", "--fail", "get_config=not_found")...)
	if code != exitOK {
		t.Fatalf("valid --fail flags rejected: %s", errOut)
	}
}

func TestExample(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "examples", "demo", "demo.wat"))
	if err != nil {
		t.Fatal(err)
	}
	wasm := writeFile(t, "demo.wasm", string(wattest.Compile(t, string(src))))
	dir := filepath.Join("..", "..", "examples", "demo")
	code, out, errOut := srhost(t, "run", "--wasm", wasm, "--manifest", filepath.Join(dir, "plugin.yaml"),
		"--config", filepath.Join(dir, "config.json"), "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc struct {
		Result    map[string]any    `json:"result"`
		Telemetry []json.RawMessage `json:"telemetry"`
		Calls     []map[string]any  `json:"calls"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Result["status"] != "CRITICAL" || len(doc.Telemetry) != 1 || len(doc.Calls) != 4 {
		t.Fatalf("example output:\n%s", out)
	}
	for _, c := range doc.Calls {
		if c["code_name"] != contract.CodeNames[contract.CodeOk] {
			t.Fatalf("example call failed: %v", c)
		}
	}
}

// An otel_metric record that breaks a rule: reported either way; --strict
// makes emit_telemetry return the contract's invalid code.
func TestRunStrict(t *testing.T) {
	bad := `{"records":[{"payload_kind":"otel_metric","payload":{"schema_version":2,"kind":"gauge"}}]}`
	m := wattest.Module{
		Data: map[int]string{0x1000: bad},
		Body: fmt.Sprintf(`
    (call $code (call $emit_telemetry (i32.const 0x1000) (i32.const %d)))
    (drop (call $finish))`, len(bad)),
	}
	wasm := wattest.CompileFile(t, m)
	man := manifestFile(t)
	for _, strict := range []bool{false, true} {
		args := []string{"run", "--wasm", wasm, "--manifest", man, "--json"}
		if strict {
			args = append(args, "--strict")
		}
		code, out, errOut := srhost(t, args...)
		if code != exitOK {
			t.Fatalf("strict=%v: exit %d: %s", strict, code, errOut)
		}
		var doc struct {
			Result     struct{ Codes []int32 } `json:"result"`
			Validation []struct {
				Violations []struct{ Rule, Path string } `json:"violations"`
				Accepted   bool                          `json:"accepted"`
			} `json:"validation"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		want := contract.CodeOk
		if strict {
			want = contract.CodeInvalid
		}
		if len(doc.Result.Codes) != 1 || doc.Result.Codes[0] != want {
			t.Errorf("strict=%v: emit_telemetry returned %v, want %d", strict, doc.Result.Codes, want)
		}
		if len(doc.Validation) != 1 || doc.Validation[0].Accepted == strict ||
			!strings.Contains(fmt.Sprint(doc.Validation[0].Violations), "{metric.name.required name}") {
			t.Errorf("strict=%v: validation %+v", strict, doc.Validation)
		}
	}
}
