//! Words for people (issue 19): how the messages the API writes for people
//! (gap messages, warnings, plan steps) say dates, tracks, belts and
//! languages. Machine codes stay in the fields made for machines
//! (`Gap.kind`, `PlanAction.kind`, enums); a message never carries an enum
//! name or an ISO date.

use chrono::NaiveDate;

use crate::domain::enums::{PromotionTrack, SixSigmaBelt};

/// A calendar date as people write it: "26 Dec 2026".
pub fn date(day: NaiveDate) -> String {
    day.format("%-d %b %Y").to_string()
}

/// "the fast track" / "the standard track".
pub fn track(track: PromotionTrack) -> &'static str {
    match track {
        PromotionTrack::FastTrack => "the fast track",
        PromotionTrack::Standard => "the standard track",
    }
}

/// A Six Sigma belt as people say it: "Yellow Belt".
pub fn belt(belt: SixSigmaBelt) -> &'static str {
    match belt {
        SixSigmaBelt::White => "White Belt",
        SixSigmaBelt::Yellow => "Yellow Belt",
        SixSigmaBelt::Green => "Green Belt",
        SixSigmaBelt::Black => "Black Belt",
        SixSigmaBelt::MasterBlack => "Master Black Belt",
    }
}

/// A language by its name in English when the code is a common ISO 639-1
/// code ("ja" → "Japanese"), else the code in capitals.
pub fn language(code: &str) -> String {
    let name = match code.to_ascii_lowercase().as_str() {
        "ar" => "Arabic",
        "de" => "German",
        "en" => "English",
        "es" => "Spanish",
        "fil" | "tl" => "Filipino",
        "fr" => "French",
        "hi" => "Hindi",
        "id" => "Indonesian",
        "it" => "Italian",
        "ja" => "Japanese",
        "ko" => "Korean",
        "ms" => "Malay",
        "nl" => "Dutch",
        "pl" => "Polish",
        "pt" => "Portuguese",
        "ru" => "Russian",
        "th" => "Thai",
        "tr" => "Turkish",
        "vi" => "Vietnamese",
        "zh" => "Chinese",
        _ => return code.to_ascii_uppercase(),
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_tracks_belts_and_languages_read_as_people_say_them() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(date(day), "6 Dec 2026");
        assert_eq!(track(PromotionTrack::FastTrack), "the fast track");
        assert_eq!(belt(SixSigmaBelt::MasterBlack), "Master Black Belt");
        assert_eq!(language("JA"), "Japanese");
        assert_eq!(language("xx"), "XX");
    }
}
