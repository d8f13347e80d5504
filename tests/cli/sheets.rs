//! CSV export and import.

use crate::harness::Env;

fn sample() -> Env {
    let env = Env::new();
    let (o, k) = env.with_brand();
    env.ok(&[
        "check-in",
        &k,
        "300000",
        "--confidence",
        "0.6",
        "--note",
        "launch, finally",
        "--author",
        "ada",
    ]);
    env.ok(&[
        "add",
        "kr",
        &o,
        "Assess the pain points",
        "--milestone",
        "--owner",
        "bob",
    ]);
    env.ok(&[
        "add",
        "kr",
        &o,
        "Uptime",
        "--at-least",
        "99.9",
        "--unit",
        "%",
        "--weight",
        "2",
    ]);
    env.ok(&["check-in", "uptime", "99.95"]);
    env.ok(&[
        "add",
        "kr",
        &o,
        "Churn",
        "--start",
        "8",
        "--target",
        "-1.5",
        "--stretch",
    ]);
    let c = env.ok(&[
        "add",
        "objective",
        "Delight customers",
        "--level",
        "company",
        "--committed",
        "--description",
        "Say \"wow\"",
    ]);
    env.ok(&[
        "add",
        "objective",
        "Team NPS",
        "--parent",
        c.trim(),
        "--owner",
        "support",
    ]);
    env
}

#[test]
fn export_then_import_into_an_empty_workspace_gives_the_same_model() {
    let env = sample();
    let csv = env.ok(&["export", "csv", "--check-ins"]);
    assert!(csv.starts_with("type,objective_id,objective,"), "{csv}");
    assert!(
        csv.contains("'-1.5"),
        "formula-like cells are escaped: {csv}"
    );
    let other = Env::new();
    other.ok(&["init", "--period", "2026-Q3"]);
    other.write("in.csv", &csv);
    other.ok(&["import", "csv", "in.csv"]);
    assert_eq!(other.ok(&["export", "csv", "--check-ins"]), csv);
    assert_eq!(other.json(&["list"]), env.json(&["list"]));
}

#[test]
fn spreadsheet_columns_in_any_order_and_any_spelling() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    env.write(
        "sheet.csv",
        "Key Result,Target,Objective,Start,Unit,Owner\n\
         Website visitors,1000000,Increase brand awareness,100000,visitors,ann\n\
         Newsletter sign-ups,5000,Increase brand awareness,,,\n\
         Ship the app,,Launch mobile,,,\n",
    );
    let err = env.fails(&["import", "csv", "sheet.csv"], 1);
    assert!(err.contains("row 4"), "{err}");
    env.write(
        "sheet.csv",
        "Key Result,Target,Objective,Start,Unit,Owner\n\
         Website visitors,1000000,Increase brand awareness,100000,visitors,ann\n\
         Newsletter sign-ups,5000,Increase brand awareness,,,\n",
    );
    let plan = env.ok(&["import", "csv", "sheet.csv", "--dry-run"]);
    assert_eq!(plan.lines().count(), 3, "{plan}");
    assert!(
        !env.read("okrs.yaml").contains("visitors"),
        "dry run writes nothing"
    );
    env.ok(&["import", "csv", "sheet.csv"]);
    let list = env.json(&["list"]);
    let objectives = list["objectives"].as_array().expect("objectives");
    assert_eq!(objectives.len(), 1, "one objective for both rows: {list}");
    let text = env.read("okrs.yaml");
    assert!(
        text.contains("target: 1000000") && text.contains("owner: ann"),
        "{text}"
    );
}

#[test]
fn a_bad_row_imports_nothing_and_names_row_and_column() {
    let env = Env::new();
    env.ok(&["init", "--period", "2026-Q3"]);
    let before = env.read("okrs.yaml");
    env.write(
        "bad.csv",
        "objective,key_result,target\nGrow,Visitors,100\nGrow,Signups,lots\nGrow,Calls,5\n",
    );
    let err = env.fails(&["import", "csv", "bad.csv"], 1);
    assert!(
        err.contains("row 3, column target") && err.contains("lots"),
        "{err}"
    );
    assert_eq!(env.read("okrs.yaml"), before);
}
