package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"serviceradar.local/sdk/contract"
)

// Report is everything one run produced. Its JSON form is the --json output
// of srhost run.
type Report struct {
	Plugin     PluginInfo `json:"plugin"`
	Entrypoint string     `json:"entrypoint"`
	// Result is the last payload accepted by submit_result, byte for byte,
	// or the synthesized error result when none was accepted.
	Result            json.RawMessage `json:"result"`
	ResultSynthesized bool            `json:"result_synthesized"`
	// Telemetry holds every batch accepted by emit_telemetry, byte for byte.
	Telemetry []json.RawMessage `json:"telemetry"`
	// Validation holds one entry per otel_metric record of every batch
	// handed to emit_telemetry (accepted or refused under Strict).
	Validation []RecordCheck `json:"validation"`
	Logs       []LogEntry    `json:"logs"`
	Calls      []Call        `json:"calls"`
	Stdout     string        `json:"stdout"`
	Stderr     string        `json:"stderr"`
	// Error is "" when the entrypoint ran to completion.
	Error string `json:"error"`

	// Results holds every payload accepted by submit_result, byte for byte,
	// in order (the agent forwards each one). Result is the last of them.
	Results [][]byte `json:"-"`
}

// PluginInfo identifies the plugin from its manifest.
type PluginInfo struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Version string `json:"version"`
}

// LogEntry is one accepted log call.
type LogEntry struct {
	Level   uint32 `json:"level"`
	Message string `json:"message"`
}

// Call is one host function call as the host saw it. Code is what the call
// resolved to; for get_config a successful call returns Bytes to the guest
// and is recorded with code ok. log returns nothing to the guest, its code
// is recorded all the same. Forced marks a code injected by a Failure.
type Call struct {
	Function string `json:"function"`
	Bytes    int    `json:"bytes"`
	Code     int32  `json:"code"`
	CodeName string `json:"code_name"`
	Forced   bool   `json:"forced,omitempty"`
}

// Failed reports whether the host or the plugin failed.
func (r *Report) Failed() bool { return r.Error != "" }

// WriteJSON writes the report as one indented JSON document.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// LevelName names a log level the way the log host function reads it.
func LevelName(level uint32) string {
	switch {
	case level == contract.LogLevelDebug:
		return "debug"
	case level == contract.LogLevelInfo:
		return "info"
	case level == contract.LogLevelWarn:
		return "warn"
	default:
		return "error"
	}
}

// WriteText writes a human-readable report: the check result, each
// telemetry batch, the logs and the calls table.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "plugin      %s (id %s, version %s)\n", orDash(r.Plugin.Name), orDash(r.Plugin.ID), orDash(r.Plugin.Version))
	fmt.Fprintf(&b, "entrypoint  %s\n", r.Entrypoint)
	if r.Error != "" {
		fmt.Fprintf(&b, "error       %s\n", r.Error)
	} else {
		b.WriteString("outcome     ran to completion\n")
	}

	b.WriteString("\n== result")
	switch {
	case r.ResultSynthesized:
		b.WriteString(" (synthesized by the host: no result was submitted)")
	case len(r.Results) > 1:
		fmt.Fprintf(&b, " (last of %d submitted)", len(r.Results))
	}
	b.WriteString("\n")
	b.WriteString(pretty(r.Result))

	fmt.Fprintf(&b, "\n== telemetry (%d batch(es) accepted)\n", len(r.Telemetry))
	for i, batch := range r.Telemetry {
		fmt.Fprintf(&b, "-- batch %d (%d bytes)\n", i+1, len(batch))
		b.WriteString(pretty(batch))
	}

	invalid := 0
	for _, c := range r.Validation {
		if c.Invalid() {
			invalid++
		}
	}
	fmt.Fprintf(&b, "\n== contract validation (%d otel_metric record(s), %d invalid)\n", len(r.Validation), invalid)
	for _, c := range r.Validation {
		verdict := "valid"
		if c.Invalid() {
			verdict = "INVALID"
		}
		if !c.Accepted {
			verdict += ", batch refused (--strict)"
		}
		fmt.Fprintf(&b, "-- emit_telemetry call %d, record %d (%s): %s\n", c.Call, c.Record, c.PayloadKind, verdict)
		if c.DecodeError != "" {
			fmt.Fprintf(&b, "   cannot decode: %s\n", c.DecodeError)
		}
		for _, v := range c.Violations {
			fmt.Fprintf(&b, "   %s\n", v)
		}
	}

	fmt.Fprintf(&b, "\n== logs (%d)\n", len(r.Logs))
	for _, l := range r.Logs {
		fmt.Fprintf(&b, "%-5s %s\n", LevelName(l.Level), strings.TrimRight(l.Message, "\r\n"))
	}

	fmt.Fprintf(&b, "\n== calls (%d)\n", len(r.Calls))
	width := len("function")
	for _, c := range r.Calls {
		width = max(width, len(c.Function))
	}
	fmt.Fprintf(&b, "%4s  %-*s  %9s  %4s  %s\n", "#", width, "function", "bytes", "code", "name")
	for i, c := range r.Calls {
		name := c.CodeName
		if c.Forced {
			name += " (forced by --fail)"
		}
		fmt.Fprintf(&b, "%4d  %-*s  %9d  %4d  %s\n", i+1, width, c.Function, c.Bytes, c.Code, name)
	}

	if r.Stdout != "" {
		fmt.Fprintf(&b, "\n== plugin stdout\n%s", withNewline(r.Stdout))
	}
	if r.Stderr != "" {
		fmt.Fprintf(&b, "\n== plugin stderr\n%s", withNewline(r.Stderr))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pretty(raw []byte) string {
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return withNewline(string(raw))
	}
	return withNewline(out.String())
}

func withNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
