package sdk

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	c "serviceradar.local/sdk/contract"
)

// gauge is a small valid gauge built through the API.
func gauge() *c.OtelMetric {
	m := c.NewOtelMetric().SetName("up").SetKind(c.MetricKindGauge)
	m.Resource.Service.SetName("svc")
	var p c.Point
	p.SetTimeUnixNano(1).SetAsInt(1)
	return m.AddPoint(p)
}

func TestEncodeMinimalGaugeByHand(t *testing.T) {
	got := string(gauge().AppendJSON(nil))
	want := `{"schema_version":2,"resource":{"service":{"name":"svc"}},"name":"up","kind":"gauge","points":[{"time_unix_nano":1,"as_int":1}]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestEncodeOptionalsAndMaps(t *testing.T) {
	m := gauge()
	m.SetUnit("") // explicitly empty: written
	m.AddMetadata("k", c.StringArray("a", "b"))
	m.AddMetadata("n", c.DoubleValue(0.5))
	m.AddMetadata("i", c.IntArray())
	m.Points[0].AddAttribute("ok", c.BoolValue(true))
	m.Points[0].SetStartTimeUnixNano(0)
	got := string(m.AppendJSON(nil))
	want := `{"schema_version":2,"resource":{"service":{"name":"svc"}},"name":"up","unit":"","kind":"gauge",` +
		`"metadata":{"k":["a","b"],"n":0.5,"i":[]},"points":[{"time_unix_nano":1,"start_time_unix_nano":0,` +
		`"attributes":{"ok":true},"as_int":1}]}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	// Nothing set in resource or scope: neither is written.
	empty := c.NewOtelMetric()
	if got := string(empty.AppendJSON(nil)); got != `{"schema_version":2}` {
		t.Fatalf("empty metric: %s", got)
	}
}

func pairs(vs []c.Violation) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.String()
	}
	sort.Strings(out)
	return out
}

func TestValidatePathsByHand(t *testing.T) {
	m := c.NewOtelMetric().SetName("h").SetKind(c.MetricKindHistogram).SetTemporality(c.AggregationTemporalityDelta)
	m.Resource.Service.SetName("svc")
	m.AddMetadata("a", c.IntValue(1))
	m.AddMetadata("b", c.IntValue(1))
	m.AddMetadata("a", c.IntValue(2)) // duplicate key: entry 2
	var p c.Point
	p.SetTimeUnixNano(10).SetCount(2).SetSum(3).SetMin(5).SetMax(1)
	p.SetBucketCounts(1, 1).SetExplicitBounds(2)
	p.AddAttribute("host", c.StringValue("x"))
	var ok, bad c.Exemplar
	ok.SetTimeUnixNano(1).SetAsInt(1)
	bad.SetTimeUnixNano(1).SetAsDouble(1).SetTraceID("ABC")
	bad.AddFilteredAttribute("host", c.StringValue("y"))
	p.AddExemplar(ok).AddExemplar(bad)
	m.AddPoint(p)

	rep := m.Validate()
	wantErrors := []string{
		"metadata[2]: attributes.key.unique (error)",
		"points[0].exemplars[1].trace_id: exemplar.trace_id.format (error)",
		"points[0].min: point.histogram.min_le_max (error)",
	}
	wantWarnings := []string{
		"points[0].exemplars[1].filtered_attributes[0]: exemplar.filtered_attributes.disjoint (warning)",
		"points[0].max: point.histogram.max.in_last_bucket (warning)",
		"points[0].min: point.histogram.min.in_first_bucket (warning)",
	}
	if got := pairs(rep.Errors()); !reflect.DeepEqual(got, wantErrors) {
		t.Errorf("errors:\n got  %q\n want %q", got, wantErrors)
	}
	if got := pairs(rep.Warnings()); !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings:\n got  %q\n want %q", got, wantWarnings)
	}
	var ve *c.ValidationError
	if err := rep.Err(); !errors.As(err, &ve) || len(ve.Violations) != 3 {
		t.Fatalf("Err() = %v", err)
	}
	if _, err := m.MarshalJSON(); err == nil {
		t.Fatal("MarshalJSON accepted an invalid metric")
	}
	if c.RulePointHistogramMinLeMax != "point.histogram.min_le_max" {
		t.Fatal("rule id constant")
	}
}

