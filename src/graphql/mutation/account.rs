use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::context;
use crate::graphql::types::employee::Employee;
use crate::services::accounts;

#[derive(Default)]
pub struct AccountMutation;

/// A login token (send it as `Authorization: Bearer <token>`).
///
/// A value with no id of its own: a client cache keeps it inside its parent.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// The bearer token; keep it secret. `logout` revokes it.
    pub token: String,
    /// Absolute expiry (8 hours after login).
    pub expires_at: DateTime<Utc>,
    /// The signed-in employee.
    pub employee: Employee,
}

#[Object]
impl AccountMutation {
    /// Signs in. A wrong password and an unknown email get the same
    /// UNAUTHENTICATED error.
    async fn login(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Work email, any case.")] email: String,
        #[graphql(desc = "The account's password.")] password: String,
    ) -> Result<AuthPayload> {
        let outcome =
            accounts::login(context::db(ctx), &email, &password, context::client(ctx)).await?;
        Ok(AuthPayload {
            token: outcome.token,
            expires_at: outcome.expires_at,
            employee: Employee(outcome.employee),
        })
    }

    /// Revokes the token this request carries.
    async fn logout(&self, ctx: &Context<'_>) -> Result<bool> {
        let principal = context::principal(ctx)?;
        accounts::logout(context::db(ctx), principal).await?;
        Ok(true)
    }

    /// Changes your password (12 to 128 characters, not your email or name)
    /// and signs out your other sessions.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The password in use now.")] current_password: String,
        #[graphql(desc = "The new password: at least 12 characters.")] new_password: String,
    ) -> Result<bool> {
        let principal = context::principal(ctx)?;
        accounts::change_password(
            context::db(ctx),
            principal,
            &current_password,
            &new_password,
            context::client(ctx),
        )
        .await?;
        Ok(true)
    }
}
