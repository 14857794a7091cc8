//! The evaluation harness in the test suite: the Python generator and scorer
//! pass their own unit tests, and `recension report` on a small generated
//! corpus scores above modest floors.
//!
//! ```text
//! gen_corpus.py --out T (4 witnesses × 2,600 paragraphs) → recension report T/corpus -o T/report
//!   → score.py --truth T/truth --report T/report --json → floors below
//! ```
//!
//! Needs `python3` (3.11, standard library only). The large runs and the peer
//! comparison are `scripts/bench.sh`, never part of `cargo test`.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Floors for the generated corpus (4 witnesses × 2,600 paragraphs), a
/// little below what the pipeline measured on it with `scripts/score.py`
/// (clustering F1 0.9987, variant recall 0.9872 and precision 0.9969,
/// categories as injected 0.984, consensus accuracy 1.0000, ranking exact).
const CLUSTER_F1_FLOOR: f64 = 0.99;
const VARIANT_RECALL_FLOOR: f64 = 0.95;
const VARIANT_PRECISION_FLOOR: f64 = 0.95;
const CATEGORY_AGREEMENT_FLOOR: f64 = 0.95;
const CONSENSUS_ACCURACY_FLOOR: f64 = 0.99;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(cmd: &mut Command) -> Output {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("failed to start {cmd:?} (is python3 installed?): {e}"));
    assert!(
        output.status.success(),
        "{cmd:?} failed with {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn python(script: &str) -> Command {
    let mut cmd = Command::new("python3");
    cmd.arg(repo().join("scripts").join(script));
    cmd
}

/// A score that must be a number in [0, 1].
fn unit(scores: &Value, section: &str, key: &str) -> f64 {
    let v = scores[section][key]
        .as_f64()
        .unwrap_or_else(|| panic!("{section}.{key} is not a number in {scores:#}"));
    assert!(
        (0.0..=1.0).contains(&v),
        "{section}.{key} = {v} is outside [0, 1]"
    );
    v
}

#[test]
fn python_generator_and_scorer_pass_their_unit_tests() {
    run(Command::new("python3")
        .args(["-m", "unittest", "discover", "-s", "scripts/tests"])
        .current_dir(repo()));
}

#[test]
fn report_on_a_generated_corpus_scores_above_the_floors() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let root: &Path = tmp.path();
    run(python("gen_corpus.py").arg("--out").arg(root).args([
        "--witnesses",
        "4",
        "--docs",
        "40",
        "--paragraphs",
        "2600",
        "--seed",
        "42",
    ]));
    let report = root.join("report");
    run(Command::new(env!("CARGO_BIN_EXE_recension"))
        .arg("report")
        .arg(root.join("corpus"))
        .arg("-o")
        .arg(&report)
        .arg("--quiet"));
    let out = run(python("score.py")
        .arg("--truth")
        .arg(root.join("truth"))
        .arg("--report")
        .arg(&report)
        .arg("--json"));
    let scores: Value = serde_json::from_slice(&out.stdout).expect("score.py --json prints JSON");

    for key in ["precision", "recall", "f1"] {
        unit(&scores, "clustering", key);
    }
    for key in ["precision", "recall", "f1"] {
        unit(&scores, "variants", key);
    }
    unit(&scores, "consensus", "accuracy");
    let tau = scores["ranking"]["kendall_tau"]
        .as_f64()
        .expect("ranking.kendall_tau is a number");
    assert!(
        (-1.0..=1.0).contains(&tau),
        "kendall tau {tau} is outside [-1, 1]"
    );

    let f1 = unit(&scores, "clustering", "f1");
    assert!(
        f1 >= CLUSTER_F1_FLOOR,
        "clustering F1 {f1} < {CLUSTER_F1_FLOOR}"
    );
    let recall = unit(&scores, "variants", "recall");
    assert!(
        recall >= VARIANT_RECALL_FLOOR,
        "variant recall {recall} < {VARIANT_RECALL_FLOOR}"
    );
    let precision = unit(&scores, "variants", "precision");
    assert!(
        precision >= VARIANT_PRECISION_FLOOR,
        "variant precision {precision} < {VARIANT_PRECISION_FLOOR}"
    );
    assert_eq!(
        scores["ranking"]["exact"],
        Value::Bool(true),
        "the witness ranking must equal the true order: {:#}",
        scores["ranking"]
    );
    let agreement = unit(&scores, "variants", "category_agreement");
    assert!(
        agreement >= CATEGORY_AGREEMENT_FLOOR,
        "category agreement {agreement} < {CATEGORY_AGREEMENT_FLOOR}"
    );
    let accuracy = unit(&scores, "consensus", "accuracy");
    assert!(
        accuracy >= CONSENSUS_ACCURACY_FLOOR,
        "consensus accuracy {accuracy} < {CONSENSUS_ACCURACY_FLOOR}"
    );

    // With the best witness as the reference, measured in the clusters
    // (paragraph by paragraph, formal differences aside), the error rates
    // must agree with an independent Levenshtein computation
    // (scripts/reference_cer.py exits 1 beyond 0.002).
    let reference = root.join("reference");
    run(Command::new(env!("CARGO_BIN_EXE_recension"))
        .arg("report")
        .arg(root.join("corpus"))
        .arg("-o")
        .arg(&reference)
        .args(["--reference", "w1", "--measure-by", "clusters", "--quiet"]));
    let out = run(python("reference_cer.py")
        .arg("--truth")
        .arg(root.join("truth"))
        .arg("--corpus")
        .arg(root.join("corpus"))
        .args(["--reference", "w1", "--report"])
        .arg(&reference));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("recension").count(), 3, "{text}");
}
