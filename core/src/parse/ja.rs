//! The Japanese messages of the parsers' errors and warnings; their
//! `Display` is the English one.

use super::date::{days_in_month, format_date_ja, unrecognized_hints, weekday_ja};
use super::{BoolError, CountError, DateError, DateWarning, GREGORIAN_ADOPTION};
use crate::text::Localized;

impl DateError {
    /// The message in both languages.
    #[must_use]
    pub fn localized(&self) -> Localized {
        Localized::new(self.ja(), self.to_string())
    }

    fn ja(&self) -> String {
        match self {
            DateError::Empty => "日付が空です".to_owned(),
            DateError::Unrecognized { cell } => {
                format!(
                    "`{cell}` は日付ではありません{}",
                    unrecognized_hints(cell).0
                )
            }
            DateError::YearZero { cell } => {
                format!("`{cell}` の年が 0 です。年は 1 から 9999 までです")
            }
            DateError::EraYearZero { cell, era } => {
                format!("`{cell}` は{era}0年です。元号の最初の年は 1（元年）です")
            }
            DateError::InvalidMonth { cell, month } => {
                format!("`{cell}` の月が {month} です。月は 1 から 12 までです")
            }
            DateError::InvalidDay {
                cell, year, month, ..
            } => format!(
                "`{cell}` は実在しない日です。{year:04}-{month:02} は {} 日までです",
                days_in_month(*year, *month)
            ),
            DateError::BeforeEraStart {
                cell,
                era,
                date,
                starts,
                ..
            } => {
                let note = format_date_ja(*date)
                    .map_or_else(String::new, |ja| format!("。{date} は{ja}です"));
                format!("`{cell}` は{era}の始まり（{starts}）より前です{note}")
            }
            DateError::LunarCalendar { cell, .. } => format!(
                "`{cell}` は日本がグレゴリオ暦を採用した {GREGORIAN_ADOPTION}（明治6年1月1日）より前で、\
                 旧暦の日付です。グレゴリオ暦の日付を書いてください"
            ),
            DateError::WeekdayMismatch {
                cell,
                date,
                written,
            } => format!(
                "`{cell}` は{}曜日とありますが、{date} は{}曜日です",
                weekday_ja(*written),
                weekday_ja(date.weekday())
            ),
        }
    }
}

impl DateWarning {
    /// The warning in both languages.
    #[must_use]
    pub fn localized(&self) -> Localized {
        let DateWarning::EraYearOverflow { era, year } = *self;
        let last = era
            .last_day()
            .map_or_else(String::new, |last| format!("（{last}）"));
        let read = era
            .gregorian_year(year)
            .map_or_else(String::new, |y| format!("。{y} 年として読みました"));
        let ja = format!("{era}{year}年 は{era}の終わり{last}より後です{read}");
        Localized::new(ja, self.to_string())
    }
}

impl BoolError {
    /// The message in both languages.
    #[must_use]
    pub fn localized(&self) -> Localized {
        let ja = match self {
            BoolError::Empty => "有無の値が空です".to_owned(),
            BoolError::LostMark => {
                "`?` は有無の値ではありません。Excel が保存するときに CP932 で表せない記号\
                                    （✓ など）を置き換えたようです。有は ○、無は × と書いてください"
                    .to_owned()
            }
            BoolError::Unrecognized { cell } => format!(
                "`{cell}` は有無の値ではありません。○ か ×、はい か いいえ、true か false、1 か 0 を書いてください"
            ),
        };
        Localized::new(ja, self.to_string())
    }
}

impl CountError {
    /// The message in both languages.
    #[must_use]
    pub fn localized(&self) -> Localized {
        let ja = match self {
            CountError::Empty => "件数が空です".to_owned(),
            CountError::Approximate { cell } => {
                format!("`{cell}` はおおよその数です。正確な数を書いてください（例: `12345`）")
            }
            CountError::KanjiNumeral { cell } => {
                format!("`{cell}` は漢数字です。正確な数を算用数字で書いてください（例: `12000`）")
            }
            CountError::Negative { cell } => {
                format!("`{cell}` は負の数です。件数は 0 以上です")
            }
            CountError::Fraction { cell } => format!("`{cell}` は整数ではありません"),
            CountError::BadGrouping { cell } => format!(
                "`{cell}` の桁区切りの位置が違います。カンマは 3 桁ごとに入れる（`1,234`）か、入れない（`1234`）でください"
            ),
            CountError::TooLarge { cell } => {
                format!("`{cell}` は件数として大きすぎます（9,223,372,036,854,775,807 まで）")
            }
            CountError::NotANumber { cell } => format!(
                "`{cell}` は件数ではありません。`1234` や `1,234` のような整数を書き、件・人・名を付けてもかまいません"
            ),
        };
        Localized::new(ja, self.to_string())
    }
}
