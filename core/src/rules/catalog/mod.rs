//! The catalog of the self-inspection: one row per rule ([`RULES`]), from
//! which [`RuleId`] and its code, severity, section and titles are derived,
//! and beside it one function per rule, in files grouped by topic.
//!
//! A rule's function is `fn(&Snapshot, &Inheritance, &CheckOptions, &mut
//! Findings)`: it reports what is wrong and on which assets, in index order;
//! the row gives it its id, severity and section. Rules on assets look only
//! at the assets [`Findings::assets`] names (the check runs them on two
//! halves at once); rules on links look at every link.
//!
//! Children: `words` (shared wording) is used by the rule files `class`,
//! `segment`, `disposal`, `controls`, `review`, `scope` and `text`; none of
//! them uses this file.

mod class;
mod controls;
mod disposal;
mod review;
mod scope;
mod segment;
mod text;
mod words;

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::rules::findings::{CheckOptions, Findings};
use crate::rules::inherit::Inheritance;
use crate::rules::snapshot::Snapshot;

/// How serious a finding is; `Error` is the most serious and sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A rule of the policy is broken as recorded.
    Error,
    /// A gap in handling or in the register.
    Warning,
    /// Advice.
    Info,
}

/// What a rule looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Over {
    /// The assets of [`Findings::assets`].
    Assets,
    /// Every link (and the graph they form).
    Links,
}

