//! New ids for the rows of an import: time-ordered, without a system call
//! each.

use crate::model::AssetId;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_distinct_and_ordered() {
        let mut ids = Ids::new();
        let made: Vec<AssetId> = (0..10_000).map(|_| ids.next()).collect();
        assert!(made.windows(2).all(|w| w[0] < w[1]));
        assert!(made.iter().all(|id| id.as_uuid().get_version_num() == 7));
    }
}
