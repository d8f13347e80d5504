//! The period and date parsers: never panic, and what they accept prints
//! back as something they accept again, meaning the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use okr::model::period::{Period, PeriodSpec};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = s.parse::<Period>() {
        let again: Period = p.to_string().parse().expect("a printed period parses");
        assert_eq!(again, p);
    }
    let _ = s.parse::<PeriodSpec>();
    if let Ok(d) = okr::commands::parse_date(s) {
        assert_eq!(okr::commands::parse_date(&d.to_string()), Ok(d));
    }
});
