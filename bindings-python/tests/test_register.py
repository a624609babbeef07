"""Creating, opening, reading and changing a register through `daicho.Register`."""

from __future__ import annotations

import datetime
import threading
import uuid
from pathlib import Path

import pytest
from conftest import Location, add_system, execute

import daicho


def test_create_then_open_keeps_the_assets(location: Location) -> None:
    with daicho.Register.create(location) as register:
        added = add_system(register)
    with daicho.Register.open(str(location)) as register:
        assert register.get(added.id) == added
        if isinstance(location, Path):
            assert (register.path, register.url) == (location, None)
            assert repr(register) == f"Register('{location}')"
        else:
            assert (register.path, register.url) == (None, location)
            # The query holds options, not the register's name.
            assert repr(register) == f"Register('{location.split('?')[0]}')"


def test_read_only_open_lists_and_refuses_changes(location: Location) -> None:
    with daicho.Register.create(location) as register:
        add_system(register)
    with daicho.Register.open(location, read_only=True) as register:
        assert [a.name for a in register.assets()] == ["文書管理システム"]
        with pytest.raises(daicho.DaichoError):
            add_system(register, name="別のシステム")
    with daicho.Register.open(location) as register:
        assert [a.name for a in register.assets()] == ["文書管理システム"]
        assert register.verify()


def test_create_with_another_built_in_policy(location: Location) -> None:
    with daicho.Register.create(location, policy="mic-r5") as register:
        assert register.policy.name == "mic-r5"
        assert register.policy.levels["confidentiality"] == ["3", "2", "1"]


def test_create_with_a_policy_file(location: Location, tmp_path: Path) -> None:
    policy = tmp_path / "city.toml"
    policy.write_text(
        'extends = "niigata"\nname = "city"\ntitle_ja = "市"\ntitle_en = "City"\n'
        'version = "1"\n',
        encoding="utf-8",
    )
    with daicho.Register.create(location, policy=policy) as register:
        assert register.policy.name == "city"


def test_the_policy_describes_organizations_and_levels(
    register: daicho.Register,
) -> None:
    policy = register.policy
    assert policy.name == "niigata"
    assert policy.organizations[0] == ("mayor", "市長部局", policy.organizations[0][2])
    assert "水道局" in [ja for _, ja, _ in policy.organizations]
    assert policy.levels["confidentiality"] == ["3A", "3B", "3C", "2", "1"]
    assert policy.levels["integrity"] == ["2", "1"]
    assert ("mfa", "多要素認証") == policy.controls[0][:2]
    assert [code for code, _, _ in policy.exclusions] == [
        "school_education",
        "hospital_medical",
        "related",
    ]
    assert len(policy.sha256) == 64
    assert 'name = "niigata"' in policy.to_toml()
    assert daicho.BUILT_IN_POLICIES[0] == "niigata"


def test_add_accepts_codes_in_the_forms_staff_write(register: daicho.Register) -> None:
    asset = register.add(
        kind="ア",
        name="  住民記録システム ",
        organization="市長部局",
        department="市民課",
        manager="市民課長",
        confidentiality="自治体機密性3A",
        integrity=2,
        availability="可用性2",
        segment="マイナンバー利用事務系",
        medium="サーバー",
        location="庁舎サーバ室",
        personal=True,
        my_number=True,
        record_count=812_000,
        controls=["mfa", "持出し不可設定"],
        hosting="委託",
        provider="株式会社○○",
        contract="R7-001",
        retention="常用",
        reviewed_on="令和7年4月8日",
        notes="基幹系",
        extra={"台帳番号": "A-001", "system_code": "JK"},
    )
    assert isinstance(asset.id, uuid.UUID)
    assert asset.kind == "network_system"
    assert asset.name == "住民記録システム"
    assert asset.organization == "mayor"
    assert asset.department == "市民課"
    assert asset.manager == "市民課長"
    assert (asset.confidentiality, asset.integrity, asset.availability) == ("3A", "2", "2")
    assert asset.classification == "C3A-I2-A2"
    assert asset.segment == "mynumber"
    assert asset.medium == "server"
    assert asset.location == "庁舎サーバ室"
    assert (asset.personal, asset.sensitive, asset.my_number) == (True, False, True)
    assert asset.record_count == 812_000
    assert asset.controls == ("export_blocked", "mfa")
    assert (asset.hosting, asset.provider, asset.contract) == (
        "outsourced",
        "株式会社○○",
        "R7-001",
    )
    assert asset.retention == "permanent"
    assert asset.in_scope and asset.exclusion_reason is None
    assert asset.reviewed_on == datetime.date(2025, 4, 8)
    assert asset.notes == "基幹系"
    assert asset.extra == {"台帳番号": "A-001", "system_code": "JK"}
    assert list(asset.extra) == ["台帳番号", "system_code"]
    assert asset.version == 1
    assert asset.created_at.tzinfo is not None
    assert asset.created_at.utcoffset() == datetime.timedelta(0)
    assert not asset.disposed and asset.disposed_on is None


