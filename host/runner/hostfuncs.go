package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"

	"serviceradar.local/sdk/contract"
)

// outcome is what one host call resolved to.
type outcome struct {
	ret   int32 // returned to the guest (functions with a result only)
	code  int32 // recorded in the calls table
	bytes int   // payload bytes the call carried
}

func result(code int32, n int) outcome { return outcome{ret: code, code: code, bytes: n} }

// impl is one host function's own work, after the capability check and the
// failure switch. args are the guest's u32 arguments in contract order.
type impl struct {
	params int
	result bool
	// size is the payload size a call carries, for calls that never reach run.
	size func(args []uint32) int
	run  func(s *session, mod api.Module, args []uint32) outcome
}

// impls implements every host function of the contract, keyed by its
// contract name. checkImpls verifies at start-up that this set and
// contract.HostFunctions agree in names and arity.
var impls = map[string]impl{
	"get_config":     {params: 2, result: true, size: func([]uint32) int { return 0 }, run: (*session).getConfig},
	"log":            {params: 3, result: false, size: lastArg, run: (*session).log},
	"submit_result":  {params: 2, result: true, size: lastArg, run: (*session).submitResult},
	"emit_telemetry": {params: 2, result: true, size: lastArg, run: (*session).emitTelemetry},
}

func lastArg(args []uint32) int { return int(args[len(args)-1]) }

func checkImpls() error {
	if len(impls) != len(contract.HostFunctions) {
		return fmt.Errorf("host implements %d functions, contract %s has %d", len(impls), contract.Version, len(contract.HostFunctions))
	}
	for _, hf := range contract.HostFunctions {
		im, ok := impls[hf.Name]
		if !ok {
			return fmt.Errorf("contract function %s.%s has no host implementation", contract.HostModule, hf.Name)
		}
		if im.params != len(hf.Params) || im.result != (hf.Result != "") {
			return fmt.Errorf("contract function %s.%s: host implementation has a different signature", contract.HostModule, hf.Name)
		}
	}
	return nil
}

// valueType maps a contract parameter type to a wasm value type.
func valueType(t string) (api.ValueType, error) {
	switch t {
	case "u32", "i32":
		return api.ValueTypeI32, nil
	case "u64", "i64":
		return api.ValueTypeI64, nil
	}
	return 0, fmt.Errorf("contract type %q has no wasm value type", t)
}

// instantiateHostModule exports every contract function from
// contract.HostModule with the contract's signature.
func (s *session) instantiateHostModule(ctx context.Context, rt wazero.Runtime) error {
	if err := checkImpls(); err != nil {
		return err
	}
	b := rt.NewHostModuleBuilder(contract.HostModule)
	for _, hf := range contract.HostFunctions {
		params := make([]api.ValueType, len(hf.Params))
		for i, p := range hf.Params {
			vt, err := valueType(p)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", contract.HostModule, hf.Name, err)
			}
			params[i] = vt
		}
		var results []api.ValueType
		if hf.Result != "" {
			vt, err := valueType(hf.Result)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", contract.HostModule, hf.Name, err)
			}
			results = []api.ValueType{vt}
		}
		b.NewFunctionBuilder().
			WithGoModuleFunction(s.dispatch(hf, impls[hf.Name]), params, results).
			Export(hf.Name)
	}
	_, err := b.Instantiate(ctx)
	return err
}

// dispatch wraps one host function: count the call, check the capability,
// apply the failure switch, run the function, record the call.
func (s *session) dispatch(hf contract.HostFunction, im impl) api.GoModuleFunc {
	return func(_ context.Context, mod api.Module, stack []uint64) {
		args := make([]uint32, len(hf.Params))
		for i := range args {
			args[i] = api.DecodeU32(stack[i])
		}
		s.counts[hf.Name]++
		n := s.counts[hf.Name]

		var out outcome
		forced := false
		if !s.manifest.HasCapability(hf.Capability) {
			out = result(contract.CodeDenied, im.size(args))
		} else if f, ok := s.failureFor(hf.Name, n); ok {
			out = result(f.Code, im.size(args))
			forced = true
		} else {
			out = im.run(s, mod, args)
		}

		s.report.Calls = append(s.report.Calls, Call{
			Function: hf.Name,
			Bytes:    out.bytes,
			Code:     out.code,
			CodeName: CodeName(out.code),
			Forced:   forced,
		})
		if im.result {
			stack[0] = api.EncodeI32(out.ret)
		}
	}
}

// failureFor finds the failure for the n-th call of fn: a rule for exactly
// that call wins over a rule for every call.
func (s *session) failureFor(fn string, n int) (Failure, bool) {
	var every *Failure
	for i, f := range s.failures {
		if f.Function != fn {
			continue
		}
		if f.Call == n {
			return f, true
		}
		if f.Call == 0 {
			every = &s.failures[i]
		}
	}
	if every != nil {
		return *every, true
	}
	return Failure{}, false
}

// guestMemory returns the calling module's memory or nil when it has none.
func guestMemory(mod api.Module) api.Memory {
	mem := mod.Memory()
	if mem == nil {
		return nil
	}
	// wazero may hand back a typed nil for a module without memory.
	if v := reflect.ValueOf(mem); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return mem
}

// readGuest copies size bytes at ptr out of guest memory. The copy matters:
// Memory.Read returns a view that the guest may overwrite or that a later
// memory.grow may detach.
func readGuest(mod api.Module, ptr, size uint32) ([]byte, bool) {
	mem := guestMemory(mod)
	if mem == nil {
		return nil, false
	}
	view, ok := mem.Read(ptr, size)
	if !ok {
		return nil, false
	}
	return bytes.Clone(view), true
}

