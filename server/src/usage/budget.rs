//! Budgets per API key, checked with a map lookup before a /v1 request is sent.
//!
//! Spend is kept in memory per key for the current UTC day, ISO week (from Monday 00:00 UTC)
//! and calendar month. It is loaded at start from `usage_history` and increased by the usage
//! writer after each batch is committed, so memory always matches what the database says
//! (it trails the request path by at most one flush interval, ~100 ms). A request is refused
//! when the spend of its key's period is **at or above** the limit (`spent >= limit`): a
//! request is allowed while the spend is strictly below it. Requests in flight when the limit
//! is reached still complete (their cost is only known at the end), so a period can end
//! slightly above its limit.
//!
//! Crossing the warning threshold (`spent >= threshold × limit`) logs a warning once per key
//! and period.

use std::collections::HashMap;
use std::sync::RwLock;
use time::{Date, Duration as TimeDuration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Daily,
    Weekly,
    Monthly,
}

impl Period {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "daily" | "day" => Some(Self::Daily),
            "weekly" | "week" => Some(Self::Weekly),
            "monthly" | "month" => Some(Self::Monthly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
        }
    }

    /// `[start, end)` of the period containing `at_ms`, in unix milliseconds (UTC).
    pub fn bounds(self, at_ms: i64) -> (i64, i64) {
        let date = OffsetDateTime::from_unix_timestamp(at_ms.div_euclid(1000))
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .date();
        let (start, end) = match self {
            Self::Daily => (date, date.next_day().unwrap_or(date)),
            Self::Weekly => {
                let start =
                    date - TimeDuration::days(date.weekday().number_days_from_monday() as i64);
                (start, start + TimeDuration::days(7))
            }
            Self::Monthly => {
                let start = date.replace_day(1).unwrap_or(date);
                let (y, m) = if start.month() == time::Month::December {
                    (start.year() + 1, time::Month::January)
                } else {
                    (start.year(), start.month().next())
                };
                (start, Date::from_calendar_date(y, m, 1).unwrap_or(start))
            }
        };
        let ms = |d: Date| d.midnight().assume_utc().unix_timestamp() * 1000;
        (ms(start), ms(end))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BudgetConfig {
    pub limit: f64,
    pub period: Period,
    pub warning_threshold: f64,
}

/// Spend of one key: `(period start ms, USD)` for the current day, week and month.
#[derive(Debug, Clone, Copy, Default)]
struct KeySpend {
    day: (i64, f64),
    week: (i64, f64),
    month: (i64, f64),
}

impl KeySpend {
    fn slot(&mut self, period: Period) -> &mut (i64, f64) {
        match period {
            Period::Daily => &mut self.day,
            Period::Weekly => &mut self.week,
            Period::Monthly => &mut self.month,
        }
    }

    fn get(&self, period: Period, now_ms: i64) -> f64 {
        let (start, spent) = match period {
            Period::Daily => self.day,
            Period::Weekly => self.week,
            Period::Monthly => self.month,
        };
        if start == period.bounds(now_ms).0 {
            spent
        } else {
            0.0
        }
    }
}

#[derive(Default)]
struct State {
    configs: HashMap<String, BudgetConfig>,
    spend: HashMap<String, KeySpend>,
    /// Period start for which a key's warning was logged.
    warned: HashMap<String, i64>,
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Exceeded {
    pub limit: f64,
    pub spent: f64,
    pub period: Period,
    pub resets_at_ms: i64,
}

/// A budget with its current spend, for the API.
#[derive(Debug, Clone)]
pub struct BudgetStatus {
    pub config: BudgetConfig,
    pub spent: f64,
    pub period_start_ms: i64,
    pub resets_at_ms: i64,
}

#[derive(Default)]
pub struct Budgets(RwLock<State>);

impl Budgets {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.0.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.0.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Loads every budget and the spend of every key for the periods containing `now_ms`.
    pub async fn load(
        &self,
        db: &sea_orm::DatabaseConnection,
        now_ms: i64,
    ) -> Result<(), sea_orm::DbErr> {
        let configs = crate::store::budgets::load_configs(db).await?;
        let day = Period::Daily.bounds(now_ms).0;
        let week = Period::Weekly.bounds(now_ms).0;
        let month = Period::Monthly.bounds(now_ms).0;
        let sums = crate::store::usage::spend_since(db, day, week, month).await?;
        let mut state = self.write();
        state.configs = configs;
        state.spend = sums
            .into_iter()
            .map(|(key, d, w, m)| {
                (
                    key,
                    KeySpend {
                        day: (day, d),
                        week: (week, w),
                        month: (month, m),
                    },
                )
            })
            .collect();
        Ok(())
    }

    pub fn set(&self, key_id: &str, config: BudgetConfig) {
        let mut state = self.write();
        state.configs.insert(key_id.to_string(), config);
        state.warned.remove(key_id);
    }

    pub fn remove(&self, key_id: &str) {
        let mut state = self.write();
        state.configs.remove(key_id);
        state.warned.remove(key_id);
    }

    /// Adds a written row's cost to its key's spend (rows of past periods are ignored).
    pub fn add_spend(&self, key_id: &str, ts_ms: i64, cost: f64) {
        let mut state = self.write();
        let entry = state.spend.entry(key_id.to_string()).or_default();
        for period in [Period::Daily, Period::Weekly, Period::Monthly] {
            let start = period.bounds(ts_ms).0;
            let slot = entry.slot(period);
            if slot.0 == start {
                slot.1 += cost;
            } else if start > slot.0 {
                *slot = (start, cost);
            }
        }
        let Some(config) = state.configs.get(key_id).copied() else {
            return;
        };
        let now = super::now_ms();
        let spent = state
            .spend
            .get(key_id)
            .map_or(0.0, |s| s.get(config.period, now));
        let start = config.period.bounds(now).0;
        if spent >= config.warning_threshold * config.limit
            && state.warned.get(key_id) != Some(&start)
        {
            state.warned.insert(key_id.to_string(), start);
            tracing::warn!(
                key = key_id,
                "API key {key_id} has spent ${spent:.4} of its ${:.2} {} budget ({:.0}%, warning threshold {:.0}%)",
                config.limit,
                config.period.as_str(),
                if config.limit > 0.0 { spent / config.limit * 100.0 } else { 100.0 },
                config.warning_threshold * 100.0
            );
        }
    }

    /// `Err` when the key has a budget and its spend is at or above the limit.
    pub fn check(&self, key_id: &str, now_ms: i64) -> Result<(), Exceeded> {
        let state = self.read();
        let Some(config) = state.configs.get(key_id) else {
            return Ok(());
        };
        let spent = state
            .spend
            .get(key_id)
            .map_or(0.0, |s| s.get(config.period, now_ms));
        if spent >= config.limit {
            Err(Exceeded {
                limit: config.limit,
                spent,
                period: config.period,
                resets_at_ms: config.period.bounds(now_ms).1,
            })
        } else {
            Ok(())
        }
    }

    /// The spend of `key_id` in the `period` containing `now_ms`.
    pub fn spent(&self, key_id: &str, period: Period, now_ms: i64) -> f64 {
        self.read()
            .spend
            .get(key_id)
            .map_or(0.0, |s| s.get(period, now_ms))
    }

    pub fn status(&self, key_id: &str, now_ms: i64) -> Option<BudgetStatus> {
        let state = self.read();
        let config = *state.configs.get(key_id)?;
        let spent = state
            .spend
            .get(key_id)
            .map_or(0.0, |s| s.get(config.period, now_ms));
        let (start, end) = config.period.bounds(now_ms);
        Some(BudgetStatus {
            config,
            spent,
            period_start_ms: start,
            resets_at_ms: end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn periods_are_utc_days_weeks_from_monday_and_months() {
        // 2026-11-25T13:00:00Z is a Wednesday
        let t = 1_795_611_600_000;
        let (s, e) = Period::Daily.bounds(t);
        assert_eq!((e - s), DAY);
        assert_eq!(s % DAY, 0);
        let (s, e) = Period::Weekly.bounds(t);
        assert_eq!(e - s, 7 * DAY);
        let monday = OffsetDateTime::from_unix_timestamp(s / 1000).unwrap();
        assert_eq!(monday.weekday(), time::Weekday::Monday);
        assert!(s <= t && t < e);
        let (s, e) = Period::Monthly.bounds(t);
        let first = OffsetDateTime::from_unix_timestamp(s / 1000).unwrap();
        assert_eq!((first.day(), u8::from(first.month())), (1, 11));
        assert_eq!(e - s, 30 * DAY);
        // December rolls into January
        let dec = OffsetDateTime::from_unix_timestamp(1_796_500_000).unwrap();
        assert_eq!(dec.month(), time::Month::December);
        let (_, e) = Period::Monthly.bounds(1_796_500_000_000);
        let jan = OffsetDateTime::from_unix_timestamp(e / 1000).unwrap();
        assert_eq!(
            (jan.year(), jan.day(), jan.month()),
            (2027, 1, time::Month::January)
        );
    }

    #[test]
    fn at_the_limit_is_refused_and_below_is_allowed() {
        let b = Budgets::default();
        let now = super::super::now_ms();
        b.set(
            "k",
            BudgetConfig {
                limit: 1.0,
                period: Period::Daily,
                warning_threshold: 0.8,
            },
        );
        assert!(b.check("k", now).is_ok());
        b.add_spend("k", now, 0.5);
        assert!(b.check("k", now).is_ok());
        b.add_spend("k", now, 0.5);
        let err = b.check("k", now).unwrap_err();
        assert_eq!(err.spent, 1.0);
        assert_eq!(err.resets_at_ms, Period::Daily.bounds(now).1);
        // the next day starts at zero
        assert!(b.check("k", now + DAY).is_ok());
        // a row of yesterday does not count today
        b.add_spend("other", now - DAY, 5.0);
        assert_eq!(b.spent("other", Period::Daily, now), 0.0);
        assert!(b.check("unbudgeted", now).is_ok());
    }
}