func TestValidateObjectLevelAndEmpty(t *testing.T) {
	m := gauge()
	m.Points[0].SetAsDouble(2) // both values
	got := pairs(m.Validate().Errors())
	if want := []string{"points[0]: point.value.one_of (error)"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	got = pairs(c.NewOtelMetric().Validate().Errors())
	want := []string{"kind: metric.kind.required (error)", "name: metric.name.required (error)",
		"points: metric.points.non_empty (error)", "resource.service.name: resource.service.name.required (error)"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("empty metric: got %q", got)
	}
	m = gauge()
	m.Points[0].AsInt = nil
	m.Points[0].SetAsDouble(math.NaN())
	got = pairs(m.Validate().Errors())
	if want := []string{"points[0].as_double: double.finite (error)"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("NaN: got %q", got)
	}
}

type vectorFile struct {
	Cases []struct {
		ID       string          `json:"id"`
		Valid    bool            `json:"valid"`
		Expected string          `json:"expected"`
		Input    json.RawMessage `json:"input"`
		Warnings []struct {
			Rule string `json:"rule"`
			Path string `json:"path"`
		} `json:"warnings"`
	} `json:"cases"`
}

func vectors(t *testing.T) vectorFile {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "generated", "vectors", "otel_metric.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(data, &vf); err != nil {
		t.Fatal(err)
	}
	return vf
}

// Every valid vector's expected bytes (computed by the Python reference)
// decode and encode back to the same bytes, with the vector's warnings.
func TestDecodeRoundTripsEveryValidVector(t *testing.T) {
	n := 0
	for _, cs := range vectors(t).Cases {
		if !cs.Valid {
			continue
		}
		m, err := c.DecodeOtelMetric([]byte(cs.Expected))
		if err != nil {
			t.Errorf("%s: %v", cs.ID, err)
			continue
		}
		if got := string(m.AppendJSON(nil)); got != cs.Expected {
			t.Errorf("%s:\n got  %s\n want %s", cs.ID, got, cs.Expected)
		}
		rep := m.Validate()
		if err := rep.Err(); err != nil {
			t.Errorf("%s: %v", cs.ID, err)
		}
		var want, got []string
		for _, w := range cs.Warnings {
			want = append(want, w.Path+": "+w.Rule+" (warning)")
		}
		got = pairs(rep.Warnings())
		sort.Strings(want)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: warnings %q, want %q", cs.ID, got, want)
		}
		n++
	}
	if n < 30 {
		t.Fatalf("only %d valid vectors", n)
	}
	t.Logf("%d valid vectors round-trip", n)
}

