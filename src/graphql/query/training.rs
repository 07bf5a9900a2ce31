use async_graphql::{Context, Object, Result, ID};

use crate::graphql::context;
use crate::graphql::ids::{self, Kind};
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::Date;
use crate::graphql::types::training::{Course, CourseSession, ProficiencyLevel, Skill};
use crate::services::{skills, training};

#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// The skill catalogue, by name.
    async fn skills(&self, ctx: &Context<'_>) -> Result<Vec<Skill>> {
        context::principal(ctx)?;
        let ladder = context::ladder(ctx).await?;
        Ok(ladder
            .skills
            .iter()
            .take(crate::graphql::cost::bound::SKILLS)
            .cloned()
            .map(Skill)
            .collect())
    }

    /// The proficiency levels 1 - 5 with what each means.
    async fn proficiency_levels(&self, ctx: &Context<'_>) -> Result<Vec<ProficiencyLevel>> {
        context::principal(ctx)?;
        Ok(skills::proficiency_levels(context::db(ctx))
            .await?
            .into_iter()
            .take(crate::graphql::cost::bound::LEVELS)
            .map(ProficiencyLevel)
            .collect())
    }

    /// The course catalogue, by title.
    async fn courses(&self, ctx: &Context<'_>) -> Result<Vec<Course>> {
        context::principal(ctx)?;
        Ok(training::courses(context::db(ctx))
            .await?
            .into_iter()
            .take(crate::graphql::cost::bound::COURSES)
            .map(Course)
            .collect())
    }

    /// One course of the catalogue; null when no course has that id.
    async fn course(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The course's global id.")] id: ID,
    ) -> Result<Option<Course>> {
        context::principal(ctx)?;
        let id = ids::parse("id", Kind::Course, &id)?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.courses.load_one(id).await?.map(Course))
    }

    /// Sessions of every course ending on or after `from` (default: all),
    /// earliest first.
    async fn course_sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sessions ending on or after this day (default: all).")] from: Option<
            Date,
        >,
    ) -> Result<Vec<CourseSession>> {
        context::principal(ctx)?;
        Ok(
            training::sessions(context::db(ctx), None, from.map(|d| d.0))
                .await?
                .into_iter()
                .take(crate::graphql::cost::bound::COURSES)
                .map(CourseSession)
                .collect(),
        )
    }

    /// One course session; null when no session has that id.
    async fn course_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session's global id.")] id: ID,
    ) -> Result<Option<CourseSession>> {
        context::principal(ctx)?;
        let id = ids::parse("id", Kind::CourseSession, &id)?;
        let loaders = ctx.data_unchecked::<Loaders>();
        Ok(loaders.sessions.load_one(id).await?.map(CourseSession))
    }
}
