//! Command-line arguments. Doc comments are the help text.

#![allow(
    clippy::doc_markdown,
    reason = "doc comments are the help text, where backticks would show"
)]
#![allow(
    clippy::struct_excessive_bools,
    reason = "command-line switches are booleans"
)]

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// daicho (台帳): the information asset register of a city's information security policy.
///
/// Exit status: 0 success; 1 a failure you can fix (bad input, unknown id,
/// stale version, findings at or above --fail-on); 2 an unexpected error.
#[derive(Debug, Parser)]
#[command(name = "daicho", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: Global,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options for every command.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The register: a file, or `postgres://…` for a register on a PostgreSQL server.
    #[arg(long, global = true, env = "DAICHO_DB", default_value = "daicho.db")]
    pub(crate) db: PathBuf,
    /// Who makes the changes, recorded in the audit log [default: the OS user,
    /// with the OS uid beside the name on Unix].
    #[arg(long, global = true, env = "DAICHO_ACTOR")]
    pub(crate) actor: Option<String>,
    /// How to print data.
    #[arg(long, global = true, value_enum, default_value_t)]
    pub(crate) format: Format,
    /// The language of labels in tables.
    #[arg(long, global = true, value_enum, default_value_t)]
    pub(crate) lang: Lang,
}

/// How to print data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Aligned table (for humans).
    #[default]
    Table,
    /// JSON (for computers).
    Json,
    /// CSV with a header row (for spreadsheets).
    Csv,
}

/// The language of labels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum Lang {
    /// Japanese labels (日本語).
    #[default]
    Ja,
    /// English labels.
    En,
}

