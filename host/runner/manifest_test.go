package runner

import (
	"strings"
	"testing"

	"serviceradar.local/sdk/contract"
)

func TestParseManifest(t *testing.T) {
	m, err := ParseManifest([]byte(`
id: disk-check
name: Disk check
version: 1.2.0
description: tolerated
capabilities: [get_config, " log ", submit_result, http_request]
permissions: {allowed_domains: [example.com]}
resources:
  requested_cpu_ms: 500
  requested_memory_mb: 8
  max_open_connections: 2
`))
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != "disk-check" || m.Name != "Disk check" || m.Version != "1.2.0" {
		t.Fatalf("manifest = %+v", m)
	}
	if m.Entrypoint != contract.Entrypoint {
		t.Fatalf("entrypoint default = %q", m.Entrypoint)
	}
	if !m.HasCapability("log") || m.HasCapability("emit_telemetry") {
		t.Fatalf("capabilities = %q", m.Capabilities)
	}
	if m.Resources.RequestedCPUMS != 500 || m.Resources.RequestedMemoryMB != 8 {
		t.Fatalf("resources = %+v", m.Resources)
	}
	if _, err := ParseManifest([]byte("resources: {requested_memory_mb: -1}")); err == nil {
		t.Fatal("negative memory accepted")
	}
	if _, err := ParseManifest([]byte("capabilities: 3")); err == nil {
		t.Fatal("bad capabilities accepted")
	}
}

func TestParseFailure(t *testing.T) {
	good := map[string]Failure{
		"emit_telemetry=-5":           {Function: "emit_telemetry", Code: contract.CodeInternal},
		"emit_telemetry=-5@2":         {Function: "emit_telemetry", Code: contract.CodeInternal, Call: 2},
		"submit_result=internal@1":    {Function: "submit_result", Code: contract.CodeInternal, Call: 1},
		"get_config=too_large":        {Function: "get_config", Code: contract.CodeTooLarge},
		"submit_result=OK":            {Function: "submit_result", Code: contract.CodeOk},
		"emit_telemetry=bad_handle@7": {Function: "emit_telemetry", Code: contract.CodeBadHandle, Call: 7},
	}
	for spec, want := range good {
		got, err := ParseFailure(spec)
		if err != nil || got != want {
			t.Errorf("ParseFailure(%q) = %+v, %v; want %+v", spec, got, err, want)
		}
	}
	bad := map[string]string{
		"http_request=-5":       "unknown host function",
		"emit_telemetry=-9":     "not a contract return code",
		"emit_telemetry=broken": "unknown return code",
		"log=-5":                "returns nothing",
		"emit_telemetry=-5@0":   "positive",
		"emit_telemetry=-5@x":   "positive",
		"emit_telemetry":        "FUNC=CODE",
	}
	for spec, msg := range bad {
		if _, err := ParseFailure(spec); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseFailure(%q) error = %v, want one mentioning %q", spec, err, msg)
		}
	}
}