func (s *session) getConfig(mod api.Module, args []uint32) outcome {
	ptr, size := args[0], args[1]
	if len(s.config) == 0 {
		return result(contract.CodeOk, 0) // no config: returns 0
	}
	n := len(s.config)
	if n > int(size) {
		return result(contract.CodeTooLarge, n)
	}
	mem := guestMemory(mod)
	if mem == nil || !mem.Write(ptr, s.config) {
		return result(contract.CodeInvalid, n)
	}
	return outcome{ret: int32(n), code: contract.CodeOk, bytes: n}
}

func (s *session) log(mod api.Module, args []uint32) outcome {
	level, ptr, size := args[0], args[1], args[2]
	n := int(size)
	if n > contract.MaxPayloadBytes {
		// The agent truncates an oversized log line instead of refusing it.
		size = uint32(contract.MaxPayloadBytes)
	}
	msg, ok := readGuest(mod, ptr, size)
	if !ok {
		return result(contract.CodeInvalid, n)
	}
	s.report.Logs = append(s.report.Logs, LogEntry{Level: level, Message: string(msg)})
	return result(contract.CodeOk, n)
}

// readPayload applies the checks shared by submit_result and emit_telemetry:
// size limit, memory range, valid JSON.
func readPayload(mod api.Module, ptr, size uint32) ([]byte, int32) {
	if int64(size) > contract.MaxPayloadBytes {
		return nil, contract.CodeTooLarge
	}
	payload, ok := readGuest(mod, ptr, size)
	if !ok {
		return nil, contract.CodeInvalid
	}
	if !json.Valid(payload) {
		return nil, contract.CodeInvalid
	}
	return payload, contract.CodeOk
}

func (s *session) submitResult(mod api.Module, args []uint32) outcome {
	ptr, size := args[0], args[1]
	payload, code := readPayload(mod, ptr, size)
	if code != contract.CodeOk {
		return result(code, int(size))
	}
	s.report.Results = append(s.report.Results, payload)
	return result(contract.CodeOk, int(size))
}

func (s *session) emitTelemetry(mod api.Module, args []uint32) outcome {
	ptr, size := args[0], args[1]
	payload, code := readPayload(mod, ptr, size)
	if code != contract.CodeOk {
		return result(code, int(size))
	}
	if !isTelemetryBatch(payload) {
		return result(contract.CodeInvalid, int(size))
	}
	// Every otel_metric record is validated against the contract. An invalid
	// one is reported and, like the agent (which does not validate yet),
	// still accepted; with Options.Strict the whole batch is refused with the
	// contract's invalid code instead.
	checks := validateBatch(payload, s.counts["emit_telemetry"])
	refuse := false
	for _, c := range checks {
		refuse = refuse || (s.strict && c.Invalid())
	}
	for i := range checks {
		checks[i].Accepted = !refuse
	}
	s.report.Validation = append(s.report.Validation, checks...)
	if refuse {
		return result(contract.CodeInvalid, int(size))
	}
	s.report.Telemetry = append(s.report.Telemetry, json.RawMessage(payload))
	return result(contract.CodeOk, int(size))
}

// RecordCheck is what the host found in one record of a payload kind the
// contract describes (today otel_metric): the violations the generated Go
// validators report, or why the payload could not be read as that type.
type RecordCheck struct {
	Call        int                  `json:"call"`   // the emit_telemetry call, from 1
	Record      int                  `json:"record"` // the record in its batch, from 0
	PayloadKind string               `json:"payload_kind"`
	DecodeError string               `json:"decode_error,omitempty"`
	Violations  []contract.Violation `json:"violations"`
	Accepted    bool                 `json:"accepted"` // false when --strict refused the batch
}

// Invalid reports whether the record has an error (a decode error or a
// violation of severity error); warnings alone do not make it invalid.
func (c RecordCheck) Invalid() bool {
	if c.DecodeError != "" {
		return true
	}
	for _, v := range c.Violations {
		if v.Severity == contract.SeverityError {
			return true
		}
	}
	return false
}

// validateBatch decodes every otel_metric record of a batch with the
// generated decoder and validates it with the generated validators. Records
// of other payload kinds are not checked (the contract has no type for
// them). The agent does not validate payloads yet; the host reports.
func validateBatch(payload []byte, call int) []RecordCheck {
	var batch struct {
		Records []struct {
			PayloadKind string          `json:"payload_kind"`
			Payload     json.RawMessage `json:"payload"`
		} `json:"records"`
	}
	if err := json.Unmarshal(payload, &batch); err != nil {
		return nil // isTelemetryBatch accepted it; a record of the wrong shape is not ours to judge
	}
	var out []RecordCheck
	for i, r := range batch.Records {
		if r.PayloadKind != contract.PayloadKindOtelMetric {
			continue
		}
		c := RecordCheck{Call: call, Record: i, PayloadKind: r.PayloadKind, Violations: []contract.Violation{}, Accepted: true}
		m, err := contract.DecodeOtelMetric(r.Payload)
		if err != nil {
			c.DecodeError = err.Error()
		} else {
			c.Violations = append(c.Violations, m.Validate().Violations...)
		}
		out = append(out, c)
	}
	return out
}

// isTelemetryBatch: a JSON object whose "records" member is an array.
func isTelemetryBatch(payload []byte) bool {
	var batch map[string]json.RawMessage
	if err := json.Unmarshal(payload, &batch); err != nil || batch == nil {
		return false
	}
	records := bytes.TrimSpace(batch["records"])
	return len(records) > 0 && records[0] == '['
}
