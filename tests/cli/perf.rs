//! Tests of the fast paths (issue 11): they check results, never timings;
//! speed is measured by bench/run.

use crate::harness::Env;

/// A file whose every check-in is dated outside its objective's period,
/// mixing block and flow check-ins; returns the text and, for each
/// check-in, the 1-based line and column of its `date` value.
fn many_findings(objectives: usize, per_kr: usize) -> (String, Vec<(usize, usize)>) {
    let mut text = String::from("# many findings\nversion: 1\nobjectives:\n");
    let mut at = Vec::new();
    for o in 0..objectives {
        text.push_str(&format!(
            "  - id: o{o}\n    title: \"Objective {o}: ship # things\"\n    owner: team\n    period: 2026-Q1\n    key_results:\n"
        ));
        for k in 0..2 {
            text.push_str(&format!(
                "      - id: o{o}-k{k}\n        title: KR\n        target: 10\n        stretch: true\n        check_ins:\n"
            ));
            for c in 0..per_kr {
                let line = text.lines().count() + 1;
                let day = 1 + c % 28;
                if (o + k) % 2 == 0 {
                    text.push_str(&format!(
                        "          - date: 2026-05-{day:02}\n            value: {c}\n"
                    ));
                    at.push((line, 19));
                } else {
                    text.push_str(&format!(
                        "          - {{value: {c}, date: 2026-05-{day:02}}}\n"
                    ));
                    // `          - {value: C, date: ` is 13 + 7 + len(C) + 8 characters.
                    at.push((line, 29 + c.to_string().len()));
                }
            }
        }
    }
    (text, at)
}

#[test]
fn check_locates_thousands_of_findings_exactly() {
    let env = Env::new();
    let (text, mut expected) = many_findings(60, 30);
    assert_eq!(expected.len(), 3600);
    env.write("okrs.yaml", &text);
    let out = env
        .okr()
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut got: Vec<(usize, usize)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "check-in-outside-period")
        .map(|f| {
            (
                f["line"].as_u64().unwrap() as usize,
                f["column"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got.len(), expected.len());
    let first_wrong = got.iter().zip(&expected).find(|(g, e)| g != e);
    assert_eq!(first_wrong, None, "(got, expected)");
    // And every reported line really holds the date the message names.
    let lines: Vec<&str> = text.lines().collect();
    for f in v["findings"].as_array().unwrap() {
        if f["rule"] != "check-in-outside-period" {
            continue;
        }
        let line = lines[f["line"].as_u64().unwrap() as usize - 1];
        let msg = f["message"].as_str().unwrap();
        let date = &msg[msg.find("dated ").unwrap() + 6..][..10];
        assert!(line.contains(date), "{line} vs {msg}");
    }
}
