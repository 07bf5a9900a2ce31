//! Input checks shared by the use cases: every refusal is `BAD_USER_INPUT`
//! with a message that names the field.

use crate::error::{AppError, AppResult};

/// Longest free-text field accepted (names, justifications, reasons).
pub const MAX_TEXT: usize = 2_000;

/// A GraphQL `ID` as a database id.
pub fn id(field: &str, raw: &str) -> AppResult<i64> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|v| *v > 0)
        .ok_or_else(|| AppError::bad_input(format!("{field}: \"{}\" is not a valid id", clip(raw))))
}

/// A required, trimmed, non-empty text of bounded length.
pub fn text(field: &str, raw: &str, max: usize) -> AppResult<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::bad_input(format!("{field} must not be empty")));
    }
    if value.chars().count() > max {
        return Err(AppError::bad_input(format!(
            "{field} must have at most {max} characters"
        )));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(AppError::bad_input(format!(
            "{field} must not contain control characters"
        )));
    }
    Ok(value.to_owned())
}

/// A plausible email address, normalised to lower case.
pub fn email(raw: &str) -> AppResult<String> {
    let value = text("email", raw, 254)?.to_lowercase();
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.contains(char::is_whitespace)
                && value.matches('@').count() == 1
        }
        None => false,
    };
    if valid {
        Ok(value)
    } else {
        Err(AppError::bad_input(format!(
            "email: \"{}\" is not an email address",
            clip(raw)
        )))
    }
}

/// A market code: two to ten upper-case letters, digits or '-'.
pub fn market(raw: &str) -> AppResult<String> {
    let value = raw.trim().to_uppercase();
    let ok = (2..=10).contains(&value.len())
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(value)
    } else {
        Err(AppError::bad_input(format!(
            "market: \"{}\" is not a market code (2-10 letters, e.g. JP)",
            clip(raw)
        )))
    }
}

/// An ISO 4217 currency code Rungs knows.
pub fn currency(raw: &str) -> AppResult<String> {
    let value = raw.trim();
    if crate::domain::money::currency_exponent(value).is_some() {
        Ok(value.to_owned())
    } else {
        Err(AppError::bad_input(format!(
            "currency: \"{}\" is not an ISO 4217 currency code",
            clip(raw)
        )))
    }
}

/// A money amount in minor units.
pub fn amount(field: &str, raw: &str, currency: &str) -> AppResult<i64> {
    crate::domain::money::parse_amount(raw, currency)
        .map_err(|e| AppError::bad_input(format!("{field}: {e}")))
}

/// Echo at most 40 characters of a bad value back.
pub fn clip(raw: &str) -> String {
    raw.chars().take(40).collect()
}

/// A calendar date within the range an HR record can sensibly hold.
pub fn date(field: &str, value: chrono::NaiveDate) -> AppResult<chrono::NaiveDate> {
    use chrono::Datelike;
    if (1900..=2100).contains(&value.year()) {
        Ok(value)
    } else {
        Err(AppError::bad_input(format!(
            "{field}: {value} is outside the years 1900-2100"
        )))
    }
}
