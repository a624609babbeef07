//! Loading a city's policy file: any text gives a policy or an error, never
//! a panic; a policy that loads, loads again from its own text alike.

#![no_main]

use daicho::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(policy) = Policy::from_toml(text, "fuzz") {
        let again = Policy::from_toml(policy.to_toml(), "fuzz again").expect("a policy reloads");
        assert_eq!(again.sha256(), policy.sha256());
    }
});
