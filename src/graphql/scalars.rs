//! The `Date` scalar: an ISO 8601 calendar date ("2026-11-26"). Impossible
//! dates such as 2026-02-30 are refused.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// ISO 8601 calendar date, e.g. "2026-11-26".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date without a time or zone, as ISO 8601 / RFC 3339
/// `full-date` text: "2026-11-26". Impossible dates (2026-02-30) are
/// refused with BAD_USER_INPUT. Every time-dependent answer takes one as
/// `asOf`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => {
                let valid_shape =
                    text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
                match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                    Ok(date) if valid_shape => Ok(Date(date)),
                    _ => Err(InputValueError::custom(format!(
                        "\"{}\" is not a calendar date (YYYY-MM-DD)",
                        text.chars().take(40).collect::<String>()
                    ))),
                }
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    /// Lets validation refuse a bad date before anything runs (a request
    /// error, not a field error).
    fn is_valid(value: &Value) -> bool {
        Date::parse(value.clone()).is_ok()
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}
