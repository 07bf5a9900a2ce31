//! The one error type of Rungs and its policy.
//!
//! Every failure a client can see carries a stable `extensions.code`:
//! `UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`,
//! `NOT_ELIGIBLE`, `RATE_LIMITED`, `TIMEOUT` (the request ran past its
//! time budget; nothing it did is kept unless it committed) or `INTERNAL`. Internal causes (database
//! errors, I/O, bugs) are logged here, once, with their full text, and reach
//! the client only as "internal error" with code `INTERNAL`: no SQL, table
//! names or Rust types ever leave the process.

use async_graphql::ErrorExtensions;

/// Deliberately not `Display`: the only way out to a client is the
/// `From<AppError> for async_graphql::Error` below, which applies the policy.
#[derive(Debug, Clone)]
pub enum AppError {
    Unauthenticated,
    Forbidden(String),
    NotFound(String),
    BadInput(String),
    Conflict(String),
    NotEligible {
        message: String,
        gaps: Vec<(String, String)>,
    },
    RateLimited(String),
    /// The request ran longer than the server allows.
    Timeout(String),
    /// The cause is for the log only.
    Internal(Internal),
}

/// What went wrong inside, for the log and the operator: a description and
/// the error that caused it, kept whole, so the log line shows the full
/// chain (`database: error returned from database: ...: connection reset`)
/// rather than one flattened string.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{context}")]
pub struct Internal {
    context: String,
    #[source]
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync>>,
}

impl Internal {
    /// The description and every cause below it, outermost first.
    pub fn chain(&self) -> String {
        let mut text = self.context.clone();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            next = cause.source();
        }
        text
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn forbidden() -> Self {
        AppError::Forbidden("you are not allowed to do this".into())
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        AppError::BadInput(message.into())
    }

    pub fn not_found(what: &str) -> Self {
        AppError::NotFound(format!("{what} not found"))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(Internal {
            context: cause.to_string(),
            source: None,
        })
    }

    /// An internal failure caused by `source`, described by `context`.
    pub fn internal_from(
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        AppError::Internal(Internal {
            context: context.into(),
            source: Some(std::sync::Arc::new(source)),
        })
    }

    /// What the client reads (never the internal cause).
    pub fn message(&self) -> String {
        match self {
            AppError::Unauthenticated => {
                "authentication required: missing, invalid or expired token".into()
            }
            AppError::Forbidden(m)
            | AppError::NotFound(m)
            | AppError::BadInput(m)
            | AppError::Conflict(m)
            | AppError::RateLimited(m)
            | AppError::Timeout(m) => m.clone(),
            AppError::NotEligible { message, .. } => message.clone(),
            AppError::Internal(_) => "internal error".into(),
        }
    }

    /// For the command line, where the operator may read the cause.
    pub fn into_anyhow(self) -> anyhow::Error {
        match self {
            AppError::Internal(cause) => anyhow::anyhow!(cause.chain()),
            other => anyhow::anyhow!(other.message()),
        }
    }

    /// The stable code clients branch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::BadInput(_) => "BAD_USER_INPUT",
            AppError::Conflict(_) => "CONFLICT",
            AppError::NotEligible { .. } => "NOT_ELIGIBLE",
            AppError::RateLimited(_) => "RATE_LIMITED",
            AppError::Timeout(_) => "TIMEOUT",
            AppError::Internal(_) => "INTERNAL",
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal_from("database", err)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        if let AppError::Internal(cause) = &err {
            tracing::error!(cause = %cause.chain(), "internal error");
        }
        let code = err.code();
        let base = async_graphql::Error::new(err.message());
        match err {
            AppError::NotEligible { gaps, .. } => base.extend_with(|_, ext| {
                ext.set("code", code);
                let list: Vec<async_graphql::Value> = gaps
                    .iter()
                    .map(|(kind, message)| {
                        let mut map = async_graphql::indexmap::IndexMap::new();
                        map.insert(async_graphql::Name::new("kind"), kind.clone().into());
                        map.insert(async_graphql::Name::new("message"), message.clone().into());
                        async_graphql::Value::Object(map)
                    })
                    .collect();
                ext.set("gaps", list);
            }),
            _ => base.extend_with(|_, ext| ext.set("code", code)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("connection reset by peer")]
    struct Reset;

    #[derive(Debug, thiserror::Error)]
    #[error("error communicating with database")]
    struct Io(#[source] Reset);

    #[test]
    fn an_internal_error_keeps_its_whole_cause_for_the_log_and_tells_the_client_nothing() {
        let err = AppError::internal_from("database", Io(Reset));
        let AppError::Internal(internal) = &err else {
            panic!("not internal: {err:?}");
        };
        assert_eq!(
            internal.chain(),
            "database: error communicating with database: connection reset by peer"
        );
        assert_eq!(err.message(), "internal error");
        let operator = format!("{:#}", err.clone().into_anyhow());
        assert!(operator.contains("connection reset by peer"), "{operator}");
        let client = async_graphql::Error::from(err);
        assert_eq!(client.message, "internal error");
        assert!(!format!("{client:?}").contains("reset"), "{client:?}");
    }

    #[test]
    fn a_database_error_becomes_internal_with_its_text_kept() {
        let err = AppError::from(sea_orm::DbErr::Custom(
            "relation \"x\" does not exist".into(),
        ));
        let AppError::Internal(internal) = &err else {
            panic!("not internal: {err:?}");
        };
        assert!(
            internal.chain().starts_with("database: "),
            "{}",
            internal.chain()
        );
        assert!(internal.chain().contains("relation \"x\" does not exist"));
        assert_eq!(err.code(), "INTERNAL");
    }
}
