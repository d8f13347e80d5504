//! A deterministic generator of realistic workspaces for the benchmarks.
//!
//! ```text
//! cargo run --release --example gen -- SCENARIO DIR [--scale N] [--seed S]
//! ```
//!
//! Scenarios (sizes at scale 1; `--scale` multiplies people, teams or
//! check-ins, so 1×, 2× and 4× show whether costs grow linearly):
//! - `team`: one file, 10 objectives × 4 key results × 13 weekly check-ins.
//! - `findings`: one file, 10 × 4 key results × 100 check-ins, every one
//!   dated outside its period: 4,000 `okr check` findings.
//! - `company`: one quarter of 1,000 people and 100 teams: a company file
//!   with the settings, 100 team files and 1,000 personal files
//!   (about 1,100 files and 175,000 check-ins), aligned by `parent:`.
//! - `history`: `company` for 8 quarters in one workspace (one directory per
//!   quarter).
//! - `big-file`: one file, about 100,000 check-ins over 8 quarters.
//! - `includes`: `company` split as a company would keep it (issue 12): the
//!   company's workspace in `okrs/` including 100 team workspaces by path
//!   (`teams/team-NNN/okrs/`, each a team file and its people's files),
//!   teams aligned to `company:…` objectives.
//! - `tasks`: the Taskwarrior anchor, 10,000 tasks with 5 annotations each
//!   (`tasks.json`, for `task import`).
//!
//! The same seed always gives the same bytes. Text has realistic lengths and
//! sometimes needs quoting (`: `, `#`); check-ins are block or flow style.
//! A small PRNG (splitmix64) keeps the generator free of dependencies.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// splitmix64: tiny, fast and good enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

const VERBS: &[&str] = &[
    "Grow",
    "Delight",
    "Ship",
    "Reduce",
    "Launch",
    "Win",
    "Scale",
    "Simplify",
    "Modernise",
    "Strengthen",
    "Expand",
    "Automate",
    "Retain",
    "Hire",
];
const THINGS: &[&str] = &[
    "enterprise pipeline",
    "self-serve onboarding",
    "customer retention",
    "the mobile checkout",
    "our data platform",
    "partner channel revenue",
    "developer experience",
    "support response times",
    "the billing migration",
    "brand awareness in Europe",
    "infrastructure costs",
    "the hiring funnel",
    "release reliability",
    "search relevance",
];
const TAILS: &[&str] = &[
    "",
    " this quarter",
    " without adding headcount",
    ": phase 2",
    " for mid-market accounts",
    " (see RFC #214)",
    " across all regions",
];
const METRICS: &[(&str, &str)] = &[
    ("Weekly active users reach", "users"),
    ("Net revenue retention at", "%"),
    ("p95 latency of the API under", "ms"),
    ("Qualified leads per month at", "leads"),
    ("Time to first value down to", "minutes"),
    ("Support tickets per 1k customers at", "tickets"),
    ("Deploys per week reach", "deploys"),
    ("Annual recurring revenue at", "EUR"),
];
const MILESTONES: &[&str] = &[
    "Publish the pricing page redesign",
    "Migrate the last tenant to the new cluster",
    "Sign the first two reseller contracts",
    "Run the quarterly customer advisory board",
    "Retire the legacy reporting service",
];
const NOTES: &[&str] = &[
    "on track after the campaign launch",
    "blocked on legal review: waiting since Monday",
    "slipped a week, vendor delay",
    "great week, see #launch-updates for details",
    "numbers from the dashboard, not yet audited",
    "hiring freeze hurts: two open roles",
    "measured after the outage fix",
    "first results from the A/B test: promising",
];
const DESCRIPTIONS: &[&str] = &[
    "Customers told us in the last survey that this is where we lose them. Fixing it is the single biggest lever we have this year.",
    "Leadership priority for the year: the board asked for a plan by the end of the quarter.",
    "We keep the scope small on purpose: one team, one metric, weekly check-ins in the team meeting.",
];
const FIRST: &[&str] = &[
    "ana", "ben", "chen", "dara", "emil", "fatou", "gita", "hugo", "ines", "jon", "kemal", "lea",
    "mo", "nora", "omar", "pia", "raj", "sofia", "tom", "uma",
];

/// A quarter, with its first day.
#[derive(Clone, Copy)]
struct Quarter {
    year: i32,
    q: u32,
}

impl Quarter {
    fn name(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }
    fn slug(self) -> String {
        format!("{}q{}", self.year % 100, self.q)
    }
    /// Days since 1970-01-01 of the quarter's first day.
    fn start_day(self) -> i64 {
        days_from_civil(self.year, (self.q - 1) * 3 + 1, 1)
    }
    fn minus(self, n: u32) -> Quarter {
        let idx = self.year * 4 + self.q as i32 - 1 - n as i32;
        Quarter {
            year: idx.div_euclid(4),
            q: idx.rem_euclid(4) as u32 + 1,
        }
    }
}