def test_add_with_a_given_id(register: daicho.Register) -> None:
    given = uuid.UUID("0190f5a2-7c4e-7d3a-9b1e-2f6c8a4d5e60")
    asset = add_system(register, id=given)
    assert asset.id == given
    assert register.get(str(given)) == asset


def test_controls_may_be_one_text_cell(register: daicho.Register) -> None:
    asset = add_system(register, controls="mfa; 暗号化")
    assert asset.controls == ("encryption", "mfa")


def test_excluded_asset(register: daicho.Register) -> None:
    asset = add_system(
        register, name="校務支援システム", organization="教育委員会", exclusion_reason="学校教育情報"
    )
    assert not asset.in_scope
    assert asset.exclusion_reason == "school_education"


def test_get_by_id_text_uuid_asset_or_unique_name(register: daicho.Register) -> None:
    asset = add_system(register)
    assert register.get(asset.id) == asset
    assert register.get(str(asset.id)) == asset
    assert register.get(asset) == asset
    assert register.get("文書管理システム") == asset


def test_asset_repr_and_equality(register: daicho.Register) -> None:
    asset = add_system(register, name="O'Brien's file")
    assert repr(asset) == (
        f"Asset(id='{asset.id}', name=\"O'Brien's file\", kind='network_system', "
        "organization='mayor', classification='C3B-I2-A2', version=1)"
    )
    same = register.get(asset.id)
    assert same == asset and same is not asset
    assert hash(same) == hash(asset)
    assert len({asset, same}) == 1
    other = add_system(register, name="別のシステム")
    assert other != asset
    assert asset != "文書管理システム"


def test_update_changes_only_the_given_fields(register: daicho.Register) -> None:
    asset = add_system(register, manager="総務課長", notes="メモ")
    updated = register.update(
        asset.id,
        expected_version=1,
        name="文書管理システム（新）",
        confidentiality="3A",
        manager=None,
        my_number=True,
    )
    assert updated.version == 2
    assert updated.name == "文書管理システム（新）"
    assert updated.confidentiality == "3A"
    assert updated.manager is None
    assert updated.my_number
    assert updated.notes == "メモ"
    assert updated.created_at == asset.created_at
    assert register.get(asset.id) == updated


def test_update_without_a_difference_keeps_the_version(register: daicho.Register) -> None:
    asset = add_system(register)
    same = register.update(asset.id, expected_version=1, name=asset.name)
    assert same == asset
    assert len(register.history(asset.id)) == 1


def test_update_hosting_keeps_provider_until_cleared(register: daicho.Register) -> None:
    asset = add_system(register, hosting="cloud", provider="A社", contract="C-1")
    moved = register.update(asset, expected_version=1, hosting="outsourced")
    assert (moved.hosting, moved.provider, moved.contract) == ("outsourced", "A社", "C-1")
    cleared = register.update(asset, expected_version=2, hosting=None)
    assert (cleared.hosting, cleared.provider, cleared.contract) == (None, None, None)


