//! The crate's double layout against CPython's repr() itself, on a large
//! random sample: Python draws the doubles and prints each one's bits and
//! repr; the test formats the same bits with `json::format_f64`. The expected
//! texts come from Python, never from the code under test.

use std::process::Command;

use serviceradar_contract::json::format_f64;

/// Doubles from every corner: uniform bit patterns (every exponent), short
/// decimals, integers around 2^53 and 10^16, and the neighbours of the
/// powers of ten where repr switches between fixed and scientific layout.
const SAMPLE: &str = r#"
import random, struct, sys
rng = random.Random(int(sys.argv[1]))
n = int(sys.argv[2])
out = []
def emit(x):
    if x == x and x not in (float("inf"), float("-inf")):
        out.append("%016x %s" % (struct.unpack("<Q", struct.pack("<d", x))[0], repr(x)))
for _ in range(n):
    emit(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0])
    emit(round(rng.uniform(-1e6, 1e6), rng.randint(0, 12)))
    emit(float(rng.randint(-(1 << 60), 1 << 60)))
    e = rng.randint(-30, 30)
    x = 10.0 ** e
    emit(x); emit(-x)
    emit(struct.unpack("<d", struct.pack("<Q", struct.unpack("<Q", struct.pack("<d", x))[0] + 1))[0])
    emit(struct.unpack("<d", struct.pack("<Q", struct.unpack("<Q", struct.pack("<d", x))[0] - 1))[0])
    emit(rng.random() * 10.0 ** rng.randint(-320, 308))
sys.stdout.write("\n".join(out) + "\n")
"#;

#[test]
fn repr_layout_matches_python_on_a_random_sample() {
    let seed = std::env::var("SR_REPR_SEED").unwrap_or_else(|_| "20240607".to_string());
    let rounds = std::env::var("SR_REPR_ROUNDS").unwrap_or_else(|_| "100000".to_string());
    let run = Command::new("python3")
        .args(["-c", SAMPLE, &seed, &rounds])
        .output()
        .expect("python3 is needed for this test");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let text = String::from_utf8(run.stdout).expect("ASCII");
    let mut checked = 0usize;
    let mut wrong = Vec::new();
    for line in text.lines() {
        let (bits, want) = line.split_once(' ').expect("bits repr");
        let x = f64::from_bits(u64::from_str_radix(bits, 16).expect("hex bits"));
        let got = format_f64(x);
        if got != want {
            wrong.push(format!("{bits}: python {want}, rust {got}"));
        }
        checked += 1;
    }
    let rounds: usize = rounds.parse().unwrap();
    assert!(checked >= rounds * 7, "only {checked} doubles came back");
    assert!(
        wrong.is_empty(),
        "{} of {checked} differ, e.g.\n{}",
        wrong.len(),
        wrong[..wrong.len().min(20)].join("\n")
    );
    eprintln!("{checked} doubles laid out as Python's repr");
}