impl From<Lang> for daicho::Lang {
    fn from(lang: Lang) -> Self {
        match lang {
            Lang::Ja => daicho::Lang::Ja,
            Lang::En => daicho::Lang::En,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create a new register with a policy.
    Init(InitArgs),
    /// Add an asset.
    Add(Box<AddArgs>),
    /// Show one asset with its links.
    Show(ShowArgs),
    /// List assets, filtered.
    List(ListArgs),
    /// Change an asset's fields.
    Edit(Box<EditArgs>),
    /// Link two assets.
    Link(LinkArgs),
    /// Remove a link.
    Unlink(UnlinkArgs),
    /// Record an asset's disposal (廃棄).
    Dispose(DisposeArgs),
    /// Delete an asset registered by mistake (a duplicate), saying why.
    ///
    /// The audit log keeps its last state and the reason. Refused while links
    /// join it to other assets, unless --with-links removes them too.
    Delete(DeleteArgs),
    /// Show an asset's audit history.
    History(ShowArgs),
    /// Check the whole register: the database, the audit log's hash chain, every row against
    /// the log replayed from empty, the stored policy and the schema.
    ///
    /// Prints the audit log's head `N:HEX`; kept elsewhere (or signed with `checkpoint sign`),
    /// it later proves entries 1..N unchanged with --expect-head or --checkpoint.
    Verify(VerifyArgs),
    /// Copy the register to a new file while others may go on writing (SQLite's online backup).
    Backup(BackupArgs),
    /// Replace the register (--db) with a verified backup; the log records the head it replaced.
    Restore(RestoreArgs),
    /// Sign the audit log's head with a private key, or make a key pair.
    Checkpoint(CheckpointArgs),
    /// Blank a free-text field (e.g. notes) in one audit entry's stored states, keeping the chain.
    ///
    /// Recorded as an entry of its own naming the entry, the field and the reason, never the
    /// content. Change the asset's field first: the register must no longer hold the value.
    Redact(RedactArgs),
    /// Migrate the register to this daicho's schema (read-only commands refuse an older one).
    Upgrade,
    /// Move the whole register between an SQLite file and PostgreSQL (`postgres://…`), either way.
    ///
    /// Assets, links, risks, exceptions, findings, campaigns and the whole audit log are copied
    /// as stored: the chain verifies on both sides and their exports are the same to the byte.
    /// The target must be a new file or an empty schema; the source is left as it is.
    Migrate(MigrateArgs),
    /// Count assets by organization × confidentiality, kind, segment and scope.
    Summary(SummaryArgs),
    /// Show the register's policy: levels, organizations, restrictions; or set a new one.
    Policy(PolicyArgs),
    /// Import an asset sheet and/or a link sheet (CSV; UTF-8, CP932 or UTF-16).
    ///
    /// All rows are checked first; if any row is wrong nothing is written,
    /// every error is listed with its line and column, and the exit status is 1.
    /// Every import is recorded: --list shows them, --undo reverts one.
    Import(ImportArgs),
    /// Export assets (and links) as CSV that Excel opens correctly.
    Export(ExportArgs),
    /// Run the self-inspection (自己点検): findings with policy sections.
    ///
    /// Exits 1 when a finding at or above --fail-on exists.
    Check(CheckArgs),
    /// Show an asset's declared and effective level per axis, with the path behind each.
    Explain(ShowArgs),
    /// List risks by value, or record threat assessments (§3, §8).
    Risk(RiskArgs),
    /// Record, list or end exceptions (例外措置) to the self-inspection's rules.
    ///
    /// While an exception is valid, the findings it covers are reported as
    /// 参考 (info) naming it; once expired, `check` reports it as an error.
    Exception(ExceptionArgs),
    /// List the findings tracked to correction (是正) by `check --record`, or set one's
    /// status, owner and due date.
    ///
    /// A finding's key is its rule and the ids of the assets it names; a finding a later
    /// recorded run no longer finds is resolved on that run's date.
    Findings(FindingsArgs),
    /// List each 事務 of 特定個人情報 with the 特定個人情報保護評価 it needs
    /// (しきい値判断), or record a 事務 and its evaluation.
    ///
    /// An asset belongs to a 事務 by its extra attribute 事務 (several separated by `;`).
    Pia(PiaArgs),
    /// Write the auditor's report (監査報告書): one self-contained HTML file
    /// to read on screen or print to A4 (cover, summary with charts,
    /// self-inspection, exclusions and disposals, reviews, the year's
    /// changes, risks), in the language of --lang.
    Report(ReportArgs),
    /// List every change between two days from the audit log: time, actor,
    /// asset, field, old → new.
    Changes(ChangesArgs),
    /// Attestation campaigns (棚卸): start one, send each section its list,
    /// see who has attested, close it.
    Campaign(CampaignArgs),
    /// Record a section's attestation in the open campaign: its returned
    /// sheet (if any) imported and the attestation, in one transaction;
    /// every asset of the section is marked reviewed today.
    Attest(AttestArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FindingsArgs {
    #[command(subcommand)]
    pub(crate) action: Option<FindingsAction>,
    /// Only the findings with this status: open, in_progress (是正中), resolved, excepted.
    #[arg(long)]
    pub(crate) status: Option<String>,
    /// Count overdue to this date instead of today.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FindingsAction {
    /// Set a finding's status (open or in_progress), owner or due date; recorded in the audit log.
    Set(FindingsSetArgs),
    /// Show a finding's status history from the audit log.
    History(FindingsKeyArgs),
}

#[derive(Debug, Args)]
pub(crate) struct FindingsSetArgs {
    /// The finding's number or key (`rule:asset-id[+asset-id]`).
    pub(crate) key: String,
    /// open (未対応) or in_progress (是正中).
    #[arg(long)]
    pub(crate) status: Option<String>,
    /// Who corrects it; an empty text clears it.
    #[arg(long)]
    pub(crate) owner: Option<String>,
    /// When it is to be corrected by (2026-06-30, 令和8年6月30日).
    #[arg(long, value_name = "DATE", conflicts_with = "clear_due")]
    pub(crate) due: Option<String>,
    /// Remove the due date.
    #[arg(long)]
    pub(crate) clear_due: bool,
}

#[derive(Debug, Args)]
pub(crate) struct FindingsKeyArgs {
    /// The finding's number or key.
    pub(crate) key: String,
}

#[derive(Debug, Args)]
pub(crate) struct PiaArgs {
    #[command(subcommand)]
    pub(crate) action: Option<PiaAction>,
    /// Judge as of this date instead of today (a 重大事故 counts for a year up to it).
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PiaAction {
    /// Record a 事務 (business process) of 特定個人情報.
    Add(PiaAddArgs),
    /// Change a 事務 (by number or name), e.g. record the evaluation done.
    Set(PiaSetArgs),
}

#[derive(Debug, Args)]
pub(crate) struct PiaAddArgs {
    /// Its name, as the assets' 事務 attribute names it.
    pub(crate) name: String,
    /// 取扱者数: the staff and contractors who handle its files.
    #[arg(long, default_value_t = 0)]
    pub(crate) handlers: u64,
    #[command(flatten)]
    pub(crate) fields: PiaFieldArgs,
}

#[derive(Debug, Args)]
pub(crate) struct PiaSetArgs {
    /// The 事務's number or name.
    pub(crate) process: String,
    /// A new name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// 取扱者数.
    #[arg(long)]
    pub(crate) handlers: Option<u64>,
    #[command(flatten)]
    pub(crate) fields: PiaFieldArgs,
    /// Remove the stated 対象人数 (the files' 件数 count again).
    #[arg(long, conflicts_with = "persons")]
    pub(crate) clear_persons: bool,
    /// Remove the 重大事故 date.
    #[arg(long, conflicts_with = "incident")]
    pub(crate) clear_incident: bool,
    /// Remove the evaluation done.
    #[arg(long, conflicts_with_all = ["evaluation", "document", "published"])]
    pub(crate) clear_evaluation: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PiaFieldArgs {
    /// 対象人数 as stated, instead of the largest 件数 among its files.
    #[arg(long)]
    pub(crate) persons: Option<u64>,
    /// The date of its last 重大事故 (serious incident).
    #[arg(long, value_name = "DATE")]
    pub(crate) incident: Option<String>,
    /// The evaluation done: basic (基礎項目評価), focused (重点項目評価) or full (全項目評価).
    #[arg(long, requires_all = ["document", "published"])]
    pub(crate) evaluation: Option<String>,
    /// The evaluation document's number (評価書番号).
    #[arg(long, requires = "evaluation")]
    pub(crate) document: Option<String>,
    /// When the evaluation was published (公表日).
    #[arg(long, value_name = "DATE", requires = "evaluation")]
    pub(crate) published: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The HTML file to write (written owner-only, renamed into place when complete).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
    /// The city's name for the cover [default: the policy's title].
    #[arg(long)]
    pub(crate) city: Option<String>,
    /// Make the report as of this date instead of today (2026-11-25, 令和8年11月25日).
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
    /// Report on the register as it stood at the end of this day (local time),
    /// rebuilt from the audit log after verifying it up to then; the report is
    /// made for that day unless --today is given.
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CampaignArgs {
    #[command(subcommand)]
    pub(crate) action: CampaignAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CampaignAction {
    /// Start a campaign: one attestation per (body, department) holding assets.
    Start(CampaignStartArgs),
    /// Write a section's list (its assets not disposed of) as a sheet to return:
    /// CSV, or a workbook when the name ends in .xlsx.
    Export(CampaignExportArgs),
    /// Show each section as attested, open or overdue.
    Status(CampaignStatusArgs),
    /// Close the open campaign.
    Close,
}

#[derive(Debug, Args)]
pub(crate) struct CampaignStartArgs {
    /// The campaign's name, unique in the register (the fiscal year: 2026).
    pub(crate) name: String,
    /// The day by which every section should attest.
    #[arg(long, value_name = "DATE")]
    pub(crate) due: Option<String>,
    /// Only this organization's sections (code or name).
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct CampaignExportArgs {
    /// The section (所属), as written.
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: String,
    /// Its organization, when several have a department of that name.
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// The sheet to write; a name ending in .xlsx writes the section's
    /// workbook, as `export -o FILE.xlsx --department` does.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    pub(crate) force: bool,
    /// The CSV header row's language (Japanese for the sections by default).
    #[arg(long, value_enum, default_value_t = HeaderLang::Ja)]
    pub(crate) headers: HeaderLang,
}

#[derive(Debug, Args)]
pub(crate) struct CampaignStatusArgs {
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    /// The campaign [default: the latest].
    pub(crate) name: Option<String>,
    /// Count overdue to this date instead of today.
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AttestArgs {
    /// The section (所属), as written.
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: String,
    /// Its organization, when several have a department of that name.
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// Who confirmed the list (the section's 情報セキュリティ管理者).
    #[arg(long, value_name = "NAME")]
    pub(crate) by: String,
    /// The section's returned sheet: its changes are imported first, all or nothing.
    #[arg(long, value_name = "FILE")]
    pub(crate) sheet: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SummaryArgs {
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    #[command(flatten)]
    pub(crate) as_of: AsOfArgs,
}

#[derive(Debug, Args)]
pub(crate) struct ChangesArgs {
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    /// Changes from the start of this day (local time).
    #[arg(long, value_name = "DATE")]
    pub(crate) since: String,
    /// Changes to the end of this day (local time) [default: now].
    #[arg(long, value_name = "DATE")]
    pub(crate) until: Option<String>,
    /// Only changes to this organization's assets (code or name), as they were then.
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// Only changes to this department's (所属) assets, as they were then.
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ExceptionArgs {
    #[command(subcommand)]
    pub(crate) action: Option<ExceptionAction>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ExceptionAction {
    /// List every exception with its state today (the default).
    List,
    /// Record an exception for an asset, or for a link with --to.
    Add(ExceptionAddArgs),
    /// End an exception: the findings it covered are reported again.
    End(ExceptionEndArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ExceptionAddArgs {
    /// The rule's id (see `daicho policy rules`), e.g. segment.my_number_connection.
    #[arg(long)]
    pub(crate) rule: String,
    /// The asset (a link's source): id or unique name.
    #[arg(long)]
    pub(crate) asset: String,
    /// The link's other end, for an exception on a link: id or unique name.
    #[arg(long)]
    pub(crate) to: Option<String>,
    /// Why the rule cannot be followed.
    #[arg(long)]
    pub(crate) reason: String,
    /// Who approved the exception.
    #[arg(long)]
    pub(crate) approver: String,
    /// When it was approved (2026-04-01, 令和8年4月1日); not after today.
    #[arg(long, value_name = "DATE")]
    pub(crate) approved_on: String,
    /// The last day it is valid; none for no expiry.
    #[arg(long, value_name = "DATE")]
    pub(crate) expires_on: Option<String>,
    /// The conditions attached (routes, compensating controls).
    #[arg(long)]
    pub(crate) conditions: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ExceptionEndArgs {
    /// The exception's number.
    pub(crate) id: i64,
}

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// A built-in policy (niigata, mic-r5) or a TOML file.
    #[arg(long, default_value = "niigata")]
    pub(crate) policy: String,
}

/// Field values for `add` and `edit`; codes or Japanese labels are accepted.
#[derive(Debug, Args, Default)]
pub(crate) struct FieldArgs {
    /// ア/イ/ウ, or network_system, information, system_document.
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// The asset's name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// 管理番号: the city's own number for the asset (J-001), unique in the
    /// register; `show`, `edit` and the other commands find an asset by it.
    #[arg(long)]
    pub(crate) asset_number: Option<String>,
    /// The organization: code or name (水道局, waterworks).
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// The section (課/係).
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: Option<String>,
    /// 情報セキュリティ管理者.
    #[arg(long)]
    pub(crate) manager: Option<String>,
    /// Confidentiality level (3B, 自治体機密性3B).
    #[arg(long, short = 'c')]
    pub(crate) confidentiality: Option<String>,
    /// Integrity level (2, 完全性2).
    #[arg(long, short = 'i')]
    pub(crate) integrity: Option<String>,
    /// Availability level (2, 可用性2).
    #[arg(long, short = 'a')]
    pub(crate) availability: Option<String>,
    /// Network segment (mynumber, lgwan, internet, standalone, or the Japanese name).
    #[arg(long)]
    pub(crate) segment: Option<String>,
    /// Medium (paper, server, 紙, サーバ, ...).
    #[arg(long)]
    pub(crate) medium: Option<String>,
    /// Storage place or path.
    #[arg(long)]
    pub(crate) location: Option<String>,
    /// Holds personal information (個人情報): true/false, ○/×, 有/無.
    #[arg(long)]
    pub(crate) personal: Option<String>,
    /// Holds sensitive personal information (要配慮個人情報).
    #[arg(long)]
    pub(crate) sensitive: Option<String>,
    /// Holds personal information with My Numbers (特定個人情報).
    #[arg(long)]
    pub(crate) my_number: Option<String>,
    /// Number of people recorded (件数).
    #[arg(long)]
    pub(crate) record_count: Option<String>,
    /// Controls in place, separated by `;` or `、` (mfa;export_blocked).
    #[arg(long)]
    pub(crate) controls: Option<String>,
    /// Hosting: on_premises, outsourced, cloud (庁内, 委託, クラウド).
    #[arg(long)]
    pub(crate) hosting: Option<String>,
    /// The contractor or cloud provider (委託先).
    #[arg(long)]
    pub(crate) provider: Option<String>,
    /// The contract reference.
    #[arg(long)]
    pub(crate) contract: Option<String>,
    /// Retention: years (5, 5年), 1年未満, 常用, 永年.
    #[arg(long)]
    pub(crate) retention: Option<String>,
    /// Exclude the asset from the policy's scope for this reason (学校教育情報, ...).
    #[arg(long)]
    pub(crate) exclusion_reason: Option<String>,
    /// Date of the last review (2025-04-08, 令和7年4月8日, R7.4.8).
    #[arg(long)]
    pub(crate) reviewed_on: Option<String>,
    /// Notes (備考).
    #[arg(long)]
    pub(crate) notes: Option<String>,
    /// A city-specific attribute, KEY=VALUE; repeat for more.
    #[arg(long = "extra", value_name = "KEY=VALUE")]
    pub(crate) extra: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct AddArgs {
    #[command(flatten)]
    pub(crate) fields: FieldArgs,
    /// Use this id instead of a new one.
    #[arg(long)]
    pub(crate) id: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// The asset: id or unique name.
    pub(crate) asset: String,
    /// The version the change is based on (from `show`); a stale one is refused.
    #[arg(long)]
    pub(crate) expected_version: Option<u64>,
    #[command(flatten)]
    pub(crate) fields: FieldArgs,
    /// Clear optional fields (manager, segment, medium, location, record_count,
    /// hosting, retention, exclusion_reason, reviewed_on, notes, controls, or an extra attribute's key).
    #[arg(long, value_name = "FIELD")]
    pub(crate) unset: Vec<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// The asset: id, 管理番号 or unique name.
    pub(crate) asset: String,
    #[command(flatten)]
    pub(crate) out: OutputArgs,
}

/// The register as it stood at the end of a day, rebuilt from its audit log.
#[derive(Debug, Args)]
pub(crate) struct AsOfArgs {
    /// The register as it stood at the end of this day (local time), rebuilt
    /// from the audit log after verifying it up to then (2026-03-31, 令和8年3月31日).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,
}

/// Where a command's output goes.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Write to this file instead of stdout (CSV as UTF-8 with a BOM, which
    /// Excel opens). Files are written owner-only and renamed into place
    /// when complete; `daicho export -o FILE.xlsx` writes a workbook.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long, requires = "output")]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    #[command(flatten)]
    pub(crate) as_of: AsOfArgs,
    /// Only this organization (code or name).
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// Only this department (所属), as written.
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: Option<String>,
    /// Only this kind (ア, イ, ウ).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Only this segment.
    #[arg(long)]
    pub(crate) segment: Option<String>,
    /// Only at or above this confidentiality level.
    #[arg(long)]
    pub(crate) min_confidentiality: Option<String>,
    /// Only at or above this integrity level.
    #[arg(long)]
    pub(crate) min_integrity: Option<String>,
    /// Only at or above this availability level.
    #[arg(long)]
    pub(crate) min_availability: Option<String>,
    /// Only in-scope assets.
    #[arg(long, conflicts_with = "excluded")]
    pub(crate) in_scope: bool,
    /// Only assets excluded from the policy.
    #[arg(long)]
    pub(crate) excluded: bool,
    /// Only assets holding personal information.
    #[arg(long)]
    pub(crate) personal: bool,
    /// Only assets holding sensitive personal information.
    #[arg(long)]
    pub(crate) sensitive: bool,
    /// Only assets holding 特定個人情報.
    #[arg(long)]
    pub(crate) my_number: bool,
    /// Only assets whose name contains this text; width, case and
    /// katakana/hiragana do not matter (ｼｽﾃﾑ finds システム).
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Only assets whose manager (管理者) is this, as written.
    #[arg(long)]
    pub(crate) manager: Option<String>,
    /// Only assets last reviewed before this day, or never (令和7年4月1日, 2025-04-01).
    #[arg(long, value_name = "DATE")]
    pub(crate) reviewed_before: Option<String>,
    /// Only assets changed since the start of this day (local time).
    #[arg(long, value_name = "DATE")]
    pub(crate) updated_since: Option<String>,
    /// Include disposed assets.
    #[arg(long, conflicts_with = "only_disposed")]
    pub(crate) include_disposed: bool,
    /// Only disposed assets.
    #[arg(long)]
    pub(crate) only_disposed: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// The source asset: id or unique name.
    pub(crate) from: String,
    /// stored_on, describes, connects_to, transfers_to, copy_of.
    pub(crate) relation: String,
    /// The target asset: id or unique name.
    pub(crate) to: String,
    /// For transfers_to: none, text_conversion, screen_transfer, file_sanitization.
    #[arg(long)]
    pub(crate) sanitization: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct UnlinkArgs {
    /// The source asset: id or unique name.
    pub(crate) from: String,
    /// The relation.
    pub(crate) relation: String,
    /// The target asset: id or unique name.
    pub(crate) to: String,
}

#[derive(Debug, Args)]
pub(crate) struct DisposeArgs {
    /// The asset: id or unique name.
    pub(crate) asset: String,
    /// The date of disposal [default: today].
    #[arg(long)]
    pub(crate) date: Option<String>,
    /// Who disposed of it.
    #[arg(long = "by")]
    pub(crate) person: String,
    /// How: 物理破壊, 磁気消去, 溶解, ...
    #[arg(long)]
    pub(crate) method: Option<String>,
    /// The 情報セキュリティ管理者 who approved it.
    #[arg(long)]
    pub(crate) approver: Option<String>,
    /// The disposal certificate's reference.
    #[arg(long)]
    pub(crate) certificate: Option<String>,
    /// The version the disposal is based on; a stale one is refused.
    #[arg(long)]
    pub(crate) expected_version: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// The asset: id or unique name.
    pub(crate) asset: String,
    /// Why it is deleted (kept in the audit log).
    #[arg(long)]
    pub(crate) reason: String,
    /// Also remove the links that join it to other assets, each with an audit entry.
    #[arg(long)]
    pub(crate) with_links: bool,
}

#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// Prove entries 1..N unchanged: a head printed earlier by verify, backup, export or check.
    #[arg(long, value_name = "N:HEX", conflicts_with_all = ["against", "checkpoint"])]
    pub(crate) expect_head: Option<String>,
    /// Prove every entry of a backup unchanged in the register (the backup's head as anchor).
    #[arg(long, value_name = "BACKUP", conflicts_with = "checkpoint")]
    pub(crate) against: Option<PathBuf>,
    /// Prove the entries of a signed checkpoint unchanged (with --public-key).
    #[arg(long, value_name = "FILE", requires = "public_key")]
    pub(crate) checkpoint: Option<PathBuf>,
    /// The public key the checkpoint was signed with.
    #[arg(long, value_name = "FILE", requires = "checkpoint")]
    pub(crate) public_key: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct CheckpointArgs {
    #[command(subcommand)]
    pub(crate) action: CheckpointAction,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CheckpointAction {
    /// Verify the register, then write its head signed with a private key (ed25519).
    Sign(CheckpointSignArgs),
    /// Make a key pair: the private key (written 0600) for the signer, the public key for anyone.
    Keygen(KeygenArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CheckpointSignArgs {
    /// The private key (made by `checkpoint keygen`), kept outside the register.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,
    /// Write the checkpoint to this new file [default: stdout].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// The name the checkpoint gives the register [default: the --db path].
    #[arg(long)]
    pub(crate) origin: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct KeygenArgs {
    /// The new private key file.
    #[arg(long, value_name = "FILE")]
    pub(crate) out_private: PathBuf,
    /// The new public key file.
    #[arg(long, value_name = "FILE")]
    pub(crate) out_public: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct RedactArgs {
    /// The audit entry's number (as `history` shows it).
    pub(crate) entry: u64,
    /// The field to blank: notes, location, manager, department, provider, contract,
    /// disposed_by, disposal_method, disposal_approver, disposal_certificate or extra.
    #[arg(long)]
    pub(crate) field: String,
    /// Why the content is removed (recorded in the log).
    #[arg(long)]
    pub(crate) reason: String,
}

#[derive(Debug, Args)]
pub(crate) struct BackupArgs {
    /// The new file; an existing file is never overwritten.
    pub(crate) dest: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct MigrateArgs {
    /// The register to move [default: --db].
    #[arg(long)]
    pub(crate) from: Option<PathBuf>,
    /// The new register: a file that does not exist, or `postgres://…` naming an empty schema.
    #[arg(long)]
    pub(crate) to: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct RestoreArgs {
    /// The backup to restore (made by `daicho backup`).
    pub(crate) backup: PathBuf,
    /// Replace the register at --db when it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Args)]
pub(crate) struct PolicyArgs {
    /// What to show, or `set` to replace the register's policy.
    #[arg(value_enum, default_value_t)]
    pub(crate) section: PolicySection,
    /// For `set`: the new policy, a built-in profile (niigata, mic-r5) or a TOML file.
    #[arg(value_name = "FILE", required_if_eq("section", "set"))]
    pub(crate) file: Option<String>,
    /// Show a built-in profile or a TOML file instead of the register's policy.
    #[arg(long, conflicts_with = "file")]
    pub(crate) profile: Option<String>,
}

/// A part of the policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum PolicySection {
    /// Classification levels with their definitions.
    #[default]
    Levels,
    /// The organizations the policy applies to.
    Organizations,
    /// The handling restrictions of each level, as required controls.
    Restrictions,
    /// The controls an asset can declare.
    Controls,
    /// The reasons an asset may be outside the policy's scope.
    Exclusions,
    /// Every word each closed column accepts: codes, labels, aliases, marks
    /// (✓ レ －), yes/no words and the city's synonyms.
    Vocabulary,
    /// Replace the register's policy with FILE (an audit entry records both
    /// SHA-256s); refused, listing the assets, when any would become invalid.
    Set,
    /// Every rule of the self-inspection, with its id, severity, section and title.
    Rules,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) out: OutputArgs,
    #[command(flatten)]
    pub(crate) as_of: AsOfArgs,
    /// Exit with status 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t)]
    pub(crate) fail_on: FailOn,
    /// Count review ages to this date instead of today (2026-11-25, 令和8年11月25日).
    #[arg(long, value_name = "DATE")]
    pub(crate) today: Option<String>,
    /// Instead of checking, say which assets adding this link would raise
    /// (a transfers_to is taken as unsanitized).
    #[arg(long, num_args = 3, value_names = ["FROM", "RELATION", "TO"], conflicts_with = "what_if_class")]
    pub(crate) what_if_link: Option<Vec<String>>,
    /// Instead of checking, say which assets this reclassification would raise.
    #[arg(long, num_args = 4, value_names = ["ASSET", "C", "I", "A"])]
    pub(crate) what_if_class: Option<Vec<String>>,
    /// Do not report numbers shaped like a 個人番号 in this column, which
    /// holds other 12-digit codes (text.my_number_like); may be repeated.
    #[arg(long, value_name = "COLUMN")]
    pub(crate) allow_my_number_like: Vec<String>,
    /// Only the findings about this department's (所属) assets; levels are
    /// still inherited across the whole register.
    #[arg(long, visible_alias = "dept", conflicts_with_all = ["what_if_link", "what_if_class"])]
    pub(crate) department: Option<String>,
    /// Record this run: each finding's first and last sighting and status
    /// (see `daicho findings`); a finding no longer found is resolved on --today.
    #[arg(long, conflicts_with_all = ["what_if_link", "what_if_class", "department", "as_of"])]
    pub(crate) record: bool,
}

/// The least severe finding that fails the check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    /// Errors (違反).
    #[default]
    Error,
    /// Errors and warnings (要改善).
    Warning,
    /// Any finding.
    Info,
    /// Never: always exit 0 when the check ran.
    Never,
}

#[derive(Debug, Args)]
pub(crate) struct RiskArgs {
    #[command(subcommand)]
    pub(crate) action: Option<RiskAction>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RiskAction {
    /// List assessed risks, highest value first, and the assets not assessed (the default).
    List,
    /// Record an asset's assessment of one threat group.
    Set(RiskSetArgs),
    /// Remove an asset's assessment of one threat group.
    Unset(RiskUnsetArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RiskSetArgs {
    /// The asset: id or unique name.
    pub(crate) asset: String,
    /// The threat group: intentional, unintentional, disaster, epidemic, infrastructure.
    pub(crate) threat: String,
    /// How likely the threat is: 3 any time, 2 in specific conditions, 1 not normally.
    #[arg(value_parser = clap::value_parser!(u8).range(1..=3))]
    pub(crate) likelihood: u8,
    /// How exploitable the weakness is: 3 no countermeasure, 2 partial, 1 all in place.
    #[arg(value_parser = clap::value_parser!(u8).range(1..=3))]
    pub(crate) vulnerability: u8,
}

#[derive(Debug, Args)]
pub(crate) struct RiskUnsetArgs {
    /// The asset: id or unique name.
    pub(crate) asset: String,
    /// The threat group.
    pub(crate) threat: String,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The asset sheet: one asset per row; rows with an id update that asset.
    pub(crate) assets: Option<PathBuf>,
    /// The link sheet (from, relation, to, sanitization); ends are ids or unique names.
    #[arg(long, value_name = "FILE")]
    pub(crate) links: Option<PathBuf>,
    /// Read the files in this encoding instead of detecting it:
    /// utf-8, utf-8-sig, cp932 (shift_jis), utf-16le, utf-16be.
    #[arg(long)]
    pub(crate) encoding: Option<String>,
    /// Check every row and say what would change, without writing.
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Refuse columns that are not part of the format instead of keeping them.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Keep this column as a city's own attribute although its header looks
    /// like one of the register's columns (which is otherwise an error, so
    /// that no column is dropped silently). Repeat for several.
    #[arg(long, value_name = "HEADER")]
    pub(crate) extra_column: Vec<String>,
    /// Also list each row's outcome (created, updated, unchanged).
    #[arg(long)]
    pub(crate) rows: bool,
    /// Print at most this many errors (the count is always printed).
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub(crate) max_errors: usize,
    /// Let this column hold numbers shaped like a 個人番号 (12 digits with a
    /// valid check digit) because it holds other 12-digit codes; may be
    /// repeated. Every other cell holding one is refused.
    #[arg(long, value_name = "COLUMN")]
    pub(crate) allow_my_number_like: Vec<String>,
    /// Refuse a row larger than this many bytes [default: 1048576 (1 MiB)].
    #[arg(long, value_name = "BYTES")]
    pub(crate) max_record_bytes: Option<u64>,
    /// Revert an import (`last` or its id, from --list) in one transaction;
    /// refused, listing them, when assets it touched changed since.
    #[arg(long, value_name = "last|ID", conflicts_with_all = ["assets", "links", "dry_run", "list"])]
    pub(crate) undo: Option<String>,
    /// List the recorded imports.
    #[arg(long, conflicts_with_all = ["assets", "links", "dry_run"])]
    pub(crate) list: bool,
    /// For a workbook (.xlsx): read the assets from this sheet
    /// [default: the first sheet with a header row].
    #[arg(long, value_name = "NAME")]
    pub(crate) sheet: Option<String>,
    /// For a workbook: read the links from this sheet, of the --links
    /// workbook or else of the assets workbook; without it, the assets
    /// workbook's sheet 関連 is read when it has a link header.
    #[arg(long, value_name = "NAME")]
    pub(crate) links_sheet: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    #[command(flatten)]
    pub(crate) as_of: AsOfArgs,
    /// The asset sheet to write [default: stdout]; a name ending in .xlsx
    /// writes an Excel workbook (sheets 台帳, 関連, 点検結果, 凡例) a section
    /// can edit and import again.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Also write the links to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) links: Option<PathBuf>,
    /// Replace files that exist. Files are written owner-only and renamed into
    /// place when complete; the register's own files and symbolic links are
    /// refused even so.
    #[arg(long)]
    pub(crate) force: bool,
    /// The header row's language: Japanese headers come with Japanese values
    /// (所管 水道局, 種別 ア, ○/×), English headers with codes; by default
    /// the language of --lang (Japanese).
    #[arg(long, value_enum)]
    pub(crate) headers: Option<HeaderLang>,
    /// utf-8-sig (UTF-8 with BOM, what Excel expects) [default], utf-8, or cp932.
    #[arg(long)]
    pub(crate) encoding: Option<String>,
    /// With cp932: write `?` for characters CP932 cannot hold instead of failing.
    #[arg(long)]
    pub(crate) replace: bool,
    /// Only this organization (code or name).
    #[arg(long, visible_alias = "org")]
    pub(crate) organization: Option<String>,
    /// Only this department (所属), as written.
    #[arg(long, visible_alias = "dept")]
    pub(crate) department: Option<String>,
    /// Only this kind (ア, イ, ウ).
    #[arg(long)]
    pub(crate) kind: Option<String>,
    /// Only this segment.
    #[arg(long)]
    pub(crate) segment: Option<String>,
    /// Leave out disposed assets (they are exported by default).
    #[arg(long, conflicts_with = "only_disposed")]
    pub(crate) exclude_disposed: bool,
    /// Only disposed assets.
    #[arg(long)]
    pub(crate) only_disposed: bool,
}

/// The language of a sheet's header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum HeaderLang {
    /// English snake_case names (id, kind, name, ...) over codes.
    En,
    /// Japanese names (資産ID, 種別, 資産名, ...) over Japanese labels.
    Ja,
}