def test_update_rejects_unknown_keywords(register: daicho.Register) -> None:
    asset = add_system(register)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        register.update(asset.id, expected_version=1, colour="red")  # type: ignore[call-arg]


def test_update_refuses_none_for_a_required_field(register: daicho.Register) -> None:
    asset = add_system(register)
    with pytest.raises(TypeError, match="`name` is required"):
        register.update(asset.id, expected_version=1, name=None)  # type: ignore[arg-type]


def test_dispose_records_the_disposal(register: daicho.Register) -> None:
    asset = add_system(register)
    disposed = register.dispose(
        asset.id,
        expected_version=1,
        date=datetime.date(2025, 3, 31),
        person="情報政策課 佐藤",
        method="物理破壊",
        approver="情報政策課長",
        certificate="CERT-9",
    )
    assert disposed.disposed
    assert disposed.disposed_on == datetime.date(2025, 3, 31)
    assert disposed.disposed_by == "情報政策課 佐藤"
    assert disposed.disposal_method == "物理破壊"
    assert disposed.disposal_approver == "情報政策課長"
    assert disposed.disposal_certificate == "CERT-9"
    assert disposed.version == 2
    assert "disposed=True" in repr(disposed)
    assert register.assets() == []
    assert register.assets(disposed="only") == [disposed]
    assert register.assets(disposed="include") == [disposed]


def test_dispose_accepts_an_era_date(register: daicho.Register) -> None:
    asset = add_system(register)
    disposed = register.dispose(asset, expected_version=1, date="R7.3.31", person="佐藤")
    assert disposed.disposed_on == datetime.date(2025, 3, 31)


def test_link_and_unlink_by_name_id_or_asset(register: daicho.Register) -> None:
    system = add_system(register, name="住民記録システム", segment="mynumber")
    data = add_system(register, kind="イ", name="住民票データ", my_number=True)
    other = add_system(register, name="宛名システム", segment="mynumber")
    register.link("住民票データ", "stored_on", system)
    register.link(system.id, "転送", str(other.id), sanitization="none")
    assert register.summary()["links"] == 2
    register.unlink(data, "stored_on", "住民記録システム")
    assert register.summary()["links"] == 1
    actions = [entry.action for entry in register.history(system)]
    assert actions == ["create", "link", "link", "unlink"]


def test_assets_filters(register: daicho.Register) -> None:
    mayor = add_system(register, name="住民記録システム", segment="mynumber", my_number=True)
    water = add_system(
        register,
        name="水道料金システム",
        organization="水道局",
        confidentiality="2",
        segment="LGWAN接続系",
        personal=True,
    )
    paper = add_system(
        register, kind="イ", name="申請書", medium="紙", confidentiality="3A", sensitive=True
    )
    school = add_system(
        register, name="校務システム", organization="education", exclusion_reason="school_education"
    )
    assert register.assets() == [mayor, paper, school, water]
    assert register.assets(organization="水道局") == [water]
    assert register.assets(organization="waterworks") == [water]
    assert register.assets(kind="イ") == [paper]
    assert register.assets(segment="lgwan") == [water]
    assert register.assets(min_confidentiality="3B") == [mayor, paper, school]
    assert register.assets(min_confidentiality="自治体機密性3A") == [paper]
    assert register.assets(min_integrity=2) == [mayor, paper, school, water]
    assert register.assets(in_scope=False) == [school]
    assert register.assets(in_scope=True, my_number=True) == [mayor]
    assert register.assets(personal=True) == [water]
    assert register.assets(sensitive=True) == [paper]
    assert register.assets(my_number=False, name_contains="システム") == [school, water]