/// A rule's function.
pub(crate) type Check = fn(&Snapshot, &Inheritance, &CheckOptions, &mut Findings<'_>);

/// One row of the catalog.
#[derive(Debug)]
pub(crate) struct RuleDef {
    pub(crate) id: RuleId,
    /// The stable id, e.g. `segment.my_number_outside`.
    pub(crate) code: &'static str,
    pub(crate) severity: Severity,
    /// The policy section the rule enforces, e.g. `§6(3)ア`.
    pub(crate) section: &'static str,
    pub(crate) title_ja: &'static str,
    pub(crate) title_en: &'static str,
    pub(crate) over: Over,
    pub(crate) check: Check,
}

/// Declares [`RuleId`] (its variants in row order, which is report order)
/// and [`RULES`] from one row per rule.
macro_rules! catalog {
    (
        $(
            $(#[$doc:meta])*
            $variant:ident {
                code: $code:literal,
                severity: $severity:ident,
                section: $section:literal,
                over: $over:ident,
                check: $check:path,
                title_ja: $ja:literal,
                title_en: $en:literal $(,)?
            }
        )+
    ) => {
        /// The rules of the self-inspection, each with a stable id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum RuleId {
            $(
                $(#[$doc])*
                $variant,
            )+
        }

        impl RuleId {
            /// Every rule, in report order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),+];
        }

        /// Every rule, in the order of [`RuleId`], so that `RULES[id as usize]`
        /// is the row of `id`.
        pub(crate) const RULES: &[RuleDef] = &[
            $(
                RuleDef {
                    id: RuleId::$variant,
                    code: $code,
                    severity: Severity::$severity,
                    section: $section,
                    title_ja: $ja,
                    title_en: $en,
                    over: Over::$over,
                    check: $check,
                },
            )+
        ];
    };
}

catalog! {
    /// `class.below_inherited`: a level below the one inherited through
    /// `stored_on` or `copy_of`.
    ClassBelowInherited {
        code: "class.below_inherited",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: class::below_inherited,
        title_ja: "継承すべき分類を下回る",
        title_en: "class below the inherited level",
    }
    /// `segment.my_number_outside`: 特定個人情報 outside the My Number segment.
    MyNumberOutside {
        code: "segment.my_number_outside",
        severity: Error,
        section: "§6(3)ア",
        over: Assets,
        check: segment::my_number_outside,
        title_ja: "特定個人情報がマイナンバー利用事務系の外にある",
        title_en: "My Number data outside the My Number segment",
    }
    /// `segment.my_number_connection`: a connection or transfer between the
    /// My Number segment and another segment.
    MyNumberConnection {
        code: "segment.my_number_connection",
        severity: Error,
        section: "§6(3)ア",
        over: Links,
        check: segment::my_number_connection,
        title_ja: "マイナンバー利用事務系と他の系との接続",
        title_en: "My Number segment connected to another segment",
    }
    /// `segment.lgwan_internet`: an LGWAN ↔ internet connection, or an
    /// internet → LGWAN transfer without sanitization.
    LgwanInternet {
        code: "segment.lgwan_internet",
        severity: Error,
        section: "§6(3)イ",
        over: Links,
        check: segment::lgwan_internet,
        title_ja: "LGWAN接続系とインターネット接続系の接続・無害化なしの転送",
        title_en: "LGWAN and internet connected, or transfer without sanitization",
    }
    /// `segment.my_number_controls`: a My Number segment system without
    /// multi-factor authentication or blocked data export.
    MyNumberControls {
        code: "segment.my_number_controls",
        severity: Error,
        section: "§6(3)ア",
        over: Assets,
        check: segment::my_number_controls,
        title_ja: "マイナンバー利用事務系の多要素認証・持出し不可設定がない",
        title_en: "My Number system without MFA or blocked export",
    }
    /// `text.my_number_like`: a text of the register (a name, notes, an
    /// extra attribute …) holding a number shaped like a 個人番号.
    MyNumberLike {
        code: "text.my_number_like",
        severity: Error,
        section: "§6(3)ア",
        over: Assets,
        check: text::my_number_like,
        title_ja: "台帳の記載に個人番号と思われる数字がある",
        title_en: "a number shaped like a My Number in the register's text",
    }
    /// `disposal.record_incomplete`: a disposal without method or approver.
    DisposalIncomplete {
        code: "disposal.record_incomplete",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: disposal::record_incomplete,
        title_ja: "廃棄記録（方法・承認者）が不完全",
        title_en: "disposal record without method or approver",
    }
    /// `hosting.contract_missing`: outsourced or cloud hosting without
    /// provider or contract.
    ContractMissing {
        code: "hosting.contract_missing",
        severity: Error,
        section: "§6(8)",
        over: Assets,
        check: disposal::contract_missing,
        title_ja: "委託・クラウドの委託先・契約が未記載",
        title_en: "outsourcing or cloud without provider or contract",
    }
    /// `controls.required_missing`: a control the handling restrictions
    /// require is not declared.
    RequiredControlMissing {
        code: "controls.required_missing",
        severity: Warning,
        section: "§6(2)",
        over: Assets,
        check: controls::required_missing,
        title_ja: "取扱制限で必要な管理策がない",
        title_en: "control required by handling restrictions missing",
    }
    /// `manager.missing`: no 情報セキュリティ管理者.
    ManagerMissing {
        code: "manager.missing",
        severity: Warning,
        section: "§7",
        over: Assets,
        check: review::manager_missing,
        title_ja: "情報セキュリティ管理者が未登録",
        title_en: "no information security manager",
    }
    /// `review.overdue`: the last review is older than the policy's interval.
    ReviewOverdue {
        code: "review.overdue",
        severity: Warning,
        section: "§7",
        over: Assets,
        check: review::overdue,
        title_ja: "点検が期限切れ",
        title_en: "review overdue",
    }
    /// `review.missing`: never reviewed.
    ReviewMissing {
        code: "review.missing",
        severity: Warning,
        section: "§7",
        over: Assets,
        check: review::missing,
        title_ja: "点検日が未記載",
        title_en: "never reviewed",
    }
    /// `scope.excluded_linked`: an excluded asset linked to an in-scope one.
    ExcludedLinked {
        code: "scope.excluded_linked",
        severity: Warning,
        section: "§4(2)",
        over: Links,
        check: scope::excluded_linked,
        title_ja: "適用除外の資産が対象資産と関連付けられている",
        title_en: "excluded asset linked to an in-scope asset",
    }
    /// `link.cycle`: `stored_on` / `copy_of` links forming a cycle.
    LinkCycle {
        code: "link.cycle",
        severity: Warning,
        section: "§6(2)",
        over: Links,
        check: scope::link_cycle,
        title_ja: "保存・複製の関係が循環している",
        title_en: "stored_on / copy_of links form a cycle",
    }
}

impl RuleId {
    /// The rule's row in the catalog.
    pub(crate) fn def(self) -> &'static RuleDef {
        &RULES[self as usize]
    }

    /// The stable id, e.g. `segment.my_number_outside`.
    pub fn code(self) -> &'static str {
        self.def().code
    }

    /// The severity of the rule's findings.
    pub fn severity(self) -> Severity {
        self.def().severity
    }

    /// The policy section the rule enforces, e.g. `§6(3)ア`.
    pub fn section(self) -> &'static str {
        self.def().section
    }

    /// A short Japanese title.
    pub fn title_ja(self) -> &'static str {
        self.def().title_ja
    }

    /// A short English title.
    pub fn title_en(self) -> &'static str {
        self.def().title_en
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RuleId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        RuleId::ALL
            .iter()
            .copied()
            .find(|rule| rule.code() == s.trim())
            .ok_or_else(|| Error::unknown("rule", s, RuleId::ALL.iter().map(|r| r.code())))
    }
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The code: `error`, `warning` or `info`.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The Japanese label: 違反, 要改善 or 参考.
    pub fn label_ja(self) -> &'static str {
        match self {
            Severity::Error => "違反",
            Severity::Warning => "要改善",
            Severity::Info => "参考",
        }
    }

    /// True when `self` is as serious as `threshold` or more.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Severity {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.code() == s.trim() || sev.label_ja() == s.trim())
            .ok_or_else(|| Error::unknown("severity", s, ["error", "warning", "info"]))
    }
}
