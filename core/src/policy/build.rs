//! Building a [`Policy`] from its file: every table checked, every spelling
//! indexed once.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

use super::file::{LevelFile, PolicyFile, ScaleFile};
use super::{
    Axis, Control, ControlCode, DisposalMethod, Exclusion, ExclusionCode, Floor, LegacyLabel,
    Level, LevelDef, Lookup, OrgCode, Organization, PersonalFact, Policy, Restriction, ReviewCycle,
    Scale, check_code, insert_unique,
};
use crate::error::{Error, Result};
use crate::text::{Localized, fold};

/// What a policy file is checked against while it is built.
struct Builder<'o> {
    origin: &'o str,
    lookup: Lookup,
}

impl Builder<'_> {
    fn invalid(&self, ja: String, en: String) -> Error {
        builder_invalid(self.origin, Localized::new(ja, en))
    }
}

/// Checks a policy file and builds the policy.
pub(super) fn policy(file: PolicyFile, origin: &str) -> Result<Policy> {
    let mut builder = Builder {
        origin,
        lookup: Lookup::default(),
    };
    let text = toml::to_string(&file).map_err(|e| {
        builder.invalid(
            format!("TOML として書き戻せません: {e}"),
            format!("cannot be written back as TOML: {e}"),
        )
    })?;
    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let organizations = builder.organizations(&file)?;
    let controls = builder.controls(&file)?;
    let exclusions = builder.exclusions(&file, &organizations)?;
    let scales = [
        builder.scale(Axis::Confidentiality, &file.confidentiality, &controls)?,
        builder.scale(Axis::Integrity, &file.integrity, &controls)?,
        builder.scale(Axis::Availability, &file.availability, &controls)?,
    ];
    if file.review_interval_days == 0 {
        return Err(builder.invalid(
            "review_interval_days は 1 以上です".to_owned(),
            "review_interval_days must be at least 1".to_owned(),
        ));
    }
    let review_cycle = match file.review_cycle.as_deref() {
        None | Some("days") => ReviewCycle::Days(file.review_interval_days),
        Some("fiscal_year") => ReviewCycle::FiscalYear,
        Some(other) => {
            return Err(builder.invalid(
                format!("review_cycle `{other}` は `days` でも `fiscal_year` でもありません"),
                format!("review_cycle `{other}` is not `days` or `fiscal_year`"),
            ));
        }
    };
    file.risk
        .validate()
        .map_err(|(ja, en)| builder.invalid(ja.to_owned(), en.to_owned()))?;
    let floors = builder.floors(&file, &scales[0])?;
    let disposal_methods = builder.disposal_methods(&file)?;
    let segment_level = |name: &str, code: &Option<String>| {
        code.as_deref()
            .map(|code| {
                find_level(&scales[0], code).ok_or_else(|| {
                    builder.invalid(
                        format!("segments.{name} が知らない格付 `{code}` を指しています"),
                        format!("segments.{name} names unknown level `{code}`"),
                    )
                })
            })
            .transpose()
    };
    let internet_max = segment_level(
        "internet_max_confidentiality",
        &file.segments.internet_max_confidentiality,
    )?;
    let transfer_error_from =
        segment_level("transfer_error_from", &file.segments.transfer_error_from)?;
    let pia = file.pia.unwrap_or_default();
    if let Some((ja, en)) = pia.problem() {
        return Err(builder.invalid(ja, en));
    }
    let words = super::words::collect(&file, &mut builder.lookup, &|ja, en| {
        builder_invalid(origin, Localized::new(ja, en))
    })?;
    Ok(Policy {
        name: file.name,
        title_ja: file.title_ja,
        title_en: file.title_en,
        version: file.version,
        review_interval_days: file.review_interval_days,
        organizations,
        controls,
        exclusions,
        scales,
        risk: file.risk,
        review_cycle,
        floors,
        disposal_methods,
        internet_max,
        transfer_error_from,
        pia,
        text,
        sha256,
        lookup: builder.lookup,
        words,
    })
}

fn builder_invalid(origin: &str, reason: Localized) -> Error {
    Error::PolicyInvalid {
        origin: origin.to_owned(),
        reason,
    }
}

