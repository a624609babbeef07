//! A deterministic, realistic inventory sheet: Japanese headers, names and
//! notes, values as staff type them (Japanese labels, era dates, ○/×,
//! thousands separators), and about 15% of notes holding commas, quotes or
//! line breaks, as Excel writes them (UTF-8 with a BOM, CRLF).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// What the generator wrote.
pub(crate) struct Stats {
    pub(crate) tricky_notes: u64,
}

/// A small, fast, deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const HEADER: &str = "資産ID,種別,資産名,所管,所属,情報セキュリティ管理者,機密性,完全性,可用性,\
ネットワーク区分,媒体,保管場所,個人情報,要配慮個人情報,特定個人情報,件数,管理策,運用形態,委託先,契約番号,\
保存期間,適用除外,点検日,廃棄日,廃棄担当者,廃棄方法,廃棄承認者,廃棄証明書,備考";

const ORGS: &[&str] = &[
    "市長部局",
    "市長部局",
    "市長部局",
    "市長部局",
    "消防局",
    "水道局",
    "教育委員会",
    "選挙管理委員会",
    "市民病院",
    "農業委員会",
    "議会事務局",
    "監査委員",
    "人事委員会",
    "mayor",
];
const DEPARTMENTS: &[&str] = &[
    "総務部 デジタル行政推進課",
    "市民生活部 市民課",
    "財務部 税務課",
    "福祉部 介護保険課",
    "こども未来部 こども家庭課",
    "健康部 国保年金課",
    "環境部 ごみ減量推進課",
    "建設部 道路管理課",
    "総務課",
    "警防課",
    "お客さまサービス課",
    "学務課",
    "医事課",
];
const SURNAMES: &[&str] = &[
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
];
const GIVEN: &[&str] = &[
    "健一",
    "由美子",
    "大輔",
    "恵",
    "誠",
    "直子",
    "亮",
    "翔太",
    "明美",
    "浩二",
];
const SYSTEMS: &[&str] = &[
    "住民基本台帳システム",
    "税務システム",
    "介護保険システム",
    "財務会計システム",
    "文書管理システム",
    "グループウェア",
    "庁内ファイルサーバ",
    "水道料金システム",
    "消防指令システム",
    "電子申請システム",
];
const DATA: &[&str] = &[
    "住民記録データ",
    "個人住民税課税データ",
    "介護保険認定データ",
    "児童手当受給者一覧",
    "職員人事データ",
    "財務会計データ",
    "水道使用者情報",
    "選挙人名簿データ",
    "会議録原稿",
];
const DOCS: &[&str] = &[
    "設計書",
    "仕様書",
    "運用手順書",
    "ネットワーク構成図",
    "操作マニュアル",
];
const LEVELS_C: &[&str] = &[
    "自治体機密性3A",
    "3B",
    "自治体機密性3B",
    "3C",
    "自治体機密性2",
    "2",
    "1",
];
const LEVELS_I: &[&str] = &["完全性2", "2", "1"];
const LEVELS_A: &[&str] = &["可用性2", "2", "1"];
const SEGMENTS: &[&str] = &[
    "マイナンバー利用事務系",
    "LGWAN接続系",
    "LGWAN接続系",
    "インターネット接続系",
    "スタンドアロン",
];
const MEDIA: &[&str] = &[
    "サーバ",
    "データベース",
    "電子ファイル",
    "端末",
    "ネットワーク機器",
    "クラウドサービス",
    "可搬媒体",
];
const PLACES: &[&str] = &[
    "本庁舎5階 電算室",
    "本庁舎2階 書庫",
    "データセンター（県内）",
    "分庁舎 執務室 キャビネットB-2",
    "\\\\fileserver\\share\\課共有",
    "消防本部 通信指令室",
];
const CONTROLS: &[&str] = &[
    "アクセス制御、アクセスログ、バックアップ",
    "多要素認証、持出し不可設定、アクセス制御、アクセスログ、支給端末限定、暗号化",
    "施錠保管、複製制限、保管場所制限",
    "access_control;access_log;backup;encryption",
    "アクセス制御、バックアップ、不正プログラム対策、不正通信監視",
];
const HOSTING: &[&str] = &["庁内", "庁内", "委託", "クラウド"];
const PROVIDERS: &[&str] = &[
    "株式会社みなと情報サービス",
    "㈱北陸システム開発",
    "新潟データ株式会社",
];
const RETENTION: &[&str] = &["常用", "30年", "10年", "5年", "3年", "1年未満", "永年", ""];
const PLAIN_NOTES: &[&str] = &[
    "標準準拠システムへの移行済み",
    "年1回の自己点検対象",
    "保守契約は年度更新",
    "",
    "",
    "紙原本は書庫で保管。電子化は未実施",
    "ＬＧＷＡＮ－ＡＳＰを利用",
];
const TRICKY_NOTES: &[&str] = &[
    "保守は株式会社みなと情報サービス, 障害時4時間以内復旧",
    "ベンダー呼称 \"MINATO-JUKI v5\"",
    "1行目の備考\n2行目（Alt+Enterで改行）",
    "移行予定: 令和8年度, 担当 \"情報政策課\"\n詳細は別紙",
];

