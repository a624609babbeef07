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
mod exceptions;
mod followup;
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
    /// `class.below_floor`: a confidentiality below the floor the asset's
    /// personal data sets.
    ClassBelowFloor {
        code: "class.below_floor",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: class::below_floor,
        title_ja: "個人情報の種類・件数が求める機密性を下回る",
        title_en: "confidentiality below the floor of its personal data",
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
    /// `segment.my_number_media`: 特定個人情報 on portable media, or on an
    /// electronic asset with no network segment.
    MyNumberMedia {
        code: "segment.my_number_media",
        severity: Error,
        section: "§6(3)ア",
        over: Assets,
        check: segment::my_number_media,
        title_ja: "特定個人情報が可搬媒体・区分のない電子媒体にある",
        title_en: "My Number data on portable media or without a segment",
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
    /// unsanitized transfer between them, either way, from a source at the
    /// policy's `transfer_error_from` or above.
    LgwanInternet {
        code: "segment.lgwan_internet",
        severity: Error,
        section: "§6(3)イ",
        over: Links,
        check: segment::lgwan_internet,
        title_ja: "LGWAN接続系とインターネット接続系の接続・無害化なしの転送",
        title_en: "LGWAN and internet connected, or transfer without sanitization",
    }
    /// `segment.unsanitized_transfer`: an unsanitized transfer between LGWAN
    /// and internet, either way, from a source below `transfer_error_from`.
    UnsanitizedTransfer {
        code: "segment.unsanitized_transfer",
        severity: Warning,
        section: "§6(3)イ",
        over: Links,
        check: segment::unsanitized_transfer,
        title_ja: "LGWAN接続系とインターネット接続系の間の無害化なしの転送（低位の情報）",
        title_en: "transfer between LGWAN and internet without sanitization (lower class)",
    }
    /// `segment.my_number_controls`: a My Number segment terminal or system
    /// without multi-factor authentication or blocked data export.
    MyNumberControls {
        code: "segment.my_number_controls",
        severity: Error,
        section: "§6(3)ア",
        over: Assets,
        check: segment::my_number_controls,
        title_ja: "マイナンバー利用事務系の端末・システムに多要素認証・持出し不可設定がない",
        title_en: "My Number terminal or system without MFA or blocked export",
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
    /// `segment.host_mismatch`: information (イ) stored on a system (ア) of
    /// another network segment.
    HostMismatch {
        code: "segment.host_mismatch",
        severity: Error,
        section: "§6(3)",
        over: Links,
        check: segment::host_mismatch,
        title_ja: "情報のネットワーク区分が保存先と異なる",
        title_en: "information in another segment than its host",
    }
    /// `segment.internet_high`: confidentiality above the policy's
    /// `internet_max_confidentiality` on the internet segment.
    InternetHigh {
        code: "segment.internet_high",
        severity: Warning,
        section: "§6(3)ウ",
        over: Assets,
        check: segment::internet_high,
        title_ja: "高い機密性の情報資産がインターネット接続系にある",
        title_en: "highly confidential asset on the internet segment",
    }
    /// `segment.internet_monitoring`: a system (ア) on the internet segment
    /// without monitoring or malware protection.
    InternetMonitoring {
        code: "segment.internet_monitoring",
        severity: Warning,
        section: "§6(3)ウ",
        over: Assets,
        check: segment::internet_monitoring,
        title_ja: "インターネット接続系の不正通信監視・不正プログラム対策がない",
        title_en: "internet segment system without monitoring or malware protection",
    }
    /// `disposal.record_incomplete`: a disposal without method, approver, or
    /// (when outsourced) certificate.
    DisposalIncomplete {
        code: "disposal.record_incomplete",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: disposal::record_incomplete,
        title_ja: "廃棄記録（方法・承認者・証明書）が不完全",
        title_en: "disposal record without method, approver or certificate",
    }
    /// `disposal.method_unlisted`: a disposal method the policy does not
    /// list as unrecoverable.
    DisposalMethodUnlisted {
        code: "disposal.method_unlisted",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: disposal::method_unlisted,
        title_ja: "廃棄方法が復元不可能な方法として定められていない",
        title_en: "disposal method not an unrecoverable method of the policy",
    }
    /// `disposal.self_approved`: the disposal's approver disposed of it.
    DisposalSelfApproved {
        code: "disposal.self_approved",
        severity: Error,
        section: "§6(2)",
        over: Assets,
        check: disposal::self_approved,
        title_ja: "廃棄の承認者と実施者が同じ",
        title_en: "disposal approved by the person who disposed of it",
    }
    /// `disposal.still_stored`: information in use stored on a disposed system.
    DisposalStillStored {
        code: "disposal.still_stored",
        severity: Warning,
        section: "§6(2)",
        over: Links,
        check: disposal::still_stored,
        title_ja: "廃棄済みのシステムに使用中の情報が保存されている",
        title_en: "information in use stored on a disposed system",
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
        section: "§6(1), §6(2)",
        over: Assets,
        check: review::manager_missing,
        title_ja: "情報セキュリティ管理者が未登録",
        title_en: "no information security manager",
    }
    /// `review.overdue`: the last review is older than the policy's cycle.
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
    /// `scope.related_unlinked`: an asset excluded as related information
    /// that is not linked to excluded information of its own body.
    RelatedUnlinked {
        code: "scope.related_unlinked",
        severity: Error,
        section: "§4(2)",
        over: Links,
        check: scope::related_unlinked,
        title_ja: "関連情報として適用除外だが除外対象の情報と関連付けられていない",
        title_en: "excluded as related information without a link to excluded information",
    }
    /// `scope.excluded_my_number`: an excluded asset holding 特定個人情報.
    ExcludedMyNumber {
        code: "scope.excluded_my_number",
        severity: Warning,
        section: "§4(2)",
        over: Assets,
        check: scope::excluded_my_number,
        title_ja: "適用除外の資産が特定個人情報を含む（番号法は適用される）",
        title_en: "excluded asset holding My Number data (the My Number Act still applies)",
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
    /// `exception.expired`: an exception (例外措置) past its expiry that has
    /// not been ended.
    ExceptionExpired {
        code: "exception.expired",
        severity: Error,
        section: "§6",
        over: Links,
        check: exceptions::expired,
        title_ja: "例外措置の期限切れ",
        title_en: "exception (例外措置) expired",
    }
    /// `correction.overdue`: a tracked finding still open or in progress
    /// past its due date.
    CorrectionOverdue {
        code: "correction.overdue",
        severity: Warning,
        section: "§7",
        over: Links,
        check: followup::correction_overdue,
        title_ja: "指摘の是正期限切れ",
        title_en: "correction of a finding overdue",
    }
    /// `pia.evaluation_missing`: a 事務 of 特定個人情報 that needs an
    /// evaluation (特定個人情報保護評価) with none recorded.
    PiaMissing {
        code: "pia.evaluation_missing",
        severity: Error,
        section: "番号法§27・§28",
        over: Links,
        check: followup::evaluation_missing,
        title_ja: "特定個人情報保護評価が未実施",
        title_en: "My Number privacy impact assessment missing",
    }
    /// `pia.evaluation_insufficient`: a 事務 whose recorded evaluation is
    /// less thorough than the threshold judgment requires.
    PiaInsufficient {
        code: "pia.evaluation_insufficient",
        severity: Error,
        section: "番号法§27・§28",
        over: Links,
        check: followup::evaluation_insufficient,
        title_ja: "特定個人情報保護評価の種類が不足",
        title_en: "My Number privacy impact assessment less thorough than required",
    }
    /// `pia.evaluation_stale`: a 事務's evaluation published longer ago than
    /// the policy's `valid_years`.
    PiaStale {
        code: "pia.evaluation_stale",
        severity: Warning,
        section: "評価規則",
        over: Links,
        check: followup::evaluation_stale,
        title_ja: "特定個人情報保護評価の再実施時期を過ぎている",
        title_en: "My Number privacy impact assessment due for re-evaluation",
    }
    /// `pia.persons_unknown`: a 事務 whose 対象人数 is unknown, so that the
    /// threshold judgment cannot be made.
    PiaPersonsUnknown {
        code: "pia.persons_unknown",
        severity: Warning,
        section: "番号法§27・§28",
        over: Links,
        check: followup::persons_unknown,
        title_ja: "特定個人情報保護評価の対象人数が不明",
        title_en: "My Number privacy impact assessment: number of persons unknown",
    }
}

pub(crate) use followup::overdue_message;

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
