//! Calendar dates as editors write them: `YYYY-MM-DD`.
//!
//! YAML 1.2 has no date type, so front matter dates arrive as text and are
//! checked here. A date that does not exist (2026-02-30) is an error, not a
//! silent roll-over into March.

use std::fmt;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

impl Date {
    /// Parses `YYYY-MM-DD`, explaining what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Date, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let well_formed = parts.len() == 3
            && parts[0].len() == 4
            && parts[1].len() == 2
            && parts[2].len() == 2
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(format!("`{text}` is not a date in the form YYYY-MM-DD"));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| format!("{text} is not a real calendar date"))
    }

    /// Today (UTC), or the day of `SOURCE_DATE_EPOCH` when that is set, so
    /// runs can be reproduced.
    pub fn today() -> Date {
        let seconds = std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            });
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        Date(epoch + chrono::Duration::days(seconds.div_euclid(86_400)))
    }

    /// Whole days from `earlier` to `self` (negative if `earlier` is later).
    pub fn days_since(self, earlier: Date) -> i64 {
        (self.0 - earlier.0).num_days()
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// Formats with strftime-style specifiers (`%Y`, `%B`, `%-d`, …).
    /// Specifiers that need a time of day print as zero.
    pub fn format(self, spec: &str) -> Result<String, String> {
        use chrono::format::{Item, StrftimeItems};
        let items: Vec<Item> = StrftimeItems::new(spec).collect();
        if items.iter().any(|i| matches!(i, Item::Error)) {
            return Err(format!("`{spec}` is not a valid date format"));
        }
        let datetime = self.0.and_hms_opt(0, 0, 0).unwrap_or_default();
        Ok(datetime.format_with_items(items.into_iter()).to_string())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(Date::parse("2026-02-11").unwrap().to_string(), "2026-02-11");
        assert!(
            Date::parse("2026-02-30")
                .unwrap_err()
                .contains("not a real")
        );
        assert!(
            Date::parse("11/02/2026")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(Date::parse("2026-2-1").is_err());
        assert!(Date::parse("").is_err());
    }

    #[test]
    fn today_honours_source_date_epoch_and_counts_days() {
        // SAFETY of the test: no other test reads this variable.
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1770768000") };
        assert_eq!(Date::today().to_string(), "2026-02-11");
        unsafe { std::env::remove_var("SOURCE_DATE_EPOCH") };
        let a = Date::parse("2026-02-11").unwrap();
        assert_eq!(a.days_since(Date::parse("2025-02-11").unwrap()), 365);
    }

    #[test]
    fn formats_like_strftime() {
        let d = Date::parse("2024-05-21").unwrap();
        assert_eq!(d.format("%-d %B %Y").unwrap(), "21 May 2024");
        assert!(d.format("%Q").is_err());
    }
}
