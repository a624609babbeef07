//! The closed sets of the domain model: asset kinds, network segments, media,
//! hosting, link relations and sanitization methods.
//!
//! Each accepts its code, its Japanese label, its English label and a few
//! spellings staff really write (ア, マイナンバー利用事務系, mynumber, 紙), after
//! NFKC normalization and case folding.

use std::fmt;
use std::str::FromStr;

use crate::error::Error;
use crate::text::fold;

/// A folded cell without the bracketed note after it: `ア(システム)` → `ア`;
/// `None` when there is none.
fn strip_bracketed(folded: &str) -> Option<&str> {
    let stripped = folded.strip_suffix(')')?;
    let open = stripped.rfind('(')?;
    (open > 0).then(|| &folded[..open])
}

macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:literal, $ja:literal, $en:literal $(, [$($alias:literal),* $(,)?])?;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical code, as stored and exported.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Japanese label.
            pub fn label_ja(self) -> &'static str {
                match self { $($name::$variant => $ja),+ }
            }

            /// The English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// Every accepted spelling of a value: its code, its labels and
            /// its aliases.
            pub fn spellings(self) -> &'static [&'static str] {
                match self {
                    $($name::$variant => &[$code, $ja, $en $($(, $alias)*)?]),+
                }
            }

            /// Parses a code, a label or an accepted alias; a bracketed note
            /// after it (`ア（システム）`, `独立系（スタンドアロン）`) is ignored.
            pub fn parse(input: &str) -> Result<Self, Error> {
                // Fast path for canonical codes, the common case in large imports.
                $(if input == $code { return Ok($name::$variant); })+
                let folded = fold(input);
                if let Some(found) = Self::find(&folded) {
                    return Ok(found);
                }
                if let Some(found) = strip_bracketed(&folded).and_then(Self::find) {
                    return Ok(found);
                }
                let spellings = Self::ALL.iter().enumerate().flat_map(|(i, v)| {
                    [v.code(), v.label_ja(), v.label_en()]
                        .into_iter()
                        .chain(v.aliases().iter().copied())
                        .map(move |spelling| (i, spelling))
                });
                Err(Error::unknown_among(
                    $field,
                    input,
                    Self::ALL.iter().map(|v| (v.code(), v.label_ja())),
                    spellings,
                ))
            }

            fn find(folded: &str) -> Option<Self> {
                $(
                    if folded == $code
                        || folded == fold($ja)
                        || folded == fold($en)
                        $($(|| folded == fold($alias))*)?
                    {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            /// The further spellings accepted besides the code and the labels.
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($($alias),*)?]),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                Self::parse(s)
            }
        }
    };
}

closed_enum! {
    /// The three kinds of information asset of the basic policy §4(2).
    Kind, field = "kind" {
        /// ア: networks and information systems, their facilities and recording media.
        NetworkSystem = "network_system", "ネットワーク・情報システム", "network or system",
            ["ア", "(ア)", "system", "network", "システム", "ア ネットワーク・情報システム"];
        /// イ: information handled by networks and systems, printed copies included.
        Information = "information", "情報", "information", ["イ", "(イ)", "data", "データ", "イ 情報"];
        /// ウ: system documents such as specifications and network diagrams.
        SystemDocument = "system_document", "システム関連文書", "system document",
            ["ウ", "(ウ)", "document", "文書", "ウ システム関連文書"];
    }
}

impl Kind {
    /// The policy's letter for the kind: ア, イ or ウ.
    pub fn letter(self) -> &'static str {
        match self {
            Kind::NetworkSystem => "ア",
            Kind::Information => "イ",
            Kind::SystemDocument => "ウ",
        }
    }
}

closed_enum! {
    /// The network segments of the three-tier separation (§6(3)), plus standalone.
    Segment, field = "segment" {
        /// マイナンバー利用事務系: My Number work and family-register work.
        MyNumber = "mynumber", "マイナンバー利用事務系", "My Number segment",
            ["個人番号利用事務系", "my_number", "マイナンバー系", "マイナンバー"];
        /// ＬＧＷＡＮ接続系: systems connected to LGWAN.
        Lgwan = "lgwan", "LGWAN接続系", "LGWAN segment", ["lgwan系"];
        /// インターネット接続系: internet-connected systems.
        Internet = "internet", "インターネット接続系", "internet segment", ["インターネット系", "インターネット"];
        /// Not connected to any network.
        Standalone = "standalone", "スタンドアロン", "standalone", ["単独", "スタンドアローン", "独立系", "独立"];
    }
}

closed_enum! {
    /// The medium or form an asset takes.
    Medium, field = "medium" {
        /// Paper documents.
        Paper = "paper", "紙", "paper", ["紙媒体", "書面", "文書(紙)"];
        /// Electronic files.
        ElectronicFile = "electronic_file", "電子ファイル", "electronic file", ["ファイル", "電子データ"];
        /// A database.
        Database = "database", "データベース", "database", ["db"];
        /// Portable media: USB memory, optical discs, tapes.
        PortableMedia = "portable_media", "可搬媒体", "portable media",
            ["電磁的記録媒体", "外部記録媒体", "usb", "usbメモリ"];
        /// A terminal (PC).
        Terminal = "terminal", "端末", "terminal", ["pc", "パソコン"];
        /// A server.
        Server = "server", "サーバ", "server", ["サーバー"];
        /// A network device.
        NetworkDevice = "network_device", "ネットワーク機器", "network device", ["nw機器"];
        /// A cloud service.
        CloudService = "cloud_service", "クラウドサービス", "cloud service", ["クラウド", "外部サービス"];
    }
}

