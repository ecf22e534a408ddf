// Command sr_testee_go is the Go conformance testee. It reads JSON Lines on
// stdin, one request per line:
//
//	{"id": ..., "type": "otel_metric", "input": {...}}
//
// builds the input through the generated Go API (package testee, generated
// from the contract), validates, serializes, and answers one line per request,
// exactly as the C testee (tests/conformance/testee_main.c) does:
//
//	{"id", "ok": true, "output": "<canonical JSON>", "warnings": [...]}
//	{"id", "ok": false, "errors": [{"rule", "path", "severity"}], "warnings": [...]}
//	{"id", "ok": false, "input_error": "..."}
//
// It never crashes on what it is fed: a line that is not JSON, a request of
// the wrong shape or an input the API cannot express is an input_error.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"serviceradar.local/sdk/contract"
	"serviceradar.local/sdk/contract/jsontext"
	"serviceradar.local/sdk/contract/testee"
)

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 && !(len(line) == 1 && line[0] == '\n') {
			out.Write(answer(line))
			out.WriteByte('\n')
			out.Flush()
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "sr_testee_go:", err)
			os.Exit(2)
		}
	}
}

// answer returns the answer line (without its newline) to one request line.
func answer(line []byte) []byte {
	req, err := jsontext.Parse(line)
	var id, typ, input *jsontext.Value
	if err == nil && req.Kind == jsontext.Object {
		id, typ, input = req.Get("id"), req.Get("type"), req.Get("input")
	}
	b := []byte{'{'}
	if id != nil {
		b = append(b, `"id":`...)
		b = appendValue(b, id)
		b = append(b, ',')
	}
	inputError := func(msg string) []byte {
		b = append(b, `"ok":false,"input_error":`...)
		b, _ = contract.AppendJSONString(b, msg)
		return append(b, '}')
	}
	if typ == nil || input == nil {
		return inputError("request is not {id, type, input}")
	}
	if typ.Kind != jsontext.String || typ.Text != contract.PayloadKindOtelMetric {
		return inputError("the metric: unknown type")
	}
	m, err := testee.BuildOtelMetric(input)
	if err != nil {
		return inputError(err.Error())
	}
	rep := m.Validate()
	if errs := rep.Errors(); len(errs) > 0 {
		b = append(b, `"ok":false,"errors":`...)
		b = appendViolations(b, errs)
		b = append(b, `,"warnings":`...)
		b = appendViolations(b, rep.Warnings())
		return append(b, '}')
	}
	b = append(b, `"ok":true,"output":`...)
	b, _ = contract.AppendJSONString(b, string(m.AppendJSON(nil)))
	b = append(b, `,"warnings":`...)
	b = appendViolations(b, rep.Warnings())
	return append(b, '}')
}

func appendViolations(b []byte, vs []contract.Violation) []byte {
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"rule":`...)
		b, _ = contract.AppendJSONString(b, v.Rule)
		b = append(b, `,"path":`...)
		b, _ = contract.AppendJSONString(b, v.Path)
		b = append(b, `,"severity":`...)
		b, _ = contract.AppendJSONString(b, string(v.Severity))
		b = append(b, '}')
	}
	return append(b, ']')
}

// appendValue writes a parsed JSON value back compactly (the request id).
func appendValue(b []byte, v *jsontext.Value) []byte {
	switch v.Kind {
	case jsontext.Null:
		return append(b, "null"...)
	case jsontext.Bool:
		if v.Bool {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	case jsontext.Number:
		return append(b, v.Text...)
	case jsontext.String:
		b, _ = contract.AppendJSONString(b, v.Text)
		return b
	case jsontext.Array:
		b = append(b, '[')
		for i, x := range v.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendValue(b, x)
		}
		return append(b, ']')
	}
	b = append(b, '{')
	for i, k := range v.Keys {
		if i > 0 {
			b = append(b, ',')
		}
		b, _ = contract.AppendJSONString(b, k)
		b = append(b, ':')
		b = appendValue(b, v.Vals[i])
	}
	return append(b, '}')
}
