//! Compact forms of the records this process keeps per employee (issue 15).
//!
//! With `--keep-organisation` every employee's row, certificates and facts
//! are kept. Kept as the structs queries use (`employee::Model`: seven
//! `String`s; certificates twice, as rows and as facts; a `Vec` per kind of
//! fact; a 16-byte `Instant` per entry) they cost about 1.5 KiB a person,
//! and 100,000 people put the process past its memory target. Each is kept
//! instead as one byte string: integers as variable-length numbers, dates
//! as days, enums as one byte, texts as length and bytes. Encoding happens
//! once when a record is kept, decoding on each read (a few hundred bytes,
//! well under a microsecond); a record that does not decode is treated as
//! not kept, so a reader goes to the database, never fails.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::db::entities::{certification, employee};
use crate::db::facts::Facts;
use crate::db::kept::Packed;
use crate::domain;
use crate::domain::eligibility::{CertFact, ReviewFact, SkillFact};

/// Appends values to a byte string.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    fn byte(&mut self, v: u8) {
        self.0.push(v);
    }

    fn text(&mut self, v: &str) {
        self.u64(v.len() as u64);
        self.0.extend_from_slice(v.as_bytes());
    }

    fn date(&mut self, v: NaiveDate) {
        self.i64(i64::from(v.num_days_from_ce()));
    }

    fn instant(&mut self, v: DateTime<Utc>) {
        self.i64(v.timestamp());
        self.u64(u64::from(v.timestamp_subsec_nanos()));
    }

    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    fn option<T>(&mut self, v: Option<T>, mut some: impl FnMut(&mut Self, T)) {
        match v {
            None => self.byte(0),
            Some(v) => {
                self.byte(1);
                some(self, v);
            }
        }
    }

    fn done(self) -> Box<[u8]> {
        self.0.into_boxed_slice()
    }
}

/// Reads values back; every read is `None` past the end or on a value out
/// of range.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn i64(&mut self) -> Option<i64> {
        let v = self.u64()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn text(&mut self) -> Option<String> {
        let len = usize::try_from(self.u64()?).ok()?;
        if len > self.0.len() {
            return None;
        }
        let (bytes, rest) = self.0.split_at(len);
        self.0 = rest;
        String::from_utf8(bytes.to_vec()).ok()
    }

    fn date(&mut self) -> Option<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(self.i64()?).ok()?)
    }

    fn instant(&mut self) -> Option<DateTime<Utc>> {
        let secs = self.i64()?;
        let nanos = u32::try_from(self.u64()?).ok()?;
        DateTime::from_timestamp(secs, nanos)
    }

    fn f64(&mut self) -> Option<f64> {
        if self.0.len() < 8 {
            return None;
        }
        let (bytes, rest) = self.0.split_at(8);
        self.0 = rest;
        Some(f64::from_bits(u64::from_le_bytes(bytes.try_into().ok()?)))
    }

    fn option<T>(&mut self, some: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => some(self).map(Some),
            _ => None,
        }
    }

    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        // Each item takes a byte at least: a count past the bytes left is
        // not one this module wrote.
        (n <= self.0.len()).then_some(n)
    }

    fn end(self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
}

/// An enum as its position in the domain's `ALL`.
fn index<T: PartialEq>(all: &[T], v: &T) -> u8 {
    all.iter().position(|x| x == v).unwrap_or(0) as u8
}

fn nth<T: Copy>(all: &[T], i: u8) -> Option<T> {
    all.get(usize::from(i)).copied()
}

macro_rules! enum_codec {
    ($write:ident, $read:ident, $domain:ty) => {
        fn $write<E: Into<$domain>>(w: &mut Writer, v: E) {
            w.byte(index(<$domain>::ALL, &v.into()));
        }
        fn $read<E: From<$domain>>(r: &mut Reader<'_>) -> Option<E> {
            nth(<$domain>::ALL, r.byte()?).map(E::from)
        }
    };
}

