package sdk

import (
	"bufio"
	"bytes"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"serviceradar.local/sdk/contract"
)

// reprSample is how many random doubles Python writes with repr().
const reprSample = 300000

// Python writes "<16 hex digits of the bits> <repr>" per line: random bit
// patterns (every exponent, subnormals), random short decimals, integers
// around 2^53, powers of ten and the layout boundaries.
const reprScript = `
import random, struct, sys
rnd = random.Random(20240607)
n = int(sys.argv[1])
xs = [0.0, -0.0, 1.0, -1.0, 0.1, 1e-05, 1e-04, 1e+16, 1e+15, 123456789012345.0, 5e-324,
      1.7976931348623157e308, 2.2250738585072014e-308, 9007199254740993.0, 0.3, 2.0/3.0]
xs += [float("1e%d" % k) for k in range(-330, 310)]
xs += [float(2 ** k) for k in range(0, 70)]
while len(xs) < n:
    r = rnd.random()
    if r < 0.6:
        x = struct.unpack("<d", rnd.getrandbits(64).to_bytes(8, "little"))[0]
    elif r < 0.8:
        x = float("%d.%de%d" % (rnd.randrange(10 ** 6), rnd.randrange(10 ** 6), rnd.randrange(-30, 30)))
    else:
        x = float(rnd.randrange(-(1 << 60), 1 << 60))
    if x != x or x in (float("inf"), float("-inf")):
        continue
    xs.append(x)
out = sys.stdout
for x in xs:
    out.write("%016x %s\n" % (struct.unpack("<Q", struct.pack("<d", x))[0], repr(x)))
`

func TestAppendFloatIsPythonRepr(t *testing.T) {
	cmd := exec.Command("python3", "-c", reprScript, strconv.Itoa(reprSample))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 (needed to compute repr): %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	n, bad := 0, 0
	for sc.Scan() {
		hexBits, want, _ := strings.Cut(sc.Text(), " ")
		bits, err := strconv.ParseUint(hexBits, 16, 64)
		if err != nil {
			t.Fatalf("bad line %q", sc.Text())
		}
		f := math.Float64frombits(bits)
		if got := string(contract.AppendFloat(nil, f)); got != want {
			bad++
			if bad <= 10 {
				t.Errorf("AppendFloat(%s) = %s, repr = %s", hexBits, got, want)
			}
		}
		n++
	}
	if n < reprSample {
		t.Fatalf("only %d values from python", n)
	}
	if bad > 0 {
		t.Fatalf("%d of %d differ from repr", bad, n)
	}
	t.Logf("%d doubles written exactly as Python repr writes them", n)
}

func TestAppendFloatLayoutByHand(t *testing.T) {
	for _, c := range []struct {
		f    float64
		want string
	}{
		{1, "1.0"}, {0.1, "0.1"}, {1e-05, "1e-05"}, {0.0001, "0.0001"}, {1e16, "1e+16"},
		{1e15, "1000000000000000.0"}, {123456789012345.0, "123456789012345.0"}, {math.Copysign(0, -1), "-0.0"},
		{1.5e300, "1.5e+300"}, {5e-324, "5e-324"}, {-2.5, "-2.5"}, {12.5, "12.5"},
	} {
		if got := string(contract.AppendFloat(nil, c.f)); got != c.want {
			t.Errorf("AppendFloat(%v) = %s, want %s", c.f, got, c.want)
		}
	}
}

func TestAppendJSONStringEscapes(t *testing.T) {
	got, ok := contract.AppendJSONString(nil, "q\"b\\s/n\nt\tr\rb\bf\fc\x01\x1f d\x7f é")
	want := `"q\"b\\s/n\nt\tr\rb\bf\fc\u0001\u001f d` + "\x7f é\""
	if string(got) != want || !ok {
		t.Fatalf("got %s (ok %v), want %s", got, ok, want)
	}
	if _, ok := contract.AppendJSONString(nil, "\xff"); ok {
		t.Fatal("invalid UTF-8 not flagged")
	}
}
