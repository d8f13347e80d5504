//! Rules on values that would stop a file from being read (a key result
//! without a target, a grade or confidence out of range): they run on the raw
//! tree, report, and patch the tree so the other rules can still run.

use serde_json::{Map, Value};

use super::{Finding, PathStep, key, kr_path, with};

/// Calls `f` with the position and fields of every key result in a raw tree.
pub(super) fn each_raw_kr(
    tree: &mut Value,
    mut f: impl FnMut(usize, usize, &mut Map<String, Value>),
) {
    let Some(objectives) = tree.get_mut("objectives").and_then(Value::as_array_mut) else {
        return;
    };
    for (oi, o) in objectives.iter_mut().enumerate() {
        let Some(krs) = o.get_mut("key_results").and_then(Value::as_array_mut) else {
            continue;
        };
        for (ki, k) in krs.iter_mut().enumerate() {
            if let Some(map) = k.as_object_mut() {
                f(oi, ki, map);
            }
        }
    }
}

fn id_of(map: &Map<String, Value>) -> String {
    map.get("id")
        .and_then(Value::as_str)
        .unwrap_or("?")
        .to_string()
}

/// `metric-target`: a key result that is neither a metric with a target, a
/// milestone nor a threshold.
pub(super) fn missing_target(file: usize, tree: &mut Value, out: &mut Vec<Finding>) {
    each_raw_kr(tree, |oi, ki, map| {
        let milestone = map
            .get("milestone")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let measured = ["target", "at_least", "at_most"]
            .iter()
            .any(|k| map.contains_key(*k));
        if milestone || measured {
            return;
        }
        out.push(Finding::new(
            "metric-target",
            file,
            with(kr_path(oi, ki), &[key("id")]),
            format!(
                "key result `{}` has no target: add `target:` (a metric) or `milestone: true`",
                id_of(map)
            ),
        ));
        let start = map.get("start").and_then(Value::as_f64).unwrap_or(0.0);
        map.insert("target".into(), Value::from(start + 1.0));
    });
}

/// `grade-range`: a grade outside 0.0–1.0.
pub(super) fn grade_range(file: usize, tree: &mut Value, out: &mut Vec<Finding>) {
    each_raw_kr(tree, |oi, ki, map| {
        if let Some(g) = map.get("grade").and_then(Value::as_f64)
            && !(0.0..=1.0).contains(&g)
        {
            out.push(Finding::new(
                "grade-range",
                file,
                with(kr_path(oi, ki), &[key("grade")]),
                format!(
                    "key result `{}` has grade {g}: a grade is from 0.0 to 1.0",
                    id_of(map)
                ),
            ));
            map.remove("grade");
        }
    });
}

/// `confidence-range`: a check-in's confidence outside 0.0–1.0.
pub(super) fn confidence_range(file: usize, tree: &mut Value, out: &mut Vec<Finding>) {
    each_raw_kr(tree, |oi, ki, map| {
        let id = id_of(map);
        let Some(checks) = map.get_mut("check_ins").and_then(Value::as_array_mut) else {
            return;
        };
        for (ci, c) in checks.iter_mut().enumerate() {
            let Some(cm) = c.as_object_mut() else {
                continue;
            };
            if let Some(conf) = cm.get("confidence").and_then(Value::as_f64)
                && !(0.0..=1.0).contains(&conf)
            {
                let date = cm.get("date").and_then(Value::as_str).unwrap_or("?");
                out.push(Finding::new(
                    "confidence-range",
                    file,
                    with(
                        kr_path(oi, ki),
                        &[key("check_ins"), PathStep::Index(ci), key("confidence")],
                    ),
                    format!(
                        "check-in of {date} on `{id}` has confidence {conf}: a confidence is from 0.0 to 1.0"
                    ),
                ));
                cm.remove("confidence");
            }
        }
    });
}