impl Builder<'_> {
    fn organizations(&mut self, file: &PolicyFile) -> Result<Vec<Organization>> {
        let mut organizations = Vec::new();
        for (index, org) in file.organizations.iter().enumerate() {
            check_code(&org.code).map_err(|(ja, en)| {
                self.invalid(
                    format!("所管 `{}`: {ja}", org.code),
                    format!("organization `{}`: {en}", org.code),
                )
            })?;
            for spelling in [&org.code, &org.ja, &org.en]
                .into_iter()
                .chain(&org.aliases)
            {
                insert_unique(&mut self.lookup.organizations, spelling, index).map_err(|s| {
                    self.invalid(
                        format!("所管の書き方 `{s}` が 2 度使われています"),
                        format!("organization spelling `{s}` is used twice"),
                    )
                })?;
            }
            organizations.push(Organization {
                code: OrgCode(org.code.as_str().into()),
                ja: org.ja.clone(),
                en: org.en.clone(),
                aliases: org.aliases.clone(),
            });
        }
        if organizations.is_empty() {
            return Err(self.invalid(
                "所管が 1 つもありません".to_owned(),
                "it names no organizations".to_owned(),
            ));
        }
        Ok(organizations)
    }

    fn controls(&mut self, file: &PolicyFile) -> Result<Vec<Control>> {
        let mut controls = Vec::new();
        for (index, control) in file.controls.iter().enumerate() {
            check_code(&control.code).map_err(|(ja, en)| {
                self.invalid(
                    format!("管理策 `{}`: {ja}", control.code),
                    format!("control `{}`: {en}", control.code),
                )
            })?;
            for spelling in [&control.code, &control.ja, &control.en]
                .into_iter()
                .chain(&control.aliases)
            {
                insert_unique(&mut self.lookup.controls, spelling, index).map_err(|s| {
                    self.invalid(
                        format!("管理策の書き方 `{s}` が 2 度使われています"),
                        format!("control spelling `{s}` is used twice"),
                    )
                })?;
            }
            controls.push(Control {
                code: ControlCode(control.code.as_str().into()),
                ja: control.ja.clone(),
                en: control.en.clone(),
            });
        }
        Ok(controls)
    }

    fn exclusions(
        &mut self,
        file: &PolicyFile,
        organizations: &[Organization],
    ) -> Result<Vec<Exclusion>> {
        let mut exclusions = Vec::new();
        for (index, exclusion) in file.exclusions.iter().enumerate() {
            check_code(&exclusion.code).map_err(|(ja, en)| {
                self.invalid(
                    format!("適用除外 `{}`: {ja}", exclusion.code),
                    format!("exclusion `{}`: {en}", exclusion.code),
                )
            })?;
            for spelling in [&exclusion.code, &exclusion.ja, &exclusion.en]
                .into_iter()
                .chain(&exclusion.aliases)
            {
                insert_unique(&mut self.lookup.exclusions, spelling, index).map_err(|s| {
                    self.invalid(
                        format!("適用除外の書き方 `{s}` が 2 度使われています"),
                        format!("exclusion spelling `{s}` is used twice"),
                    )
                })?;
            }
            let mut allowed = Vec::new();
            for org in &exclusion.organizations {
                let org_index = self.lookup.organizations.get(&fold(org)).ok_or_else(|| {
                    let code = &exclusion.code;
                    self.invalid(
                        format!("適用除外 `{code}` が知らない所管 `{org}` を指しています"),
                        format!("exclusion `{code}` names unknown organization `{org}`"),
                    )
                })?;
                allowed.push(organizations[*org_index].code.clone());
            }
            exclusions.push(Exclusion {
                code: ExclusionCode(exclusion.code.as_str().into()),
                ja: exclusion.ja.clone(),
                en: exclusion.en.clone(),
                organizations: allowed,
                related_to: Vec::new(),
            });
        }
        for (index, exclusion) in file.exclusions.iter().enumerate() {
            for code in &exclusion.related_to {
                let target = file
                    .exclusions
                    .iter()
                    .find(|e| &e.code == code && e.related_to.is_empty())
                    .ok_or_else(|| {
                        let from = &exclusion.code;
                        self.invalid(
                            format!("適用除外 `{from}` の関連先 `{code}` は、それ自体の適用除外ではありません"),
                            format!("exclusion `{from}` is related to `{code}`, which is not an exclusion of its own"),
                        )
                    })?;
                exclusions[index]
                    .related_to
                    .push(ExclusionCode(target.code.as_str().into()));
            }
        }
        Ok(exclusions)
    }

    fn scale(&mut self, axis: Axis, scale: &ScaleFile, controls: &[Control]) -> Result<Scale> {
        let mut levels: Vec<&LevelFile> = scale.levels.iter().collect();
        levels.sort_by_key(|level| std::cmp::Reverse(level.rank));
        if levels.is_empty() {
            return Err(self.invalid(
                format!("{axis} に格付がありません"),
                format!("{axis} has no levels"),
            ));
        }
        if levels.windows(2).any(|w| w[0].rank == w[1].rank) {
            return Err(self.invalid(
                format!("{axis} の 2 つの格付が同じ順位です"),
                format!("two {axis} levels share a rank"),
            ));
        }
        if levels.iter().any(|l| l.rank == 0) {
            return Err(self.invalid(
                format!("{axis} の順位は 1 から始まります"),
                format!("{axis} ranks start at 1"),
            ));
        }
        let mut defs = Vec::new();
        for (index, level) in levels.into_iter().enumerate() {
            defs.push(self.level(axis, scale, index, level, controls)?);
        }
        self.check_growing(axis, &defs)?;
        let mut legacy = Vec::new();
        for old in &scale.legacy {
            // An old label must not read as a level of this scale.
            self.lookup.levels[axis_index(axis)].remove(&fold(&old.label));
            for code in &old.candidates {
                if !defs.iter().any(|d| d.level.code() == code) {
                    let label = &old.label;
                    return Err(self.invalid(
                        format!(
                            "{axis} の旧来の表記 `{label}` が知らない格付 `{code}` を指しています"
                        ),
                        format!("{axis} legacy label `{label}` names unknown level `{code}`"),
                    ));
                }
            }
            legacy.push(LegacyLabel {
                label: old.label.clone(),
                candidates: old.candidates.clone(),
            });
        }
        Ok(Scale {
            axis,
            ja: scale.ja.clone(),
            en: scale.en.clone(),
            levels: defs,
            legacy,
        })
    }

    /// Refuses restrictions that shrink as the rank rises: every
    /// restriction of a level must hold, at least as widely, at each higher
    /// level of the axis (`defs` are highest first).
    fn check_growing(&self, axis: Axis, defs: &[LevelDef]) -> Result<()> {
        for pair in defs.windows(2) {
            let (higher, lower) = (&pair[0], &pair[1]);
            for r in &lower.restrictions {
                let reach: u8 = higher
                    .restrictions
                    .iter()
                    .filter(|h| h.control == r.control)
                    .fold(0, |reach, h| reach | h.reach());
                if r.reach() & !reach != 0 {
                    let (lower, control, higher) =
                        (lower.level.code(), &r.control, higher.level.code());
                    return Err(self.invalid(
                        format!(
                            "{axis} の格付 `{lower}` は `{control}` を求めますが、上の格付 `{higher}` は求めていません。取扱制限は順位が上がるほど狭まってはいけません"
                        ),
                        format!(
                            "{axis} level `{lower}` requires `{control}` where the higher level `{higher}` does not: restrictions must not shrink as the rank rises"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn floors(&self, file: &PolicyFile, confidentiality: &Scale) -> Result<Vec<Floor>> {
        let mut floors = Vec::new();
        for floor in &file.floors {
            let fact = PersonalFact::parse(&floor.fact).ok_or_else(|| {
                let fact = &floor.fact;
                self.invalid(
                    format!("floor の fact `{fact}` は `personal`、`sensitive`、`my_number` のどれでもありません"),
                    format!("floor fact `{fact}` is not `personal`, `sensitive` or `my_number`"),
                )
            })?;
            let level = find_level(confidentiality, &floor.confidentiality).ok_or_else(|| {
                let (fact, level) = (&floor.fact, &floor.confidentiality);
                self.invalid(
                    format!("`{fact}` の floor が知らない格付 `{level}` を指しています"),
                    format!("floor for `{fact}` names unknown level `{level}`"),
                )
            })?;
            floors.push(Floor {
                fact,
                min_records: floor.min_records,
                level,
                ja: floor.ja.clone(),
                en: floor.en.clone(),
            });
        }
        Ok(floors)
    }

    fn disposal_methods(&mut self, file: &PolicyFile) -> Result<Vec<DisposalMethod>> {
        let mut methods = Vec::new();
        for (index, method) in file.disposal_methods.iter().enumerate() {
            check_code(&method.code).map_err(|(ja, en)| {
                self.invalid(
                    format!("廃棄方法 `{}`: {ja}", method.code),
                    format!("disposal method `{}`: {en}", method.code),
                )
            })?;
            for spelling in [&method.code, &method.ja, &method.en]
                .into_iter()
                .chain(&method.aliases)
            {
                insert_unique(&mut self.lookup.disposal_methods, spelling, index).map_err(|s| {
                    self.invalid(
                        format!("廃棄方法の書き方 `{s}` が 2 度使われています"),
                        format!("disposal method spelling `{s}` is used twice"),
                    )
                })?;
            }
            methods.push(DisposalMethod {
                code: method.code.clone(),
                ja: method.ja.clone(),
                en: method.en.clone(),
                outsourced: method.outsourced,
            });
        }
        Ok(methods)
    }

    fn level(
        &mut self,
        axis: Axis,
        scale: &ScaleFile,
        index: usize,
        level: &LevelFile,
        controls: &[Control],
    ) -> Result<LevelDef> {
        if level.code.trim().is_empty() || level.code.contains(char::is_whitespace) {
            let code = &level.code;
            return Err(self.invalid(
                format!("{axis} の格付のコード `{code}` は空白のない 1 語です"),
                format!("{axis} level code `{code}` must be one word"),
            ));
        }
        if !(1..=3).contains(&level.importance) {
            let (code, importance) = (&level.code, level.importance);
            return Err(self.invalid(
                format!("{axis} の格付 `{code}` の重要度 {importance} が 1〜3 の外です"),
                format!("{axis} level `{code}` has importance {importance}, outside 1–3"),
            ));
        }
        let prefixed = format!("{}{}", axis.letter(), level.code);
        let named = format!("{}{}", scale.ja, level.code);
        let lookup: &mut HashMap<String, usize> = &mut self.lookup.levels[axis_index(axis)];
        for spelling in [&level.code, &level.ja, &level.en, &prefixed, &named]
            .into_iter()
            .chain(&level.aliases)
        {
            if let Err(s) = insert_unique(lookup, spelling, index) {
                return Err(self.invalid(
                    format!("{axis} の格付の書き方 `{s}` が 2 度使われています"),
                    format!("{axis} level spelling `{s}` is used twice"),
                ));
            }
        }
        let mut restrictions = Vec::new();
        for r in &level.restrictions {
            let control = controls
                .iter()
                .find(|c| c.code.as_str() == r.control)
                .ok_or_else(|| {
                    let (code, control) = (&level.code, &r.control);
                    self.invalid(
                        format!(
                            "{axis} の格付 `{code}` が知らない管理策 `{control}` を求めています"
                        ),
                        format!("{axis} level `{code}` requires unknown control `{control}`"),
                    )
                })?;
            restrictions.push(Restriction {
                control: control.code.clone(),
                ja: r.ja.clone(),
                en: r.en.clone(),
                electronic_only: r.electronic_only,
                network_only: r.network_only,
                paper_only: r.paper_only,
            });
            if r.paper_only && (r.electronic_only || r.network_only) {
                let (code, control) = (&level.code, &r.control);
                return Err(self.invalid(
                    format!(
                        "{axis} の格付 `{code}`: `{control}` の取扱制限は paper_only と electronic_only・network_only を兼ねられません"
                    ),
                    format!(
                        "{axis} level `{code}`: a restriction on `{control}` cannot be both paper_only and electronic_only or network_only"
                    ),
                ));
            }
        }
        Ok(LevelDef {
            level: Level {
                axis,
                rank: level.rank,
                code: level.code.as_str().into(),
            },
            ja: level.ja.clone(),
            en: level.en.clone(),
            definition_ja: level.definition_ja.clone(),
            definition_en: level.definition_en.clone(),
            importance: level.importance,
            paraphrased: level.paraphrased,
            restrictions,
        })
    }
}

/// The level of a scale with this code.
fn find_level(scale: &Scale, code: &str) -> Option<Level> {
    scale
        .levels
        .iter()
        .find(|d| d.level.code() == code)
        .map(|d| d.level.clone())
}

/// The position of an axis's scale in the policy's arrays.
fn axis_index(axis: Axis) -> usize {
    match axis {
        Axis::Confidentiality => 0,
        Axis::Integrity => 1,
        Axis::Availability => 2,
    }
}