impl Medium {
    /// True for media that hold electronic records (everything but paper).
    pub fn is_electronic(self) -> bool {
        self != Medium::Paper
    }
}

closed_enum! {
    /// Who runs the asset (§6(8)).
    HostingKind, field = "hosting" {
        /// Run by the city itself.
        OnPremises = "on_premises", "庁内", "on premises", ["自庁", "オンプレミス", "直営"];
        /// Run by a contractor (業務委託).
        Outsourced = "outsourced", "委託", "outsourced", ["業務委託", "外部委託"];
        /// An external (cloud) service.
        Cloud = "cloud", "クラウド", "cloud", ["外部サービス", "クラウドサービス"];
    }
}

closed_enum! {
    /// The closed set of relations between assets.
    Relation, field = "relation" {
        /// Information (イ) stored on a system or medium (ア).
        StoredOn = "stored_on", "保存先", "stored on", ["格納", "保存"];
        /// A system document (ウ) describing a system (ア).
        Describes = "describes", "記述対象", "describes", ["説明"];
        /// A network connection between two systems (ア).
        ConnectsTo = "connects_to", "接続", "connects to", ["接続先"];
        /// A data transfer from one system (ア) to another, with its sanitization.
        TransfersTo = "transfers_to", "転送", "transfers to", ["連携", "転送先"];
        /// A copy of another asset; it keeps the original's class.
        CopyOf = "copy_of", "複製元", "copy of", ["複製", "コピー"];
    }
}

impl Relation {
    /// True when the relation may join an asset of kind `from` to one of kind
    /// `to`: `stored_on` information (イ) to a system (ア), `describes` a system
    /// document (ウ) to a system, `connects_to` and `transfers_to` two systems,
    /// `copy_of` two assets of the same kind.
    pub fn fits(self, from: Kind, to: Kind) -> bool {
        match self {
            Relation::StoredOn => from == Kind::Information && to == Kind::NetworkSystem,
            Relation::Describes => from == Kind::SystemDocument && to == Kind::NetworkSystem,
            Relation::ConnectsTo | Relation::TransfersTo => {
                from == Kind::NetworkSystem && to == Kind::NetworkSystem
            }
            Relation::CopyOf => from == to,
        }
    }
}

closed_enum! {
    /// How a transfer between segments is made safe (無害化通信, §2(12)).
    Sanitization, field = "sanitization" {
        /// No sanitization.
        None = "none", "なし", "none", ["無", "無し", "-"];
        /// Mail text conversion (メールテキスト化).
        TextConversion = "text_conversion", "テキスト化", "text conversion", ["メールテキスト化", "メール本文のテキスト化"];
        /// Screen transfer (画面転送).
        ScreenTransfer = "screen_transfer", "画面転送", "screen transfer", [];
        /// File sanitization (ファイル無害化).
        FileSanitization = "file_sanitization", "ファイル無害化", "file sanitization", ["無害化"];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check<T: FromStr<Err = Error> + PartialEq + fmt::Debug>(input: &str, expected: &T) {
        assert_eq!(&input.parse::<T>().unwrap(), expected, "input {input:?}");
    }

    #[test]
    fn parses_codes_labels_and_aliases() {
        check("ア", &Kind::NetworkSystem);
        check("ｲ", &Kind::Information);
        check("system_document", &Kind::SystemDocument);
        check("マイナンバー利用事務系", &Segment::MyNumber);
        check("mynumber", &Segment::MyNumber);
        check("ＬＧＷＡＮ接続系", &Segment::Lgwan);
        check(" Internet ", &Segment::Internet);
        check("紙", &Medium::Paper);
        check("サーバー", &Medium::Server);
        check("委託", &HostingKind::Outsourced);
        check("copy_of", &Relation::CopyOf);
        check("画面転送", &Sanitization::ScreenTransfer);
    }

    #[test]
    fn unknown_values_list_the_codes() {
        let err = "衛星".parse::<Segment>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown segment `衛星` (allowed: mynumber, lgwan, internet, standalone)"
        );
    }

    #[test]
    fn relations_fit_the_kinds_they_join() {
        use Kind::{Information as I, NetworkSystem as A, SystemDocument as U};
        let fitting = [
            (Relation::StoredOn, I, A),
            (Relation::Describes, U, A),
            (Relation::ConnectsTo, A, A),
            (Relation::TransfersTo, A, A),
            (Relation::CopyOf, A, A),
            (Relation::CopyOf, I, I),
            (Relation::CopyOf, U, U),
        ];
        for relation in Relation::ALL {
            for from in Kind::ALL {
                for to in Kind::ALL {
                    let expected = fitting.contains(&(*relation, *from, *to));
                    assert_eq!(
                        relation.fits(*from, *to),
                        expected,
                        "{relation} {from} {to}"
                    );
                }
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(kind.code().parse::<Kind>().unwrap(), *kind);
            assert_eq!(kind.label_ja().parse::<Kind>().unwrap(), *kind);
        }
        for segment in Segment::ALL {
            assert_eq!(segment.label_ja().parse::<Segment>().unwrap(), *segment);
        }
        for medium in Medium::ALL {
            assert_eq!(medium.label_en().parse::<Medium>().unwrap(), *medium);
        }
    }
}
