//! Keep a small register with the library: add assets, link them, ask which
//! systems hold 特定個人情報, change one with optimistic concurrency, and
//! verify the audit trail.
//!
//! Run with `cargo run -p example-basics`; pass a path to keep the register
//! in a file instead of memory.

use daicho::{
    AssetFields, AssetName, Classification, Filter, Kind, Link, Medium, Policy, Register, Relation,
    Segment,
};

fn main() -> daicho::Result<()> {
    let policy = Policy::niigata();
    let mut register = match std::env::args_os().nth(1) {
        Some(path) => Register::create(path, &policy)?,
        None => Register::in_memory(&policy)?,
    };
    register.set_actor("情報政策課 例示")?;

    // A system in the My Number segment and the information it holds.
    let class = Classification::parse(&policy, "3B", "2", "2")?;
    let mayor = policy.organization("市長部局")?.code.clone();
    let mut system = AssetFields::new(
        Kind::NetworkSystem,
        AssetName::new("住民基本台帳システム")?,
        mayor.clone(),
        class.clone(),
    );
    system.segment = Some(Segment::MyNumber);
    system.medium = Some(Medium::Server);
    for control in ["多要素認証", "持出し不可設定"] {
        system
            .controls
            .insert(policy.control(control)?.code.clone());
    }
    let system = register.add(system)?;

    let mut records = AssetFields::new(
        Kind::Information,
        AssetName::new("住民記録データ")?,
        mayor,
        class,
    );
    records.personal_data.personal = true;
    records.personal_data.my_number = true;
    records.record_count = Some(312_540);
    let records = register.add(records)?;
    register.link(Link::new(records.id, Relation::StoredOn, system.id))?;

    // Which information holds 特定個人情報, and where is it stored?
    let holders = register.assets(&Filter {
        my_number: Some(true),
        ..Filter::default()
    })?;
    for asset in &holders {
        for link in register.links_of(asset.id)? {
            if link.from == asset.id && link.relation == Relation::StoredOn {
                let on = register.get(link.to)?;
                println!(
                    "{} ({}) is stored on {} [{}]",
                    asset.name(),
                    asset.fields.classification,
                    on.name(),
                    on.fields.segment.map_or("-", Segment::label_ja)
                );
            }
        }
    }

    // An update names the version it is based on; a stale one is a conflict.
    let mut changed = records.fields.clone();
    changed.manager = Some("市民課長".to_owned());
    let updated = register.update(records.id, records.version, changed.clone())?;
    match register.update(records.id, records.version, changed) {
        Err(err) if err.is_conflict() => println!("stale update refused: {err}"),
        other => println!("unexpected: {other:?}"),
    }
    println!("{} is at version {}", updated.name(), updated.version);

    let history = register.history(records.id)?;
    println!("{} audit entries for {}", history.len(), records.name());
    let verification = register.verify()?;
    println!(
        "audit chain intact: {} ({} entries)",
        verification.is_ok(),
        verification.chain.entries
    );
    Ok(())
}
