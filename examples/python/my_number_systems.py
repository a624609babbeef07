"""List the systems that hold 特定個人情報 (personal information with a My Number), by organization.

A system (ア) holds 特定個人情報 when it is flagged so itself, or when information (イ)
flagged so is stored on it (a `stored_on` link). The list follows the policy's order of
organizations and gives each system's class, segment and the number of people recorded.

Usage:

    python my_number_systems.py [REGISTER]      # default: $DAICHO_DB, else ./daicho.db
"""

from __future__ import annotations

import os
import sys

import pandas as pd

import daicho


def my_number_systems(register: daicho.Register) -> pd.DataFrame:
    """The systems holding 特定個人情報, one row each, in the policy's order of organizations."""
    assets = pd.DataFrame(register.to_records())
    links = pd.DataFrame(register.links(), columns=["from", "relation", "to", "sanitization"])
    if assets.empty:
        return assets

    systems = assets[assets["kind"] == "network_system"]
    information = assets[(assets["kind"] == "information") & assets["my_number"]]
    stored = links[(links["relation"] == "stored_on") & links["from"].isin(information["id"])]
    holding = set(systems.loc[systems["my_number"], "id"]) | set(stored["to"])

    result = systems[systems["id"].isin(holding)].copy()
    result["my_number_information"] = (
        result["id"].map(stored.groupby("to").size()).fillna(0).astype(int)
    )
    order = [code for code, _, _ in register.policy.organizations]
    result["organization"] = pd.Categorical(result["organization"], categories=order, ordered=True)
    return result.sort_values(["organization", "name"])


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DAICHO_DB", "daicho.db")
    with daicho.Register.open(path) as register:
        names = {code: ja for code, ja, _ in register.policy.organizations}
        systems = my_number_systems(register)

    print(f"特定個人情報を保有するシステム: {len(systems)} 件")
    if systems.empty:
        return 0
    for organization, group in systems.groupby("organization", observed=True):
        print()
        print(f"{names[organization]} ({organization}): {len(group)} 件")
        for row in group.itertuples():
            count = "" if pd.isna(row.record_count) else f"  {int(row.record_count):,}人"
            stored = (
                f"  格納情報 {row.my_number_information} 件" if row.my_number_information else ""
            )
            print(
                f"  - {row.name}  機密性{row.confidentiality}  {row.segment or '区分なし'}"
                f"{count}{stored}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
