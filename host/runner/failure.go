package runner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"serviceradar.local/sdk/contract"
)

// Failure forces a host function to return Code instead of doing its work.
// Call is 1-based and counts every call the plugin makes to Function; 0
// means every call.
type Failure struct {
	Function string
	Code     int32
	Call     int
}

// String renders the failure in the --fail syntax, FUNC=CODE[@N].
func (f Failure) String() string {
	s := fmt.Sprintf("%s=%s", f.Function, CodeName(f.Code))
	if f.Call > 0 {
		s += "@" + strconv.Itoa(f.Call)
	}
	return s
}

// ParseFailure parses FUNC=CODE[@N]. FUNC is a contract host function that
// returns a value; CODE is a contract return code given by number (-5) or
// name (internal); N is a positive call number.
func ParseFailure(spec string) (Failure, error) {
	fn, rest, ok := strings.Cut(strings.TrimSpace(spec), "=")
	if !ok {
		return Failure{}, fmt.Errorf("%q: want FUNC=CODE[@N]", spec)
	}
	codeText, callText, hasCall := strings.Cut(rest, "@")
	f := Failure{Function: strings.TrimSpace(fn)}
	code, err := ParseCode(codeText)
	if err != nil {
		return Failure{}, err
	}
	f.Code = code
	if hasCall {
		n, err := strconv.Atoi(strings.TrimSpace(callText))
		if err != nil || n < 1 {
			return Failure{}, fmt.Errorf("call number after @ must be a positive integer, got %q", callText)
		}
		f.Call = n
	}
	if err := f.Validate(); err != nil {
		return Failure{}, err
	}
	return f, nil
}

// ParseCode accepts a contract return code by number or by name.
func ParseCode(text string) (int32, error) {
	text = strings.TrimSpace(text)
	if n, err := strconv.ParseInt(text, 10, 32); err == nil {
		if _, ok := contract.CodeNames[int32(n)]; ok {
			return int32(n), nil
		}
		return 0, fmt.Errorf("code %s is not a contract return code (%s)", text, knownCodes())
	}
	for code, name := range contract.CodeNames {
		if strings.EqualFold(name, text) {
			return code, nil
		}
	}
	return 0, fmt.Errorf("unknown return code %q (%s)", text, knownCodes())
}

// Validate checks a Failure against the contract.
func (f Failure) Validate() error {
	hf, ok := hostFunction(f.Function)
	if !ok {
		return fmt.Errorf("unknown host function %q (contract has %s)", f.Function, strings.Join(hostFunctionNames(), ", "))
	}
	if hf.Result == "" {
		return fmt.Errorf("host function %q returns nothing, so it cannot be failed", f.Function)
	}
	if _, ok := contract.CodeNames[f.Code]; !ok {
		return fmt.Errorf("code %d is not a contract return code (%s)", f.Code, knownCodes())
	}
	if f.Call < 0 {
		return fmt.Errorf("call number must not be negative")
	}
	return nil
}

func validateFailures(fs []Failure) error {
	seen := map[string]bool{}
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return fmt.Errorf("failure %s: %w", f, err)
		}
		key := f.Function + "@" + strconv.Itoa(f.Call)
		if seen[key] {
			return fmt.Errorf("failure %s: given twice for the same call", f)
		}
		seen[key] = true
	}
	return nil
}

// CodeName is the contract name of a return code, or "code(N)".
func CodeName(code int32) string {
	if name, ok := contract.CodeNames[code]; ok {
		return name
	}
	return fmt.Sprintf("code(%d)", code)
}

func hostFunction(name string) (contract.HostFunction, bool) {
	for _, hf := range contract.HostFunctions {
		if hf.Name == name {
			return hf, true
		}
	}
	return contract.HostFunction{}, false
}

func hostFunctionNames() []string {
	names := make([]string, 0, len(contract.HostFunctions))
	for _, hf := range contract.HostFunctions {
		names = append(names, hf.Name)
	}
	return names
}

func knownCodes() string {
	codes := make([]int32, 0, len(contract.CodeNames))
	for c := range contract.CodeNames {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] > codes[j] })
	parts := make([]string, 0, len(codes))
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d %s", c, contract.CodeNames[c]))
	}
	return strings.Join(parts, ", ")
}
