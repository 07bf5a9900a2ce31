//! Keyset paging, the one way every list pages: rows strictly after the
//! cursor id in the list's order, one row more than asked for fetched to
//! tell whether another page follows. Offsets are never used, so a page
//! costs the same on page 1 and page 10,000 and rows written meanwhile
//! neither repeat nor vanish.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};

/// Which way ids run down the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// Oldest first (ids ascending): the cursor continues with larger ids.
    Ascending,
    /// Newest first (ids descending): the cursor continues with smaller ids.
    Descending,
}

/// Up to `first` rows of `query` after the cursor `after`, ordered by the
/// id column `id`, and whether more follow.
pub async fn keyset<E, C>(
    conn: &C,
    query: Select<E>,
    id: E::Column,
    order: Order,
    first: u64,
    after: Option<i64>,
) -> Result<(Vec<E::Model>, bool), DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let query = match (order, after) {
        (Order::Ascending, Some(after)) => query.filter(id.gt(after)),
        (Order::Descending, Some(after)) => query.filter(id.lt(after)),
        (_, None) => query,
    };
    let query = match order {
        Order::Ascending => query.order_by_asc(id),
        Order::Descending => query.order_by_desc(id),
    };
    let rows = query.limit(first.saturating_add(1)).all(conn).await?;
    Ok(split(rows, first))
}

/// Cuts rows fetched with one extra (or a list built in memory, already
/// after the cursor and in order) to a page of `first`, and tells whether
/// more follow.
pub fn split<T>(mut rows: Vec<T>, first: u64) -> (Vec<T>, bool) {
    let keep = usize::try_from(first).unwrap_or(usize::MAX);
    let has_next = rows.len() > keep;
    rows.truncate(keep);
    (rows, has_next)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn split_keeps_first_rows_and_tells_whether_more_follow() {
        assert_eq!(split(vec![1, 2, 3], 2), (vec![1, 2], true));
        assert_eq!(split(vec![1, 2], 2), (vec![1, 2], false));
        assert_eq!(split(Vec::<i32>::new(), 0), (vec![], false));
        assert_eq!(split(vec![1], 0), (vec![], true));
    }
}