/// A review date in 令和2 to 令和7 (2020–2025): never after today, which the
/// import refuses.
fn era_date(rng: &mut Rng) -> String {
    let month = rng.below(12) + 1;
    let day = rng.below(28) + 1;
    match rng.below(4) {
        0 => format!("令和{}年{}月{}日", rng.below(6) + 2, month, day),
        1 => format!("R{}.{}.{}", rng.below(6) + 2, month, day),
        2 => format!("{}-{:02}-{:02}", 2020 + rng.below(6), month, day),
        _ => String::new(),
    }
}

fn field(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    if text.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", text.replace('"', "\"\""))
    } else {
        out.write_all(text.as_bytes())
    }
}

/// Writes the sheet; the same seed always gives the same bytes.
pub(crate) fn write(path: &Path, rows: u64, seed: u64) -> std::io::Result<Stats> {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut stats = Stats { tricky_notes: 0 };
    out.write_all(b"\xEF\xBB\xBF")?;
    out.write_all(HEADER.as_bytes())?;
    out.write_all(b"\r\n")?;
    for n in 0..rows {
        let kind = rng.below(10);
        let (kind_label, name) = match kind {
            0..=3 => ("ア", format!("{}（{}）", rng.pick(SYSTEMS), n + 1)),
            4..=7 => ("イ", format!("{}　第{}号", rng.pick(DATA), n + 1)),
            _ => (
                "ウ",
                format!("{}{}（{}）", rng.pick(SYSTEMS), rng.pick(DOCS), n + 1),
            ),
        };
        let org = rng.pick(ORGS);
        let paper = kind_label != "ア" && rng.below(4) == 0;
        let personal = rng.below(2) == 0;
        let my_number = personal && rng.below(5) == 0;
        let hosting = if kind_label == "ア" {
            rng.pick(HOSTING)
        } else {
            ""
        };
        let (provider, contract) = if hosting == "委託" || hosting == "クラウド" {
            (
                rng.pick(PROVIDERS),
                format!("第R{}-{:03}号", rng.below(7) + 1, rng.below(999) + 1),
            )
        } else {
            ("", String::new())
        };
        let notes = if rng.below(100) < 15 {
            stats.tricky_notes += 1;
            rng.pick(TRICKY_NOTES)
        } else {
            rng.pick(PLAIN_NOTES)
        };
        let count = if personal {
            let c = rng.below(400_000);
            if c >= 1000 && rng.below(2) == 0 {
                format!("{},{:03}", c / 1000, c % 1000)
            } else {
                c.to_string()
            }
        } else {
            String::new()
        };
        let manager = if rng.below(20) == 0 {
            String::new()
        } else {
            format!("{} {}", rng.pick(SURNAMES), rng.pick(GIVEN))
        };
        let cells: [&str; 29] = [
            "",
            kind_label,
            &name,
            org,
            rng.pick(DEPARTMENTS),
            &manager,
            rng.pick(LEVELS_C),
            rng.pick(LEVELS_I),
            rng.pick(LEVELS_A),
            if paper { "" } else { rng.pick(SEGMENTS) },
            if paper { "紙" } else { rng.pick(MEDIA) },
            rng.pick(PLACES),
            if personal { "○" } else { "×" },
            "×",
            if my_number { "○" } else { "×" },
            &count,
            rng.pick(CONTROLS),
            hosting,
            provider,
            &contract,
            rng.pick(RETENTION),
            "",
            &era_date(&mut rng),
            "",
            "",
            "",
            "",
            "",
            notes,
        ];
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            field(&mut out, cell)?;
        }
        out.write_all(b"\r\n")?;
    }
    out.flush()?;
    Ok(stats)
}
