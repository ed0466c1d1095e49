//! `shopcare classify` and `shopcare lint` as a user runs them: stdin in, JSON Lines out,
//! exit statuses as documented.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_shopcare"))
        .args(args)
        .env_remove("SHOPCARE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("shopcare runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("output")
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(output.stdout.clone())
        .expect("UTF-8 output")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

#[test]
fn classify_answers_every_good_line_and_reports_bad_ones_by_number() {
    let input = concat!(
        r#"{"id":"a","text":"Arrived broken, the screen is cracked","rating":1}"#,
        "\n",
        "not json\n",
        r#"{"id":7,"text":"Barangnya bagus banget, pengiriman cepat","market":"ID"}"#,
        "\n",
        r#"{"id":"late","text":"took two weeks to arrive","rating":2,"order":{"shipped_late":true}}"#,
        "\n",
    );
    let output = run(&["classify"], input.as_bytes());
    assert_eq!(
        output.status.code(),
        Some(2),
        "a bad line makes the exit status 2"
    );
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["sentiment"], "negative");
    assert!(lines[0]["seller_related"].as_bool().expect("bool"));
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].as_str().is_some());
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["sentiment"], "positive");
    assert_eq!(lines[2]["language"], "id");
    assert_eq!(lines[3]["root_cause"], "late_dispatch");
}

#[test]
fn lint_exit_status_says_clean_failed_or_bad_input() {
    let clean = r#"{"id":"1","kind":"review_reply","text":"Sorry about this. Please message us in chat with your order number and we will sort it out within 24 hours."}"#;
    let output = run(&["lint"], format!("{clean}\n").as_bytes());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(json_lines(&output)[0]["ok"], true);

    let incentive = r#"{"id":"2","kind":"review_request","text":"Leave us a 5-star review and get a $5 voucher!","market":"US"}"#;
    let output = run(&["lint"], format!("{clean}\n{incentive}\n").as_bytes());
    assert_eq!(output.status.code(), Some(1));
    let lines = json_lines(&output);
    assert_eq!(lines[1]["id"], "2");
    assert_eq!(lines[1]["ok"], false);
    let rules: Vec<&str> = lines[1]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| finding["rule"].as_str().expect("rule"))
        .collect();
    assert!(rules.contains(&"review_incentive"), "{rules:?}");

    let unknown_kind = r#"{"id":"3","kind":"tweet","text":"hello"}"#;
    let output = run(&["lint"], format!("{clean}\n{unknown_kind}\n").as_bytes());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 2"));
}

#[test]
fn invalid_utf8_on_stdin_is_a_clean_error_not_a_panic() {
    let mut input = br#"{"id":"1","kind":"chat_message","text":"ok"}"#.to_vec();
    input.extend_from_slice(b"\n\xff\xfe\n");
    let output = run(&["lint"], &input);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 2") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn eval_prints_scores_for_the_team_corpora() {
    let root = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shopcare-core/tests/fixtures"
    );
    let output = run(
        &[
            "classify",
            "--eval",
            &format!("{root}/classify/corpus.jsonl"),
        ],
        b"",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert!(
        report.contains("macro") && report.contains("sentiment"),
        "{report}"
    );

    let output = run(
        &["lint", "--eval", &format!("{root}/compliance/cases.jsonl")],
        b"",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = String::from_utf8_lossy(&output.stdout).to_lowercase();
    assert!(
        report.contains("personal_data") && report.contains("precision"),
        "{report}"
    );
}

#[test]
fn deadline_prints_the_rule_it_used() {
    let output = run(
        &[
            "deadline",
            "--market",
            "US",
            "--type",
            "RETURN_AND_REFUND",
            "--stage",
            "seller_response",
            "--opened-at",
            "2026-03-06T10:00:00-08:00",
            "--refund-amount",
            "150",
            "--currency",
            "USD",
        ],
        b"",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    // Friday 10:00 + 4 business days (over 100 USD) = Thursday 10:00, in the shop's zone.
    let due = chrono::DateTime::parse_from_rfc3339(answer["due_at"].as_str().expect("due_at"))
        .expect("RFC 3339");
    assert_eq!(due.to_rfc3339(), "2026-03-12T10:00:00-07:00");
    assert_eq!(answer["day_kind"], "business_days");
    assert!(answer["rule"].as_str().is_some_and(|rule| !rule.is_empty()));
    assert!(answer["source"]
        .as_str()
        .is_some_and(|source| !source.is_empty()));

    let output = run(
        &[
            "deadline",
            "--market",
            "US",
            "--type",
            "NOPE",
            "--stage",
            "seller_response",
            "--opened-at",
            "2026-03-06T10:00:00Z",
        ],
        b"",
    );
    assert!(!output.status.success());
}