/// Days from 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    format!("{y:04}-{m:02}-{d:02}")
}

/// A YAML scalar: plain when safe, else double-quoted.
fn scalar(s: &str) -> String {
    let risky = s.contains(": ")
        || s.contains(" #")
        || s.starts_with(|c: char| "#&*!|>'\"%@`{[,-?:".contains(c))
        || s.ends_with(':');
    if risky {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

/// How one file's key results look.
struct Shape {
    objectives: usize,
    krs: usize,
    check_ins: usize,
    /// Shift every check-in this many days past the period (for findings).
    outside_by: i64,
}

struct Gen {
    rng: Rng,
}

impl Gen {
    fn title(&mut self) -> String {
        let v = self.rng.pick(VERBS);
        let t = self.rng.pick(THINGS);
        let tail = self.rng.pick(TAILS);
        format!("{v} {t}{tail}")
    }

    fn person(&mut self) -> String {
        let f = self.rng.pick(FIRST);
        format!("{f}.{}", self.rng.below(90) + 10)
    }

    /// Writes one objective with its key results and check-ins.
    #[allow(clippy::too_many_arguments)]
    fn objective(
        &mut self,
        out: &mut String,
        id: &str,
        owner: &str,
        level: &str,
        quarter: Quarter,
        parent: Option<&str>,
        shape: &Shape,
        flow: bool,
    ) {
        let _ = writeln!(out, "  - id: {id}");
        let _ = writeln!(out, "    title: {}", scalar(&self.title()));
        if self.rng.chance(0.3) {
            let d = self.rng.pick(DESCRIPTIONS);
            let _ = writeln!(out, "    description: {}", scalar(d));
        }
        let _ = writeln!(out, "    owner: {owner}");
        let _ = writeln!(out, "    level: {level}");
        let _ = writeln!(out, "    period: {}", quarter.name());
        if self.rng.chance(0.25) {
            let _ = writeln!(out, "    kind: committed");
        }
        if let Some(p) = parent {
            let _ = writeln!(out, "    parent: {p}");
        }
        let _ = writeln!(out, "    key_results:");
        for k in 0..shape.krs {
            self.key_result(out, &format!("{id}-kr{}", k + 1), quarter, shape, flow);
        }
    }

    fn key_result(
        &mut self,
        out: &mut String,
        id: &str,
        quarter: Quarter,
        shape: &Shape,
        flow: bool,
    ) {
        let milestone = self.rng.chance(0.15);
        let _ = writeln!(out, "      - id: {id}");
        let (start, target) = if milestone {
            let m = self.rng.pick(MILESTONES);
            let _ = writeln!(out, "        title: {}", scalar(m));
            let _ = writeln!(out, "        milestone: true");
            (0.0, 1.0)
        } else {
            let (t, unit) = METRICS[self.rng.below(METRICS.len())];
            let start = (self.rng.below(500) * 10) as f64;
            let target = start + (self.rng.below(900) * 10 + 100) as f64;
            let _ = writeln!(
                out,
                "        title: {}",
                scalar(&format!("{t} {target} {unit}"))
            );
            if self.rng.chance(0.3) {
                let _ = writeln!(out, "        owner: {}", self.person());
            }
            let _ = writeln!(out, "        start: {start}");
            let _ = writeln!(out, "        target: {target}");
            let _ = writeln!(out, "        unit: {}", scalar(unit));
            (start, target)
        };
        if self.rng.chance(0.2) {
            let _ = writeln!(out, "        stretch: true");
        }
        if shape.check_ins == 0 {
            return;
        }
        let _ = writeln!(out, "        check_ins:");
        let first = quarter.start_day() + shape.outside_by;
        for c in 0..shape.check_ins {
            let date = civil(first + 7 * c as i64 + 4);
            let frac = (c + 1) as f64 / shape.check_ins as f64;
            let value = if milestone {
                if c + 1 == shape.check_ins && self.rng.chance(0.6) {
                    "done".to_string()
                } else {
                    format!("{:.1}", (frac * 0.9 * 10.0).round() / 10.0)
                }
            } else {
                let noise = (self.rng.unit() - 0.5) * 0.1;
                format!(
                    "{}",
                    (start + (target - start) * (frac * 0.8 + noise)).round()
                )
            };
            let conf = format!("{:.1}", 0.3 + self.rng.below(7) as f64 / 10.0);
            let note = self.rng.chance(0.4).then(|| scalar(self.rng.pick(NOTES)));
            let author = self.rng.chance(0.2).then(|| self.person());
            self.check_in(out, flow, &date, &value, &conf, note, author);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check_in(
        &mut self,
        out: &mut String,
        flow: bool,
        date: &str,
        value: &str,
        conf: &str,
        note: Option<String>,
        author: Option<String>,
    ) {
        if flow {
            let _ = write!(
                out,
                "          - {{date: {date}, value: {value}, confidence: {conf}"
            );
            if let Some(n) = note {
                let _ = write!(out, ", note: \"{}\"", n.trim_matches('"'));
            }
            if let Some(a) = author {
                let _ = write!(out, ", author: {a}");
            }
            out.push_str("}\n");
        } else {
            let _ = writeln!(out, "          - date: {date}");
            let _ = writeln!(out, "            value: {value}");
            let _ = writeln!(out, "            confidence: {conf}");
            if let Some(n) = note {
                let _ = writeln!(out, "            note: {n}");
            }
            if let Some(a) = author {
                let _ = writeln!(out, "            author: {a}");
            }
        }
    }
}

fn header(out: &mut String, what: &str, settings: Option<Quarter>) {
    let _ = writeln!(
        out,
        "# {what}\n# Generated by examples/gen.rs for the benchmarks."
    );
    out.push_str("version: 1\n");
    if let Some(q) = settings {
        let _ = writeln!(out, "settings:\n  default_period: {}", q.name());
    }
    out.push_str("objectives:\n");
}

fn write(path: &Path, text: &str) {
    if let Some(d) = path.parent() {
        fs::create_dir_all(d).unwrap_or_else(|e| die(&format!("{}: {e}", d.display())));
    }
    fs::write(path, text).unwrap_or_else(|e| die(&format!("{}: {e}", path.display())));
}

fn die(msg: &str) -> ! {
    eprintln!("gen: {msg}");
    std::process::exit(2)
}

/// One file of `n` objectives in `quarter`, ID prefix `prefix`.
#[allow(clippy::too_many_arguments)]
fn single_file(
    g: &mut Gen,
    path: &Path,
    prefix: &str,
    quarters: &[Quarter],
    per_q: usize,
    shape: &Shape,
    flow_every: usize,
) {
    let mut out = String::new();
    header(&mut out, "One team's objectives", quarters.last().copied());
    let mut n = 0;
    for q in quarters {
        for o in 0..per_q {
            n += 1;
            let flow = flow_every > 0 && n % flow_every == 0;
            let id = format!("{prefix}-{}-o{}", q.slug(), o + 1);
            let owner = g.person();
            g.objective(&mut out, &id, &owner, "team", *q, None, shape, flow);
        }
    }
    write(path, &out);
}

/// One quarter of a company of `people` people in `teams` teams.
fn company(g: &mut Gen, dir: &Path, q: Quarter, teams: usize, people: usize, settings: bool) {
    let shape = Shape {
        objectives: 3,
        krs: 4,
        check_ins: 13,
        outside_by: 0,
    };
    let s = q.slug();
    let mut out = String::new();
    header(&mut out, "Company objectives", settings.then_some(q));
    let company_ids: Vec<String> = (1..=5).map(|i| format!("co-{s}-o{i}")).collect();
    for id in &company_ids {
        g.objective(
            &mut out,
            id,
            "leadership",
            "company",
            q,
            None,
            &shape,
            false,
        );
    }
    write(&dir.join(format!("company-{}.yaml", q.name())), &out);
    for t in 0..teams {
        let mut out = String::new();
        header(&mut out, &format!("Team {t:03}"), None);
        for o in 0..shape.objectives {
            let id = format!("t{t:03}-{s}-o{}", o + 1);
            let parent = &company_ids[g.rng.below(company_ids.len())];
            let owner = format!("team-{t:03}");
            g.objective(
                &mut out,
                &id,
                &owner,
                "team",
                q,
                Some(parent),
                &shape,
                t % 3 == 0,
            );
        }
        write(&dir.join("teams").join(format!("team-{t:03}.yaml")), &out);
    }
    for p in 0..people {
        let mut out = String::new();
        header(
            &mut out,
            &format!("Personal objectives of person {p:04}"),
            None,
        );
        let team = p % teams.max(1);
        for o in 0..shape.objectives {
            let id = format!("p{p:04}-{s}-o{}", o + 1);
            let parent = format!("t{team:03}-{s}-o{}", g.rng.below(shape.objectives) + 1);
            let owner = format!("person-{p:04}");
            g.objective(
                &mut out,
                &id,
                &owner,
                "personal",
                q,
                Some(&parent),
                &shape,
                p % 4 == 0,
            );
        }
        write(
            &dir.join("people").join(format!("person-{p:04}.yaml")),
            &out,
        );
    }
}

/// `company`, split into a company workspace (`okrs/`) that includes one
/// workspace per team (`teams/team-NNN/okrs/`: the team's file and the
/// files of its people) by path.
fn includes(g: &mut Gen, dir: &Path, q: Quarter, teams: usize, people: usize) {
    let tmp = dir.join(".gen");
    company(g, &tmp, q, teams, people, true);
    let read =
        |p: &Path| fs::read_to_string(p).unwrap_or_else(|e| die(&format!("{}: {e}", p.display())));
    let name = format!("company-{}.yaml", q.name());
    let mut settings = String::from("settings:\n  workspace_name: company\n  includes:\n");
    for t in 0..teams {
        let _ = writeln!(settings, "    team-{t:03}: {{path: teams/team-{t:03}}}");
    }
    let text = read(&tmp.join(&name)).replacen("settings:\n", &settings, 1);
    write(&dir.join("okrs").join(&name), &text);
    for t in 0..teams {
        let team = format!("team-{t:03}.yaml");
        let text =
            read(&tmp.join("teams").join(&team)).replace("parent: co-", "parent: company:co-");
        let to = dir.join("teams").join(format!("team-{t:03}")).join("okrs");
        write(&to.join(&team), &text);
        for p in (t..people).step_by(teams.max(1)) {
            let person = format!("person-{p:04}.yaml");
            write(
                &to.join("people").join(&person),
                &read(&tmp.join("people").join(&person)),
            );
        }
    }
    fs::remove_dir_all(&tmp).unwrap_or_else(|e| die(&format!("{}: {e}", tmp.display())));
}

/// The Taskwarrior anchor: `n` pending tasks with 5 annotations each, as
/// one JSON object per line for `task import`.
fn tasks(g: &mut Gen, path: &Path, n: usize) {
    let mut out = String::new();
    for i in 0..n {
        let r = g.rng.next();
        let uuid = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            r >> 32,
            (r >> 16) & 0xffff,
            r & 0xfff,
            i & 0xfff,
            i
        );
        let title = g.title().replace('"', "'");
        let _ = write!(
            out,
            "{{\"uuid\":\"{uuid}\",\"status\":\"pending\",\"entry\":\"20260701T090000Z\",\"description\":\"{title}\",\"project\":\"team{:03}\",\"annotations\":[",
            i % 100
        );
        for a in 0..5 {
            let note = g.rng.pick(NOTES);
            let sep = if a == 0 { "" } else { "," };
            let _ = write!(
                out,
                "{sep}{{\"entry\":\"202607{:02}T1{a}0000Z\",\"description\":\"{note}\"}}",
                a + 2
            );
        }
        out.push_str("]}\n");
    }
    write(path, &out);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut pos = Vec::new();
    let mut scale = 1usize;
    let mut seed = 42u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--scale" => {
                scale = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| die("--scale N"))
            }
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or_else(|| die("--seed S"))
            }
            _ => pos.push(a.clone()),
        }
    }
    let [scenario, dir] = pos.as_slice() else {
        die(
            "usage: gen SCENARIO DIR [--scale N] [--seed S]; scenarios: team findings company history big-file",
        );
    };
    let dir = PathBuf::from(dir);
    let mut g = Gen { rng: Rng(seed) };
    let now = Quarter { year: 2026, q: 3 };
    match scenario.as_str() {
        "team" => {
            let shape = Shape {
                objectives: 10,
                krs: 4,
                check_ins: 13,
                outside_by: 0,
            };
            single_file(
                &mut g,
                &dir.join("okrs.yaml"),
                "team",
                &[now],
                10 * scale,
                &shape,
                3,
            );
        }
        "findings" => {
            let shape = Shape {
                objectives: 10,
                krs: 4,
                check_ins: 100,
                outside_by: 200,
            };
            single_file(
                &mut g,
                &dir.join("okrs.yaml"),
                "lint",
                &[now],
                10 * scale,
                &shape,
                0,
            );
        }
        "company" => company(
            &mut g,
            &dir.join("okrs"),
            now,
            100 * scale,
            1000 * scale,
            true,
        ),
        "history" => {
            for i in (0..8).rev() {
                let q = now.minus(i);
                company(
                    &mut g,
                    &dir.join("okrs").join(q.name()),
                    q,
                    100 * scale,
                    1000 * scale,
                    i == 0,
                );
            }
        }
        "big-file" => {
            let quarters: Vec<Quarter> = (0..8).rev().map(|i| now.minus(i)).collect();
            let shape = Shape {
                objectives: 240,
                krs: 4,
                check_ins: 13,
                outside_by: 0,
            };
            // 8 quarters × 240 objectives × 4 × 13 ≈ 100,000 check-ins.
            single_file(
                &mut g,
                &dir.join("okrs.yaml"),
                "big",
                &quarters,
                shape.objectives * scale,
                &shape,
                4,
            );
        }
        "includes" => includes(&mut g, &dir, now, 100 * scale, 1000 * scale),
        "tasks" => tasks(&mut g, &dir.join("tasks.json"), 10_000 * scale),
        other => die(&format!("unknown scenario `{other}`")),
    }
}
