//! Merit cycles (issue 20), the pure part: the merit matrix and the budget.
//!
//! - **Position in band**: the quarter of the band a person's pay sits in,
//!   from its range penetration (annualised full-time, `pay_basis`): 1
//!   below a quarter of the way up (or below the band), 2 below half, 3
//!   below three quarters, 4 from there (or above the band).
//! - **Matrix**: cells of a rating band (hundredths, from inclusive, to
//!   exclusive, except that 5.00 belongs to the top band) × a quartile → a
//!   range of percent in basis points. Someone without a rating has no
//!   guideline: any proposal for them needs a justification.
//! - **Budget**: a percentage of the scope's annualised payroll, rounded
//!   half away from zero to the minor unit; proposals charge their
//!   annualised increase to it, exactly.

/// One cell of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guideline {
    pub min_rating_cp: i64,
    pub max_rating_cp: i64,
    pub quartile: u8,
    pub min_bp: i64,
    pub max_bp: i64,
}

/// The matrix HR gets when they give none: the better the rating and the
/// lower in the band, the larger the raise.
pub fn default_matrix() -> Vec<Guideline> {
    // (from, to) ratings × quartile 1..=4: (min %, max %) in bp.
    type Row = ((i64, i64), [(i64, i64); 4]);
    const ROWS: &[Row] = &[
        ((450, 500), [(400, 600), (300, 500), (200, 400), (100, 300)]),
        ((350, 450), [(300, 500), (200, 400), (150, 300), (100, 200)]),
        ((250, 350), [(100, 300), (100, 200), (0, 150), (0, 100)]),
        ((100, 250), [(0, 0), (0, 0), (0, 0), (0, 0)]),
    ];
    ROWS.iter()
        .flat_map(|((from, to), cells)| {
            cells
                .iter()
                .enumerate()
                .map(move |(q, (min_bp, max_bp))| Guideline {
                    min_rating_cp: *from,
                    max_rating_cp: *to,
                    quartile: q as u8 + 1,
                    min_bp: *min_bp,
                    max_bp: *max_bp,
                })
        })
        .collect()
}

/// Why a matrix cannot be used.
pub fn check_matrix(matrix: &[Guideline]) -> Result<(), String> {
    if matrix.is_empty() || matrix.len() > 100 {
        return Err("matrix: between 1 and 100 cells".into());
    }
    for (i, g) in matrix.iter().enumerate() {
        if !(100..=500).contains(&g.min_rating_cp)
            || !(100..=500).contains(&g.max_rating_cp)
            || g.min_rating_cp >= g.max_rating_cp
        {
            return Err(format!(
                "matrix[{i}]: ratings between 1 and 5, minRating below maxRating"
            ));
        }
        if !(1..=4).contains(&g.quartile) {
            return Err(format!("matrix[{i}].compaQuartile: 1 to 4"));
        }
        if g.min_bp < 0 || g.max_bp > 10_000 || g.min_bp > g.max_bp {
            return Err(format!(
                "matrix[{i}]: percents between 0 and 100, minPercent not above maxPercent"
            ));
        }
    }
    for (i, a) in matrix.iter().enumerate() {
        for b in &matrix[i + 1..] {
            if a.quartile == b.quartile
                && a.min_rating_cp < b.max_rating_cp
                && b.min_rating_cp < a.max_rating_cp
            {
                return Err(format!(
                    "matrix: two cells for quartile {} cover the same ratings",
                    a.quartile
                ));
            }
        }
    }
    Ok(())
}

/// The quarter of the band `penetration` (0 at the minimum, 1 at the
/// maximum) falls in.
pub fn quartile(penetration: f64) -> u8 {
    if penetration.is_nan() || penetration < 0.25 {
        1
    } else if penetration < 0.5 {
        2
    } else if penetration < 0.75 {
        3
    } else {
        4
    }
}

/// The cell for a rating and a quartile, if any.
pub fn guideline_for(matrix: &[Guideline], rating: Option<f64>, quartile: u8) -> Option<Guideline> {
    let cp = (rating? * 100.0).round() as i64;
    matrix.iter().copied().find(|g| {
        g.quartile == quartile
            && g.min_rating_cp <= cp
            && (cp < g.max_rating_cp || (cp == 500 && g.max_rating_cp == 500))
    })
}

/// A budget of `bp` basis points of `payroll` (minor units), rounded half
/// away from zero; `None` if it does not fit.
pub fn budget(payroll: i128, bp: i64) -> Option<i64> {
    let product = payroll * i128::from(bp);
    let (q, r) = (product / 10_000, product % 10_000);
    i64::try_from(if r * 2 >= 10_000 { q + 1 } else { q }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_matrix_is_valid_and_rewards_rating_and_low_pay() {
        let m = default_matrix();
        assert_eq!(check_matrix(&m), Ok(()));
        let top_low = guideline_for(&m, Some(4.8), 1).unwrap();
        let top_high = guideline_for(&m, Some(4.8), 4).unwrap();
        let mid_low = guideline_for(&m, Some(4.0), 1).unwrap();
        assert!(top_low.max_bp > top_high.max_bp);
        assert!(top_low.max_bp > mid_low.max_bp);
        assert_eq!(guideline_for(&m, Some(5.0), 2).unwrap().min_rating_cp, 450);
        assert_eq!(guideline_for(&m, Some(4.5), 2).unwrap().min_rating_cp, 450);
        assert_eq!(guideline_for(&m, Some(4.49), 2).unwrap().min_rating_cp, 350);
        assert_eq!(guideline_for(&m, None, 2), None);
    }

    #[test]
    fn quartiles_follow_the_position_in_band() {
        assert_eq!(quartile(-0.3), 1);
        assert_eq!(quartile(0.0), 1);
        assert_eq!(quartile(0.25), 2);
        assert_eq!(quartile(0.5), 3);
        assert_eq!(quartile(0.74), 3);
        assert_eq!(quartile(0.75), 4);
        assert_eq!(quartile(1.7), 4);
    }

    #[test]
    fn overlapping_or_upside_down_cells_are_refused() {
        let mut m = default_matrix();
        m.push(Guideline {
            min_rating_cp: 400,
            max_rating_cp: 480,
            quartile: 1,
            min_bp: 0,
            max_bp: 100,
        });
        assert!(check_matrix(&m).unwrap_err().contains("same ratings"));
        let bad = Guideline {
            min_rating_cp: 300,
            max_rating_cp: 400,
            quartile: 2,
            min_bp: 500,
            max_bp: 100,
        };
        assert!(check_matrix(&[bad]).is_err());
        assert!(check_matrix(&[]).is_err());
    }

    #[test]
    fn a_budget_is_exact_to_the_minor_unit() {
        assert_eq!(budget(48_000_000, 300), Some(1_440_000));
        assert_eq!(budget(1_001, 5_000), Some(501));
        assert_eq!(budget(0, 300), Some(0));
    }
}