func TestDecodeKeepsWhatValidationMustSee(t *testing.T) {
	doc := `{"schema_version":2,"resource":{"service":{"name":"s` + "\xff" + `"}},"name":"x","kind":"gauge",` +
		`"metadata":{"k":1,"k":2.0,"a":["x","\ud800"]},"points":[{"time_unix_nano":1,"as_int":1}]}`
	m, err := c.DecodeOtelMetric([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if m.Metadata[0].Value.Kind() != c.ValueInt || m.Metadata[1].Value.Kind() != c.ValueDouble {
		t.Fatalf("int/double not told apart: %+v", m.Metadata)
	}
	got := pairs(m.Validate().Errors())
	want := []string{"metadata[1]: attributes.key.unique (error)", "metadata[2]: string.utf8 (error)",
		"resource.service.name: string.utf8 (error)"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q", got)
	}
	for _, bad := range []string{
		`{"schema_version":3}`, `{"nope":1}`, `{"kind":"counter"}`, `{"points":[{"time_unix_nano":-1}]}`,
		`{"points":[{"time_unix_nano":18446744073709551616}]}`, `{"metadata":{"k":[1,"a"]}}`,
		`{"metadata":{"k":[[1]]}}`, `{"name":1}`, `{"points":[{"flags":4294967296}]}`, `[]`, `{"name":"x"} x`,
	} {
		if _, err := c.DecodeOtelMetric([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

// ucumScript prints "1 unit" or "0 unit" per unit on stdin: what
// codegen/ucum.py (the reference) says about it, on the contract's tables.
const ucumScript = `
import sys, yaml
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from codegen import ucum
contract = Path(sys.argv[1]) / "contract"
cfg = yaml.safe_load((contract / "ucum.yaml").read_text())["ucum"]
t = ucum.load((contract / cfg["essence"]).resolve(), cfg.get("extra_atoms", []))
for line in sys.stdin.read().split("\n"):
    if line:
        print("%d %s" % (ucum.is_valid(line, t), line))
`

func TestUnitChecksAgreeWithPythonUCUM(t *testing.T) {
	units := []string{"ms", "By", "kBy/s.10*3{packets}/m2", "Cel", "%", "1", "{request}", "/s", "m2", "s-1",
		"(m/s)", "[degF]", "rpm", "kCel", "k[degF]", "m{a}{b}", "(m", "m)", "1{x}", "m+", "10*", "kk",
		"m+2", "m-", "[", "]", "m[", "{", "}", "m.", "m//s", "((m))", "10*-3", "mm[Hg]", "kg.m/s2", "%{x}"}
	// Random strings over UCUM's punctuation and a few atom letters.
	const alphabet = "mskgBy1203*+-./(){}[]%Cel"
	seed := uint32(12345)
	for i := 0; i < 3000; i++ {
		n := 1 + i%9
		var b strings.Builder
		for k := 0; k < n; k++ {
			seed = seed*1664525 + 1013904223
			b.WriteByte(alphabet[seed>>16%uint32(len(alphabet))])
		}
		units = append(units, b.String())
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", "..", ".."))
	cmd := exec.Command("python3", "-c", ucumScript, root)
	cmd.Stdin = strings.NewReader(strings.Join(units, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != len(units) {
		t.Fatalf("python answered %d of %d units", len(lines), len(units))
	}
	valid := 0
	for i, line := range lines {
		verdict, unit, _ := strings.Cut(line, " ")
		if unit != units[i] {
			t.Fatalf("line %d: %q is not %q", i, unit, units[i])
		}
		m := gauge().SetUnit(unit)
		warned := false
		for _, w := range m.Validate().Warnings() {
			warned = warned || w.Rule == c.RuleMetricUnitUcum
		}
		if warned != (verdict == "0") {
			t.Errorf("unit %q: Go warns %v, Python says valid=%s", unit, warned, verdict)
		}
		if verdict == "1" {
			valid++
		}
	}
	t.Logf("%d units agree with codegen/ucum.py (%d valid)", len(units), valid)
}

// String maps keep keys in byte order and a key set again replaces its
// value (the same keys as the C test test_string_map_sorted_last_wins).
func TestStringMapSortedLastWins(t *testing.T) {
	var sm c.StringMap
	keys := []string{"b", "ab", "a", "\u00e9", "B", "b", "", "a"}
	for i, k := range keys {
		sm.Add(k, string(rune('1'+i)))
	}
	var b c.TelemetryBatch
	b.Source.Metadata = sm
	got := string(b.AppendJSON(nil))
	want := "{\"source\":{\"metadata\":{\"\":\"7\",\"B\":\"5\",\"a\":\"8\",\"ab\":\"2\",\"b\":\"6\",\"\u00e9\":\"4\"}},\"records\":[]}"
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestMetricTelemetryRecord(t *testing.T) {
	m := gauge()
	var p c.Point
	p.SetTimeUnixNano(1700000000000000000).SetAsInt(2)
	m.AddPoint(p)
	r, rep, err := c.NewMetricTelemetryRecord("", m)
	if err != nil || len(rep.Violations) != 0 {
		t.Fatalf("err %v, report %+v", err, rep)
	}
	if r.PayloadKind != "otel_metric" || r.EventTimeUnixNano != 1700000000000000000 || r.ObservedTimeUnixNano <= 0 {
		t.Fatalf("record %+v", r)
	}
	want := c.StringMap{ // keys in byte order (envelope.yaml: string_map)
		{Key: "serviceradar.signal_schema.payload_kind", Value: "otel_metric"},
		{Key: "serviceradar.signal_schema.schema_version", Value: "2"},
		{Key: "serviceradar.signal_schema.signal_type", Value: "metric"},
	}
	if !reflect.DeepEqual(r.Metadata, want) {
		t.Fatalf("metadata %+v", r.Metadata)
	}
	r.ObservedTimeUnixNano = 5
	var b c.TelemetryBatch
	b.AddRecord(r)
	got := string(b.AppendJSON(nil))
	wantJSON := `{"records":[{"observed_time_unix_nano":5,"event_time_unix_nano":1700000000000000000,` +
		`"payload_kind":"otel_metric","payload":` + string(m.AppendJSON(nil)) + `,"metadata":{` +
		`"serviceradar.signal_schema.payload_kind":"otel_metric","serviceradar.signal_schema.schema_version":"2",` +
		`"serviceradar.signal_schema.signal_type":"metric"}}]}`
	if got != wantJSON {
		t.Fatalf("batch:\n got  %s\n want %s", got, wantJSON)
	}
	b.Source.SourceType = "plugin"
	if !strings.HasPrefix(string(b.AppendJSON(nil)), `{"source":{"source_type":"plugin"},"records":[`) {
		t.Fatalf("source: %s", b.AppendJSON(nil))
	}
	if !json.Valid(b.AppendJSON(nil)) {
		t.Fatal("batch is not JSON")
	}

	withID, _, err := c.NewMetricTelemetryRecord("e-1", m)
	if err != nil || withID.EventID != "e-1" {
		t.Fatalf("event id: %+v %v", withID, err)
	}
	withID.ObservedTimeUnixNano = 5
	var b2 c.TelemetryBatch
	b2.AddRecord(withID)
	if got := string(b2.AppendJSON(nil)); !strings.HasPrefix(got, `{"records":[{"event_id":"e-1","observed_time_unix_nano":5,`) {
		t.Fatalf("event id not written first: %s", got)
	}

	bad := gauge().SetName("")
	bad.Name = nil
	if _, _, err := c.NewMetricTelemetryRecord("", bad); err == nil {
		t.Fatal("invalid metric made a record")
	}
}