def test_history_entries(register: daicho.Register) -> None:
    asset = add_system(register)
    register.actor = "市民課 鈴木"
    register.update(asset.id, expected_version=1, notes="更新")
    first, second = register.history(asset.id)
    # Entry 1 is the register's own, `init`.
    assert (first.seq, first.action, first.actor) == (2, "create", "情報政策課 山田")
    assert (second.seq, second.action, second.actor) == (3, "update", "市民課 鈴木")
    assert first.before is None
    assert first.after is not None and first.after["name"] == "文書管理システム"
    assert second.before is not None and second.before["notes"] is None
    assert second.after is not None and second.after["notes"] == "更新"
    assert second.asset_id == asset.id and second.related_id is None
    assert second.at.tzinfo is not None and second.at >= first.at
    assert len(first.hash) == 64 and first.hash != second.hash
    assert "action='update'" in repr(second)


def test_verify_reports_an_intact_chain(register: daicho.Register) -> None:
    asset = add_system(register)
    register.update(asset.id, expected_version=1, notes="x")
    verification = register.verify()
    assert verification.ok and verification
    # The register's `init` entry, the creation and the update.
    assert verification.entries == 3
    assert verification.first_broken is None and verification.broken_reason is None
    assert verification.database == [] and verification.dangling_links == 0
    assert repr(verification) == "Verification(ok=True, entries=3, first_broken=None)"


def test_verify_finds_an_edited_entry(location: Location) -> None:
    with daicho.Register.create(location) as register:
        asset = add_system(register)
        register.update(asset.id, expected_version=1, notes="x")
    execute(location, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 2")
    with daicho.Register.open(location) as register:
        verification = register.verify()
    assert not verification.ok and not verification
    assert verification.first_broken == 2
    assert verification.broken_reason


def test_summary_counts(register: daicho.Register) -> None:
    add_system(register, segment="mynumber")
    add_system(register, name="水道", organization="waterworks", confidentiality="2")
    add_system(register, name="校務", organization="education", exclusion_reason="school_education")
    summary = register.summary()
    assert (summary["total"], summary["in_scope"], summary["excluded"]) == (3, 2, 1)
    assert summary["disposed"] == 0 and summary["links"] == 0
    assert summary["by_organization"]["mayor"]["3B"] == 1
    assert summary["by_organization"]["waterworks"]["2"] == 1
    # Issue 13: every body of §4(1) is listed, with zeros when none of its assets is in scope.
    assert set(summary["by_organization"]["education"].values()) == {0}
    assert summary["by_kind"]["network_system"] == 2
    assert summary["by_segment"]["mynumber"] == 1 and summary["by_segment"][None] == 1
    assert summary["by_scope"][None] == 2 and summary["by_scope"]["school_education"] == 1


def test_actor_defaults_to_the_os_user(location: Location) -> None:
    import getpass

    with daicho.Register.create(location) as register:
        assert register.actor == getpass.getuser()
        register.actor = "  "
        assert register.actor == "unknown"


def test_closed_register_refuses_calls(location: Location) -> None:
    with daicho.Register.create(location) as register:
        assert not register.closed
    assert register.closed
    with pytest.raises(daicho.DaichoError, match="the register is closed"):
        register.assets()
    register.close()  # closing twice is harmless


def test_exit_does_not_swallow_exceptions(location: Location) -> None:
    with pytest.raises(KeyError):
        with daicho.Register.create(location) as register:
            raise KeyError("boom")
    assert register.closed


def test_threads_share_one_register(register: daicho.Register) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                add_system(register, name=f"system {n}-{i}")
                register.assets(name_contains=f"{n}-")
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert register.summary()["total"] == 80
    assert register.verify().ok


def test_an_actor_with_a_control_character_is_refused(register: daicho.Register) -> None:
    with pytest.raises(daicho.ValidationError) as caught:
        register.actor = "監査\x1b[2J太郎"
    assert caught.value.field == "actor"
    assert "U+001B" in caught.value.reason
    assert "\x1b" not in str(caught.value)
    assert register.actor == "情報政策課 山田"
    with pytest.raises(daicho.ValidationError, match=r"U\+001B"):
        add_system(register, notes="備考\x1b]52;c;ZXZpbA==\x07")
    assert add_system(register, notes="一行目\r\n二行目").notes == "一行目\r\n二行目"