enum_codec!(w_access, r_access, domain::enums::AccessRole);
enum_codec!(w_arrangement, r_arrangement, domain::enums::WorkArrangement);
enum_codec!(w_employment, r_employment, domain::enums::EmploymentType);
enum_codec!(w_basis, r_basis, domain::enums::PayBasis);
enum_codec!(w_kind, r_kind, domain::enums::CertificationKind);
enum_codec!(w_belt, r_belt, domain::enums::SixSigmaBelt);
enum_codec!(w_cefr, r_cefr, domain::enums::CefrLevel);
enum_codec!(w_status, r_status, domain::enums::CertificationStatus);
enum_codec!(w_source, r_source, domain::enums::AssessmentSource);

/// An employee's row without secrets (the password hash is never kept).
#[derive(Clone)]
pub struct PackedEmployee(Box<[u8]>);

impl Packed<employee::Model> for PackedEmployee {
    fn pack(e: &employee::Model) -> Self {
        let mut w = Writer::default();
        w.i64(e.id);
        w.text(&e.employee_number);
        w.text(&e.name);
        w.text(&e.email);
        w_access(&mut w, e.access_role);
        w.i64(e.job_role_id);
        w.option(e.manager_id, Writer::i64);
        w.text(&e.site);
        w.text(&e.market);
        w_arrangement(&mut w, e.work_arrangement);
        w_employment(&mut w, e.employment_type);
        w.date(e.hired_on);
        w.date(e.role_since);
        w.i64(e.salary_minor);
        w.text(&e.currency);
        w_basis(&mut w, e.pay_basis);
        w.i64(e.fte_bp);
        w.instant(e.created_at);
        w.instant(e.updated_at);
        PackedEmployee(w.done())
    }

    fn unpack(&self) -> Option<employee::Model> {
        let mut r = Reader(&self.0);
        let e = employee::Model {
            id: r.i64()?,
            employee_number: r.text()?,
            name: r.text()?,
            email: r.text()?,
            password_hash: None,
            access_role: r_access(&mut r)?,
            job_role_id: r.i64()?,
            manager_id: r.option(Reader::i64)?,
            site: r.text()?,
            market: r.text()?,
            work_arrangement: r_arrangement(&mut r)?,
            employment_type: r_employment(&mut r)?,
            hired_on: r.date()?,
            role_since: r.date()?,
            salary_minor: r.i64()?,
            currency: r.text()?,
            pay_basis: r_basis(&mut r)?,
            fte_bp: r.i64()?,
            created_at: r.instant()?,
            updated_at: r.instant()?,
        };
        r.end()?;
        Some(e)
    }
}

/// One employee's certificates, in their order.
#[derive(Clone)]
pub struct PackedCertifications(Box<[u8]>);

impl Packed<Vec<certification::Model>> for PackedCertifications {
    fn pack(list: &Vec<certification::Model>) -> Self {
        let mut w = Writer::default();
        w.u64(list.len() as u64);
        for c in list {
            w.i64(c.id);
            w.i64(c.employee_id);
            w_kind(&mut w, c.kind);
            w.text(&c.name);
            w.option(c.belt, w_belt);
            w.option(c.language.as_deref(), Writer::text);
            w.option(c.cefr, w_cefr);
            w.date(c.issued_on);
            w.option(c.expires_on, Writer::date);
            w_status(&mut w, c.status);
            w.instant(c.created_at);
        }
        PackedCertifications(w.done())
    }

    fn unpack(&self) -> Option<Vec<certification::Model>> {
        let mut r = Reader(&self.0);
        let n = r.count()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push(certification::Model {
                id: r.i64()?,
                employee_id: r.i64()?,
                kind: r_kind(&mut r)?,
                name: r.text()?,
                belt: r.option(|r| r_belt(r))?,
                language: r.option(Reader::text)?,
                cefr: r.option(|r| r_cefr(r))?,
                issued_on: r.date()?,
                expires_on: r.option(Reader::date)?,
                status: r_status(&mut r)?,
                created_at: r.instant()?,
            });
        }
        r.end()?;
        Some(list)
    }
}

