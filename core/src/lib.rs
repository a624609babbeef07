//! daicho (台帳, "register") keeps a city's information asset register
//! (情報資産管理台帳) and classifies every asset the way the city's information
//! security policy requires.
//!
//! The primary types:
//!
//! - [`Policy`]: the city's rules as data — organizations, classification
//!   levels with their handling restrictions, exclusions, controls. Built-in
//!   profiles are `niigata` (the default) and `mic-r5`; a city can load its own TOML.
//! - [`Register`]: the register, one SQLite file. Every change is validated
//!   against the register's policy and written together with a hash-chained
//!   audit entry.
//! - [`Asset`] and [`AssetFields`]: an information asset of kind ア, イ or ウ,
//!   with its classification, segment, personal-data flags, controls, scope.
//! - [`Link`]: a typed relation between two assets (`stored_on`, `describes`,
//!   `connects_to`, `transfers_to`, `copy_of`).
//!
//! ```
//! use daicho::{AssetFields, AssetName, Classification, Filter, Kind, Policy, Register, Segment};
//!
//! # fn main() -> daicho::Result<()> {
//! let policy = Policy::niigata();
//! let mut register = Register::in_memory(&policy)?;
//! register.set_actor("情報政策課 山田")?;
//!
//! let class = Classification::parse(&policy, "自治体機密性3B", "完全性2", "可用性2")?;
//! let water = policy.organization("水道局")?.code.clone();
//! let mut fields = AssetFields::new(Kind::parse("ア")?, AssetName::new("水道料金システム")?, water, class);
//! fields.segment = Some(Segment::parse("LGWAN接続系")?);
//! let asset = register.add(fields)?;
//!
//! let listed = register.assets(&Filter { segment: Some(Segment::Lgwan), ..Filter::default() })?;
//! assert_eq!(listed, [asset.clone()]);
//! assert_eq!(register.history(asset.id)?.len(), 1);
//! assert!(register.verify()?.is_ok());
//! # Ok(())
//! # }
//! ```

#![deny(missing_docs)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod as_of;
mod audit;
mod backup;
mod campaign;
mod changes;
mod checkpoint;
mod error;
mod messages;
mod model;
pub mod mynumber;
mod outfile;
pub mod parse;
mod policy;
mod policy_change;
mod query;
mod record;
mod register;
mod report;
mod rules;
pub mod sheet;
mod store;
mod table;
#[cfg(test)]
mod test_backend;
mod text;
mod undo;
mod wire;
mod write;

pub use as_of::{end_of_day, local_time_zone, start_of_day};
pub use audit::{
    Action, AnchorCheck, AuditEntry, BrokenEntry, ChainReport, Head, Mismatch, Redaction,
};
pub use campaign::{
    Attest, Attestation, AttestationState, Campaign, CampaignStatus, NewCampaign, SectionStatus,
};
pub use changes::{ChangeLine, ChangeRecord, ChangedField, ChangesFilter, local_time};
pub use checkpoint::{Checkpoint, PublicKey, SigningKey};
pub use error::{Error, Result};
pub use model::{
    Asset, AssetFields, AssetId, AssetName, Classification, Disposal, Extra, FieldChange, Hosting,
    HostingKind, Kind, Link, Medium, PersonalData, Relation, Retention, Sanitization, Scope,
    Segment,
};
pub use outfile::OutputFile;
pub use policy::{
    Axis, BUILT_IN_POLICIES, Control, ControlCode, DisposalMethod, Exclusion, ExclusionCode, Floor,
    LegacyLabel, Level, LevelDef, OrgCode, Organization, PersonalFact, PiaKind, PiaNeed,
    PiaThresholds, Policy, Restriction, ReviewCycle, RiskSettings, Scale,
};
pub use policy_change::PolicyChange;
pub use query::{Disposed, Filter, Summary};
pub use record::LinkRecord;
pub use register::{Anchor, PermissionsWarning, Register, Verification, code_label};
pub use report::{
    AuditorReport, DisposalLine, MonthChanges, ReportAsOf, ReportOptions, ReviewYear,
};
pub use rules::{
    Assessment, AssetRef, AxisExplanation, CheckOptions, Evaluation, Exception, ExcludedAsset,
    Explanation, Finding, FindingStatus, FindingUpdate, KeySubject, NewException, NewProcess,
    PiaEntry, PiaReport, PiaVerdict, Process, ProcessChange, ProcessFile, Proposal, Raised,
    RecordedRun, Report, RiskEntry, RiskReport, RuleId, Severity, Snapshot, Step, StreamedReport,
    Subject, TrackedFinding, UnknownProcess, WhatIf, finding_key, parse_key,
};
pub use store::{StoredRow, StoredRows, StoredValue};
pub use table::vocabulary::{VocabularyEntry, vocabulary};
pub use table::{AssetRecord, Cell, CellKind, Column, display_value};
pub use text::{Lang, Localized};
pub use undo::{Import, ImportRef, Undo};
pub use wire::{
    AnchorRecord, AssetListItem, AssetListRecord, AssetNameRecord, AssetRefRecord,
    AttestationRecord, AxisRecord, BrokenEntryRecord, CampaignRecord, CampaignStatusRecord,
    ColumnChangeRecord, CountsRecord, DeletionRecord, EntryChange, ExceptionRecord,
    ExclusionRecord, ExplanationRecord, ExportRecord, ExportedAssetsRecord, ExportedLinksRecord,
    FieldDiff, FieldValue, FindingRecord, HistoryRecord, ImportEntryRecord, ImportFailureRecord,
    ImportRecord, LabelRecord, LevelRecord, LinkEdit, MismatchRecord, NewRegisterRecord,
    OrganizationCountsRecord, OrganizationRecord, PiaEntryRecord, PiaReportRecord,
    PolicyChangeRecord, PolicyStamp, ProcessFileRecord, RaisedRecord, RecordedRunRecord,
    RedactionRecord, ReportRecord, ReportStream, RestrictionRecord, RiskEntryRecord, RiskRating,
    RiskReportRecord, RowChangeRecord, RowErrorRecord, RowOutcomeRecord, RowWarningRecord,
    RuleRecord, SectionStatusRecord, ShownAssetRecord, StepRecord, StreamedReportRecord,
    SubjectRecord, SummaryRecord, TrackedFindingRecord, UnconfirmedRecord, UndoRecord,
    UnknownProcessRecord, VerificationRecord, VocabularyRecord, WhatIfRecord, WorkbookExportRecord,
};
pub use write::Deletion;
