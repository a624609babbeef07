//! Rendering: tables for humans, JSON and CSV for computers. Everything here
//! writes to stdout; diagnostics go to stderr elsewhere.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use daicho::{Asset, AssetRecord, Policy};

use crate::args::{Format, Lang};

/// Rows with headers, printable in any format.
pub(crate) struct Rows {
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
}

impl Rows {
    pub(crate) fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Rows {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn push<S: Into<String>>(&mut self, row: impl IntoIterator<Item = S>) {
        self.rows.push(row.into_iter().map(Into::into).collect());
    }
}

/// Prints rows as a table or CSV, or `json` for `--format json`.
pub(crate) fn emit(format: Format, rows: &Rows, json: &serde_json::Value) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        Format::Table => {
            let mut table = Table::new();
            table
                .load_style(presets::ASCII_MARKDOWN)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(&rows.headers);
            for row in &rows.rows {
                table.add_row(row);
            }
            writeln!(out, "{table}")?;
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(&mut out);
            writer.write_record(&rows.headers)?;
            for row in &rows.rows {
                writer.write_record(row)?;
            }
            writer.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, json)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Prints one line of text on stdout (for short confirmations in table format).
pub(crate) fn line(text: &str) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    Ok(())
}

/// Picks the label for the chosen language.
pub(crate) fn pick<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// "○" or "" in Japanese tables, "yes" or "" in English ones.
pub(crate) fn flag(lang: Lang, value: bool) -> &'static str {
    match (value, lang) {
        (false, _) => "",
        (true, Lang::Ja) => "○",
        (true, Lang::En) => "yes",
    }
}

/// The list of assets as rows.
pub(crate) fn asset_rows(policy: &Policy, lang: Lang, assets: &[Asset]) -> Rows {
    let mut rows = Rows::new(match lang {
        Lang::Ja => [
            "資産ID",
            "種別",
            "資産名",
            "所管",
            "所属",
            "機密性",
            "完全性",
            "可用性",
            "ネットワーク区分",
            "特定個人情報",
            "適用除外",
            "点検日",
        ],
        Lang::En => [
            "id",
            "kind",
            "name",
            "organization",
            "department",
            "C",
            "I",
            "A",
            "segment",
            "my number",
            "excluded",
            "reviewed",
        ],
    });
    for asset in assets {
        let f = &asset.fields;
        rows.push([
            asset.id.to_string(),
            pick(lang, f.kind.letter(), f.kind.label_en()).to_owned(),
            f.name.to_string(),
            pick(
                lang,
                policy.organization_ja(&f.organization),
                policy.organization_en(&f.organization),
            )
            .to_owned(),
            f.department.clone(),
            f.classification.confidentiality.code().to_owned(),
            f.classification.integrity.code().to_owned(),
            f.classification.availability.code().to_owned(),
            f.segment
                .map(|s| pick(lang, s.label_ja(), s.label_en()).to_owned())
                .unwrap_or_default(),
            flag(lang, f.personal_data.my_number).to_owned(),
            exclusion_label(policy, lang, asset),
            f.reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    rows
}

/// The exclusion reason's label, or empty when in scope.
pub(crate) fn exclusion_label(policy: &Policy, lang: Lang, asset: &Asset) -> String {
    asset
        .fields
        .scope
        .exclusion()
        .map(|code| {
            policy
                .exclusions()
                .iter()
                .find(|e| &e.code == code)
                .map_or(code.as_str(), |e| pick(lang, &e.ja, &e.en))
                .to_owned()
        })
        .unwrap_or_default()
}

/// The list of assets as JSON records.
pub(crate) fn assets_json(assets: &[Asset]) -> serde_json::Value {
    serde_json::Value::Array(assets.iter().map(asset_json).collect())
}

/// One asset as a JSON record.
pub(crate) fn asset_json(asset: &Asset) -> serde_json::Value {
    serde_json::to_value(AssetRecord::from(asset)).unwrap_or(serde_json::Value::Null)
}
