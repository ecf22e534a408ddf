package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"serviceradar.local/sdk/contract"
	"serviceradar.local/sdk/host/internal/wattest"
)

// A histogram whose min is above its max: exactly one error,
// point.histogram.min_le_max at points[0].min (worked out by hand from the
// contract's rules; count 1 = the one bucket count, no bounds).
const invalidMetric = `{"schema_version":2,"resource":{"service":{"name":"s"}},"name":"h","kind":"histogram",` +
	`"temporality":"delta","points":[{"time_unix_nano":1,"count":1,"bucket_counts":[1],"min":5.0,"max":1.0}]}`

const validMetric = `{"schema_version":2,"resource":{"service":{"name":"s"}},"name":"up","kind":"gauge",` +
	`"points":[{"time_unix_nano":1,"as_int":1}]}`

// Valid but with one warning: "rpm" is not a UCUM unit.
const warningMetric = `{"schema_version":2,"resource":{"service":{"name":"s"}},"name":"up","unit":"rpm",` +
	`"kind":"gauge","points":[{"time_unix_nano":1,"as_int":1}]}`

var validationBatches = []string{
	`{"records":[{"payload_kind":"otel_log","payload":{"body":"not checked"}},` +
		`{"payload_kind":"otel_metric","payload":` + invalidMetric + `}]}`,
	`{"records":[{"payload_kind":"otel_metric","payload":` + validMetric + `},` +
		`{"payload_kind":"otel_metric","payload":` + warningMetric + `}]}`,
	`{"records":[{"payload_kind":"otel_metric","payload":{"kind":"counter"}}]}`,
}

func validationModule() wattest.Module {
	m := wattest.Module{Data: map[int]string{}}
	var body strings.Builder
	for i, b := range validationBatches {
		addr := 0x1000 + i*0x1000
		m.Data[addr] = b
		fmt.Fprintf(&body, "    (call $code (call $emit_telemetry (i32.const %d) (i32.const %d)))\n", addr, len(b))
	}
	body.WriteString("    (drop (call $finish))")
	m.Body = body.String()
	return m
}

func TestOtelMetricRecordsAreValidated(t *testing.T) {
	wasm := wattest.Compile(t, validationModule().WAT())
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			r := runWasm(t, wasm, Options{Strict: strict})
			wantOK(t, r)
			if strict {
				wantCodes(t, codes(t, r.Result), contract.CodeInvalid, contract.CodeOk, contract.CodeInvalid)
				if len(r.Telemetry) != 1 || string(r.Telemetry[0]) != validationBatches[1] {
					t.Fatalf("strict: accepted %d batches, want only the valid one", len(r.Telemetry))
				}
			} else {
				wantCodes(t, codes(t, r.Result), contract.CodeOk, contract.CodeOk, contract.CodeOk)
				if len(r.Telemetry) != 3 {
					t.Fatalf("accepted %d batches, want all 3 (the agent does not validate)", len(r.Telemetry))
				}
			}
			if len(r.Validation) != 4 {
				t.Fatalf("validation entries = %+v, want one per otel_metric record (4)", r.Validation)
			}
			inv, ok, warn, undecodable := r.Validation[0], r.Validation[1], r.Validation[2], r.Validation[3]
			want := []contract.Violation{{Rule: "point.histogram.min_le_max", Path: "points[0].min", Severity: "error"}}
			if inv.Call != 1 || inv.Record != 1 || !inv.Invalid() || fmt.Sprint(inv.Violations) != fmt.Sprint(want) {
				t.Errorf("invalid record: %+v", inv)
			}
			if ok.Call != 2 || ok.Record != 0 || ok.Invalid() || len(ok.Violations) != 0 || !ok.Accepted {
				t.Errorf("valid record: %+v", ok)
			}
			wantWarn := []contract.Violation{{Rule: "metric.unit.ucum", Path: "unit", Severity: "warning"}}
			if warn.Invalid() || fmt.Sprint(warn.Violations) != fmt.Sprint(wantWarn) {
				t.Errorf("warning-only record: %+v", warn)
			}
			if undecodable.Call != 3 || undecodable.DecodeError == "" || !undecodable.Invalid() {
				t.Errorf("undecodable record: %+v", undecodable)
			}
			if inv.Accepted == strict || undecodable.Accepted == strict {
				t.Errorf("accepted flags: %+v %+v", inv, undecodable)
			}

			var text bytes.Buffer
			if err := r.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{"points[0].min: point.histogram.min_le_max (error)", "unit: metric.unit.ucum (warning)",
				"4 otel_metric record(s), 2 invalid", "cannot decode: "} {
				if !strings.Contains(text.String(), s) {
					t.Errorf("text report lacks %q:\n%s", s, text.String())
				}
			}
			var js bytes.Buffer
			if err := r.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Validation []struct {
					Violations []map[string]string `json:"violations"`
				} `json:"validation"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil || len(doc.Validation) != 4 ||
				fmt.Sprint(doc.Validation[0].Violations) != "[map[path:points[0].min rule:point.histogram.min_le_max severity:error]]" {
				t.Errorf("JSON validation = %+v (%v)", doc.Validation, err)
			}
		})
	}
}
