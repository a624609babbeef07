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
use crate::text::fold;

/// What a policy file is checked against while it is built.
struct Builder<'o> {
    origin: &'o str,
    lookup: Lookup,
}

impl Builder<'_> {
    fn invalid(&self, reason: String) -> Error {
        Error::PolicyInvalid {
            origin: self.origin.to_owned(),
            reason,
        }
    }
}

/// Checks a policy file and builds the policy.
pub(super) fn policy(file: PolicyFile, origin: &str) -> Result<Policy> {
    let mut builder = Builder {
        origin,
        lookup: Lookup::default(),
    };
    let text = toml::to_string(&file)
        .map_err(|e| builder.invalid(format!("cannot be written back as TOML: {e}")))?;
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
        return Err(builder.invalid("review_interval_days must be at least 1".to_owned()));
    }
    let review_cycle = match file.review_cycle.as_deref() {
        None | Some("days") => ReviewCycle::Days(file.review_interval_days),
        Some("fiscal_year") => ReviewCycle::FiscalYear,
        Some(other) => {
            return Err(builder.invalid(format!(
                "review_cycle `{other}` is not `days` or `fiscal_year`"
            )));
        }
    };
    file.risk.validate().map_err(|r| builder.invalid(r))?;
    let floors = builder.floors(&file, &scales[0])?;
    let disposal_methods = builder.disposal_methods(&file)?;
    let segment_level = |name: &str, code: &Option<String>| {
        code.as_deref()
            .map(|code| {
                find_level(&scales[0], code).ok_or_else(|| {
                    builder.invalid(format!("segments.{name} names unknown level `{code}`"))
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
    let words = super::words::collect(&file, &mut builder.lookup, &|reason| {
        builder_invalid(origin, reason)
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
        text,
        sha256,
        lookup: builder.lookup,
        words,
    })
}

fn builder_invalid(origin: &str, reason: String) -> Error {
    Error::PolicyInvalid {
        origin: origin.to_owned(),
        reason,
    }
}

impl Builder<'_> {
    fn organizations(&mut self, file: &PolicyFile) -> Result<Vec<Organization>> {
        let mut organizations = Vec::new();
        for (index, org) in file.organizations.iter().enumerate() {
            check_code(&org.code)
                .map_err(|r| self.invalid(format!("organization `{}`: {r}", org.code)))?;
            for spelling in [&org.code, &org.ja, &org.en]
                .into_iter()
                .chain(&org.aliases)
            {
                insert_unique(&mut self.lookup.organizations, spelling, index).map_err(|s| {
                    self.invalid(format!("organization spelling `{s}` is used twice"))
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
            return Err(self.invalid("it names no organizations".to_owned()));
        }
        Ok(organizations)
    }

    fn controls(&mut self, file: &PolicyFile) -> Result<Vec<Control>> {
        let mut controls = Vec::new();
        for (index, control) in file.controls.iter().enumerate() {
            check_code(&control.code)
                .map_err(|r| self.invalid(format!("control `{}`: {r}", control.code)))?;
            for spelling in [&control.code, &control.ja, &control.en]
                .into_iter()
                .chain(&control.aliases)
            {
                insert_unique(&mut self.lookup.controls, spelling, index)
                    .map_err(|s| self.invalid(format!("control spelling `{s}` is used twice")))?;
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
            check_code(&exclusion.code)
                .map_err(|r| self.invalid(format!("exclusion `{}`: {r}", exclusion.code)))?;
            for spelling in [&exclusion.code, &exclusion.ja, &exclusion.en]
                .into_iter()
                .chain(&exclusion.aliases)
            {
                insert_unique(&mut self.lookup.exclusions, spelling, index)
                    .map_err(|s| self.invalid(format!("exclusion spelling `{s}` is used twice")))?;
            }
            let mut allowed = Vec::new();
            for org in &exclusion.organizations {
                let org_index = self.lookup.organizations.get(&fold(org)).ok_or_else(|| {
                    self.invalid(format!(
                        "exclusion `{}` names unknown organization `{org}`",
                        exclusion.code
                    ))
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
                        self.invalid(format!(
                            "exclusion `{}` is related to `{code}`, which is not an exclusion of its own",
                            exclusion.code
                        ))
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
            return Err(self.invalid(format!("{axis} has no levels")));
        }
        if levels.windows(2).any(|w| w[0].rank == w[1].rank) {
            return Err(self.invalid(format!("two {axis} levels share a rank")));
        }
        if levels.iter().any(|l| l.rank == 0) {
            return Err(self.invalid(format!("{axis} ranks start at 1")));
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
                    return Err(self.invalid(format!(
                        "{axis} legacy label `{}` names unknown level `{code}`",
                        old.label
                    )));
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
                    return Err(self.invalid(format!(
                        "{axis} level `{}` requires `{}` where the higher level `{}` does not: restrictions must not shrink as the rank rises",
                        lower.level.code(),
                        r.control,
                        higher.level.code()
                    )));
                }
            }
        }
        Ok(())
    }

    fn floors(&self, file: &PolicyFile, confidentiality: &Scale) -> Result<Vec<Floor>> {
        let mut floors = Vec::new();
        for floor in &file.floors {
            let fact = PersonalFact::parse(&floor.fact).ok_or_else(|| {
                self.invalid(format!(
                    "floor fact `{}` is not `personal`, `sensitive` or `my_number`",
                    floor.fact
                ))
            })?;
            let level = find_level(confidentiality, &floor.confidentiality).ok_or_else(|| {
                self.invalid(format!(
                    "floor for `{}` names unknown level `{}`",
                    floor.fact, floor.confidentiality
                ))
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
            check_code(&method.code)
                .map_err(|r| self.invalid(format!("disposal method `{}`: {r}", method.code)))?;
            for spelling in [&method.code, &method.ja, &method.en]
                .into_iter()
                .chain(&method.aliases)
            {
                insert_unique(&mut self.lookup.disposal_methods, spelling, index).map_err(|s| {
                    self.invalid(format!("disposal method spelling `{s}` is used twice"))
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
            return Err(self.invalid(format!(
                "{axis} level code `{}` must be one word",
                level.code
            )));
        }
        if !(1..=3).contains(&level.importance) {
            return Err(self.invalid(format!(
                "{axis} level `{}` has importance {}, outside 1–3",
                level.code, level.importance
            )));
        }
        let prefixed = format!("{}{}", axis.letter(), level.code);
        let named = format!("{}{}", scale.ja, level.code);
        let lookup: &mut HashMap<String, usize> = &mut self.lookup.levels[axis_index(axis)];
        for spelling in [&level.code, &level.ja, &level.en, &prefixed, &named]
            .into_iter()
            .chain(&level.aliases)
        {
            if let Err(s) = insert_unique(lookup, spelling, index) {
                return Err(self.invalid(format!("{axis} level spelling `{s}` is used twice")));
            }
        }
        let mut restrictions = Vec::new();
        for r in &level.restrictions {
            let control = controls
                .iter()
                .find(|c| c.code.as_str() == r.control)
                .ok_or_else(|| {
                    self.invalid(format!(
                        "{axis} level `{}` requires unknown control `{}`",
                        level.code, r.control
                    ))
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
                return Err(self.invalid(format!(
                    "{axis} level `{}`: a restriction on `{}` cannot be both paper_only and electronic_only or network_only",
                    level.code, r.control
                )));
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
