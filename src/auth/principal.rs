//! Who a request acts as, and what their access role lets them do.

use crate::domain::enums::AccessRole;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub employee_id: i64,
    pub access_role: AccessRole,
    pub session_id: i64,
}

impl Principal {
    /// HR and ADMIN see and manage everyone.
    pub fn is_hr(&self) -> bool {
        matches!(self.access_role, AccessRole::Hr | AccessRole::Admin)
    }

    pub fn is_admin(&self) -> bool {
        self.access_role == AccessRole::Admin
    }

    pub fn is_manager(&self) -> bool {
        self.access_role == AccessRole::Manager
    }

    pub fn require_hr(&self) -> AppResult<()> {
        if self.is_hr() {
            Ok(())
        } else {
            Err(AppError::Forbidden("only HR may do this".into()))
        }
    }

    pub fn require_admin(&self) -> AppResult<()> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden("only an ADMIN may do this".into()))
        }
    }
}
