//! The per-row work of a large import, made cheap: time-ordered ids without
//! a system call each, and the audit log's JSON written from borrowed fields.

use serde::Serialize;

use crate::model::{Asset, AssetId, Retention};

/// Makes `UUIDv7` ids (RFC 9562 §6.2, method 1): the Unix time in
/// milliseconds, a 12-bit counter for ids made in the same millisecond, and
/// 62 random bits from a generator seeded once from the system's randomness.
///
/// Ids made one after another sort in that order, so a bulk import appends
/// to the id index instead of inserting all over it.
#[derive(Debug)]
pub(crate) struct Ids {
    millis: u64,
    counter: u16,
    state: u64,
}

impl Ids {
    pub(crate) fn new() -> Ids {
        let seed = AssetId::generate();
        let bytes = seed.as_bytes();
        let mut state = u64::from_le_bytes([
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15],
        ]);
        if state == 0 {
            state = 0x9E37_79B9_7F4A_7C15;
        }
        Ids {
            millis: 0,
            counter: 0,
            state,
        }
    }

    fn random(&mut self) -> u64 {
        // xorshift64*: fast and good enough for the random tail of an id.
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn next(&mut self) -> AssetId {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        if now > self.millis {
            self.millis = now;
            self.counter = 0;
        } else if self.counter >= 0x0FFF {
            // The counter ran out within one millisecond: borrow the next one.
            self.millis += 1;
            self.counter = 0;
        } else {
            self.counter += 1;
        }
        let random = self.random().to_be_bytes();
        let mut tail = [0u8; 10];
        tail[0] = (self.counter >> 8) as u8;
        tail[1] = (self.counter & 0xFF) as u8;
        tail[2..].copy_from_slice(&random);
        let uuid = uuid::Builder::from_unix_timestamp_millis(self.millis, &tail).into_uuid();
        // A v7 UUID is never nil.
        AssetId::from_uuid(uuid).unwrap_or_else(|_| AssetId::generate())
    }
}

/// [`crate::record::AssetRecord`] borrowing from an asset: the same JSON
/// (checked by a test), without copying every string first.
#[derive(Serialize)]
struct RecordView<'a> {
    id: &'a str,
    kind: &'a str,
    name: &'a str,
    organization: &'a str,
    department: &'a str,
    manager: Option<&'a str>,
    confidentiality: &'a str,
    integrity: &'a str,
    availability: &'a str,
    segment: Option<&'a str>,
    medium: Option<&'a str>,
    location: Option<&'a str>,
    personal: bool,
    sensitive: bool,
    my_number: bool,
    record_count: Option<u64>,
    controls: Vec<&'a str>,
    hosting: Option<&'a str>,
    provider: Option<&'a str>,
    contract: Option<&'a str>,
    retention: Option<String>,
    exclusion_reason: Option<&'a str>,
    reviewed_on: Option<String>,
    disposed_on: Option<String>,
    disposed_by: Option<&'a str>,
    disposal_method: Option<&'a str>,
    disposal_approver: Option<&'a str>,
    disposal_certificate: Option<&'a str>,
    notes: Option<&'a str>,
    extra: Vec<(&'a str, &'a str)>,
    version: u64,
    created_at: &'a str,
    updated_at: &'a str,
}

/// The audit JSON of a new asset, whose two timestamps are both `at`
/// (already formatted); identical to `to_json(&AssetRecord::from(asset))`.
pub(crate) fn created_json(asset: &Asset, at: &str) -> String {
    let f = &asset.fields;
    let mut id = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let id = asset.id.as_uuid().hyphenated().encode_lower(&mut id);
    let hosting = f.hosting.as_ref();
    let disposal = f.disposal.as_ref();
    let view = RecordView {
        id,
        kind: f.kind.code(),
        name: f.name.as_str(),
        organization: f.organization.as_str(),
        department: &f.department,
        manager: f.manager.as_deref(),
        confidentiality: f.classification.confidentiality.code(),
        integrity: f.classification.integrity.code(),
        availability: f.classification.availability.code(),
        segment: f.segment.map(crate::model::Segment::code),
        medium: f.medium.map(crate::model::Medium::code),
        location: f.location.as_deref(),
        personal: f.personal_data.personal,
        sensitive: f.personal_data.sensitive,
        my_number: f.personal_data.my_number,
        record_count: f.record_count,
        controls: f
            .controls
            .iter()
            .map(crate::policy::ControlCode::as_str)
            .collect(),
        hosting: hosting.map(|h| h.kind.code()),
        provider: hosting.and_then(|h| h.provider.as_deref()),
        contract: hosting.and_then(|h| h.contract.as_deref()),
        retention: f.retention.map(Retention::code),
        exclusion_reason: f
            .scope
            .exclusion()
            .map(crate::policy::ExclusionCode::as_str),
        reviewed_on: f.reviewed_on.map(|d| d.to_string()),
        disposed_on: disposal.map(|d| d.date.to_string()),
        disposed_by: disposal.map(|d| d.person.as_str()),
        disposal_method: disposal.and_then(|d| d.method.as_deref()),
        disposal_approver: disposal.and_then(|d| d.approver.as_deref()),
        disposal_certificate: disposal.and_then(|d| d.certificate.as_deref()),
        notes: f.notes.as_deref(),
        extra: f.extra.iter().collect(),
        version: asset.version,
        created_at: at,
        updated_at: at,
    };
    // Serializing borrowed strings, booleans and numbers cannot fail.
    serde_json::to_string(&view).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{AssetRecord, to_json};

    #[test]
    fn ids_are_v7_distinct_and_ordered() {
        let mut ids = Ids::new();
        let made: Vec<AssetId> = (0..10_000).map(|_| ids.next()).collect();
        assert!(made.windows(2).all(|w| w[0] < w[1]));
        assert!(made.iter().all(|id| id.as_uuid().get_version_num() == 7));
    }

    #[test]
    fn the_view_writes_the_records_json() {
        let mut register = crate::Register::in_memory(&crate::Policy::niigata()).unwrap();
        let sheet = "資産名,種別,所管,機密性,完全性,可用性,管理策,運用形態,委託先,保存期間,点検日,廃棄日,廃棄担当者,備考,調達年度\r\n\
                     住民記録,イ,mayor,3B,2,2,mfa;backup,委託,㈱みなと,5年,R7.4.8,2025-05-01,山田,\"メモ \"\"引用\"\"\n改行\",R5\r\n\
                     最小,ア,fire,1,1,1,,,,,,,,,\r\n";
        register
            .import_assets(sheet.as_bytes(), &crate::sheet::ImportOptions::default())
            .unwrap();
        for asset in register
            .assets(&crate::Filter {
                disposed: crate::Disposed::Include,
                ..crate::Filter::default()
            })
            .unwrap()
        {
            assert_eq!(
                created_json(&asset, &asset.created_at.to_string()),
                to_json(&AssetRecord::from(&asset))
            );
        }
    }
}