/// What the engine needs about one employee besides their row.
#[derive(Clone)]
pub struct PackedFacts(Box<[u8]>);

impl Packed<Facts> for PackedFacts {
    fn pack(f: &Facts) -> Self {
        let mut w = Writer::default();
        w.u64(f.certifications.len() as u64);
        for c in &f.certifications {
            w_kind(&mut w, c.kind);
            w.text(&c.name);
            w.option(c.belt, w_belt);
            w.option(c.language.as_deref(), Writer::text);
            w.option(c.cefr, w_cefr);
            w_status(&mut w, c.status);
            w.date(c.issued_on);
            w.option(c.expires_on, Writer::date);
        }
        w.u64(f.reviews.len() as u64);
        for r in &f.reviews {
            w.date(r.period_end);
            w.f64(r.rating);
        }
        w.u64(f.skills.len() as u64);
        for s in &f.skills {
            w.i64(s.skill_id);
            w.byte(s.level);
            w_source(&mut w, s.source);
            w.date(s.assessed_on);
            w.i64(s.seq);
        }
        w.byte(u8::from(f.open_nomination));
        PackedFacts(w.done())
    }

    fn unpack(&self) -> Option<Facts> {
        let mut r = Reader(&self.0);
        let n = r.count()?;
        let mut certifications = Vec::with_capacity(n);
        for _ in 0..n {
            certifications.push(CertFact {
                kind: r_kind(&mut r)?,
                name: r.text()?,
                belt: r.option(|r| r_belt(r))?,
                language: r.option(Reader::text)?,
                cefr: r.option(|r| r_cefr(r))?,
                status: r_status(&mut r)?,
                issued_on: r.date()?,
                expires_on: r.option(Reader::date)?,
            });
        }
        let n = r.count()?;
        let mut reviews = Vec::with_capacity(n);
        for _ in 0..n {
            reviews.push(ReviewFact {
                period_end: r.date()?,
                rating: r.f64()?,
            });
        }
        let n = r.count()?;
        let mut skills = Vec::with_capacity(n);
        for _ in 0..n {
            skills.push(SkillFact {
                skill_id: r.i64()?,
                level: r.byte()?,
                source: r_source(&mut r)?,
                assessed_on: r.date()?,
                seq: r.i64()?,
            });
        }
        let open_nomination = match r.byte()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        r.end()?;
        Some(Facts {
            certifications,
            reviews,
            skills,
            open_nomination,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::entities::enums as stored;
    use proptest::prelude::*;

    fn employee(id: i64, name: &str, manager: Option<i64>, nanos: u32) -> employee::Model {
        let at = DateTime::from_timestamp(1_700_000_000 + id, nanos).unwrap();
        employee::Model {
            id,
            employee_number: format!("E{id:06}"),
            name: name.to_owned(),
            email: format!("{id}@example.test"),
            password_hash: None,
            access_role: stored::AccessRole::Manager,
            job_role_id: 3,
            manager_id: manager,
            site: "Tokyo".to_owned(),
            market: "JP".to_owned(),
            work_arrangement: stored::WorkArrangement::Hybrid,
            employment_type: stored::EmploymentType::PartTime,
            hired_on: NaiveDate::from_ymd_opt(2019, 4, 1).unwrap(),
            role_since: NaiveDate::from_ymd_opt(-44, 3, 15).unwrap(),
            salary_minor: i64::MAX - id.abs(),
            currency: "JPY".to_owned(),
            pay_basis: stored::PayBasis::Hourly,
            fte_bp: 5_000,
            created_at: at,
            updated_at: at,
        }
    }

    proptest! {
        #[test]
        fn an_employee_row_comes_back_as_it_was_kept(
            id in any::<i64>(),
            name in ".{0,40}",
            manager in proptest::option::of(any::<i64>()),
            nanos in 0u32..1_000_000_000,
        ) {
            let row = employee(id % 1_000_000_000, &name, manager, nanos);
            prop_assert_eq!(PackedEmployee::pack(&row).unpack(), Some(row));
        }

        #[test]
        fn facts_come_back_as_they_were_kept(
            ratings in proptest::collection::vec(any::<f64>().prop_filter("a number", |r| !r.is_nan()), 0..12),
            skills in proptest::collection::vec((any::<i64>(), 1u8..=5, any::<i64>()), 0..8),
            language in proptest::option::of("[a-z]{2}"),
            open in any::<bool>(),
        ) {
            let day = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
            let facts = Facts {
                certifications: vec![CertFact {
                    kind: domain::enums::CertificationKind::Language,
                    name: "JLPT N1 | 日本語".to_owned(),
                    belt: None,
                    language,
                    cefr: Some(domain::enums::CefrLevel::C1),
                    status: domain::enums::CertificationStatus::Verified,
                    issued_on: day,
                    expires_on: Some(day),
                }],
                reviews: ratings.iter().map(|r| ReviewFact { period_end: day, rating: *r }).collect(),
                skills: skills.iter().map(|(id, level, seq)| SkillFact {
                    skill_id: *id,
                    level: *level,
                    source: domain::enums::AssessmentSource::Course,
                    assessed_on: day,
                    seq: *seq,
                }).collect(),
                open_nomination: open,
            };
            let back: Facts = PackedFacts::pack(&facts).unpack().unwrap();
            prop_assert_eq!(back.certifications, facts.certifications);
            prop_assert_eq!(back.reviews, facts.reviews);
            prop_assert_eq!(back.skills, facts.skills);
            prop_assert_eq!(back.open_nomination, facts.open_nomination);
        }
    }

    #[test]
    fn certificates_come_back_in_their_order_and_none_is_an_empty_list() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
        let at = DateTime::from_timestamp(1_750_000_000, 123_456_789).unwrap();
        let cert = |id, belt, language: Option<&str>| certification::Model {
            id,
            employee_id: 9,
            kind: stored::CertificationKind::SixSigma,
            name: format!("cert {id}"),
            belt,
            language: language.map(str::to_owned),
            cefr: None,
            issued_on: day,
            expires_on: None,
            status: stored::CertificationStatus::Pending,
            created_at: at,
        };
        let list = vec![
            cert(2, Some(stored::SixSigmaBelt::Black), None),
            cert(1, None, Some("")),
        ];
        assert_eq!(PackedCertifications::pack(&list).unpack(), Some(list));
        assert_eq!(
            PackedCertifications::pack(&Vec::new()).unpack(),
            Some(Vec::new())
        );
    }

    #[test]
    fn a_record_cut_short_or_padded_does_not_decode() {
        let row = employee(5, "Koharu", Some(4), 0);
        let bytes = PackedEmployee::pack(&row).0;
        for len in 0..bytes.len() {
            assert_eq!(
                Packed::<employee::Model>::unpack(&PackedEmployee(bytes[..len].into())),
                None
            );
        }
        let mut longer = bytes.to_vec();
        longer.push(0);
        assert_eq!(
            Packed::<employee::Model>::unpack(&PackedEmployee(longer.into())),
            None
        );
    }

    #[test]
    fn a_packed_person_is_a_fraction_of_the_structs() {
        let row = employee(123_456, "Koharu Tanaka", Some(4), 0);
        let packed = PackedEmployee::pack(&row).0.len();
        let structs = std::mem::size_of::<employee::Model>()
            + [
                &row.employee_number,
                &row.name,
                &row.email,
                &row.site,
                &row.market,
                &row.currency,
            ]
            .iter()
            .map(|s| s.len())
            .sum::<usize>();
        assert!(
            packed * 3 < structs,
            "{packed} bytes packed against {structs}"
        );
    }
}
