//! The words of the workbook: sheet names, column headers, status and requirement words, in
//! Japanese and English. Writers use the chosen language; readers accept both.

use ismap_model::{Lang, Text};

use super::template::AnswerRequirement;
use crate::SelectionStatus;

/// The sheets of a statement workbook (and the sections of a statement CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetKind {
    Cover,
    Answers,
    Agency,
    Changes,
    Underlying,
    Findings,
    Help,
}

impl SheetKind {
    /// The sheets a statement is read from, in reading order.
    pub(crate) const READ: [Self; 5] = [Self::Cover, Self::Answers, Self::Agency, Self::Changes, Self::Underlying];

    pub(crate) fn name(self) -> Text {
        match self {
            Self::Cover => Text::new("表紙", "Cover"),
            Self::Answers => Text::new("回答", "Answers"),
            Self::Agency => Text::new("追加要件", "Agency requirements"),
            Self::Changes => Text::new("統制変更", "Changes"),
            Self::Underlying => Text::new("基盤サービス", "Underlying services"),
            Self::Findings => Text::new("指摘", "Findings"),
            Self::Help => Text::new("記入方法", "Columns"),
        }
    }

    /// Whether `name` (trimmed, any case) names this sheet in either language.
    pub(crate) fn is_named(self, name: &str) -> bool {
        let t = self.name();
        same(name, t.get(Lang::Ja)) || same(name, t.get(Lang::En))
    }
}

/// A column of one of the sheets: its key, its header in both languages, and what it holds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub(crate) header_ja: &'static str,
    pub(crate) header_en: &'static str,
    pub(crate) help_ja: &'static str,
    pub(crate) help_en: &'static str,
    /// Its width in the workbook, in characters.
    pub(crate) width: f64,
}

impl Column {
    pub(crate) const fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ja => self.header_ja,
            Lang::En => self.header_en,
        }
    }

    /// Whether a header cell's text names this column (either language, any case).
    pub(crate) fn matches(&self, text: &str) -> bool {
        same(text, self.header_ja) || same(text, self.header_en)
    }
}

macro_rules! columns {
    ($($name:ident: $ja:literal, $en:literal, $hja:literal, $hen:literal, $width:literal;)*) => {
        $(pub(crate) const $name: Column =
            Column { header_ja: $ja, header_en: $en, help_ja: $hja, help_en: $hen, width: $width };)*
    };
}

columns! {
    FIELD: "項目", "Field", "記入する事項（変更しないでください）", "What the row holds (do not change)", 20.0;
    VALUE: "記入欄", "Value", "記入する値。日付は 2024-04-01 または 令和6年4月1日 の形で", "The value. Dates as 2024-04-01 or 令和6年4月1日", 30.0;
    NOTE: "説明", "Notes", "記入の手引き", "How to fill the row in", 50.0;
    ID: "ID", "ID", "管理基準の項番（変更しないでください）。追加する詳細管理策は空き行に項番を記入", "The criteria item's id (do not change). Add optional detailed controls in the empty rows below", 14.0;
    PART: "区分", "Part", "ガバナンス基準・マネジメント基準・管理策基準の別", "Governance, management or controls criteria", 14.0;
    LEVEL: "階層", "Level", "管理目的・詳細管理策などの階層", "Control objective, detailed control, ...", 14.0;
    TITLE: "名称", "Title", "項目の名称（本ツールによる要約）", "The item's title (this tool's own summary)", 40.0;
    REQUIREMENT: "要求", "Requirement", "必須・除外可・任意・調達機関が要求の別（変更しないでください）", "Mandatory, mandatory unless excluded, optional, or agency-required (do not change)", 22.0;
    STATUS: "状態", "Status", "選択・非選択・除外・継承から選ぶ。空欄は未回答", "Choose selected, not selected, objective excluded or inherited; blank means unanswered", 20.0;
    CONTROLS: "個別管理策", "Individual controls", "1 行に 1 つ、「番号: 内容」の形で（番号は省略可）", "One per line, as `REF: text` (the reference is optional)", 50.0;
    REASON: "理由", "Reason", "非選択・除外の理由", "Why an item is not selected or an objective excluded", 30.0;
    INHERITED: "継承元", "Inherited from", "継承する基盤サービスのキー（基盤サービスのシート）", "The key of the underlying service it is inherited from (Underlying services sheet)", 20.0;
    OTHER_TITLE: "名称（英語）", "Title (Japanese)", "もう一方の言語での名称", "The title in the other language", 40.0;
    FINDINGS: "指摘", "Findings", "評価で見つかった指摘（書き出し時のみ）", "What the assessment found (written by `assess --format xlsx`)", 50.0;
    AGENCY: "調達機関", "Agency", "追加要件を定めた調達機関", "The agency that set the requirement", 20.0;
    AGENCY_REQUIREMENT: "要件", "Requirement", "追加要件の内容", "What the agency requires", 50.0;
    CHANGED_ON: "変更日", "Changed on", "新しい内容を適用した最初の日", "First day the new content applied", 14.0;
    BEFORE: "変更前", "Before", "変更前の内容", "Content before the change", 50.0;
    AFTER: "変更後", "After", "変更後の内容", "Content after the change", 50.0;
    KEY: "キー", "Key", "継承元の欄で使う短い名前", "A short key the Inherited from column uses", 14.0;
    NAME_JA: "名称（日本語）", "Name (Japanese)", "サービス名称（日本語）", "The service's Japanese name", 20.0;
    NAME_EN: "名称（英語）", "Name (English)", "サービス名称（英語）", "The service's English name", 20.0;
    REGISTRATION: "登録番号", "Registration number", "ISMAP の登録番号（例 C22-0999-1）", "Its ISMAP registration number (e.g. C22-0999-1)", 14.0;
    RULE: "規則", "Rule", "指摘の規則 ID", "The rule's id", 14.0;
    SEVERITY: "重大度", "Severity", "エラーまたは警告", "Error or warning", 14.0;
    LOCATION: "場所", "Location", "指摘の対象のセル", "The cell the finding concerns", 14.0;
    MESSAGE: "内容", "Message", "指摘の内容", "What is wrong", 50.0;
    SHEET: "シート", "Sheet", "シート名", "The sheet", 18.0;
    COLUMN: "列", "Column", "列の見出し", "The column's header", 22.0;
    EXPLANATION_JA: "説明（日本語）", "Explanation (Japanese)", "", "", 60.0;
    EXPLANATION_EN: "説明（英語）", "Explanation (English)", "", "", 60.0;
}

/// The columns of the answers sheet, in order: the status is column F.
pub(crate) const ANSWER_COLUMNS: [Column; 10] =
    [ID, PART, LEVEL, TITLE, REQUIREMENT, STATUS, CONTROLS, REASON, INHERITED, OTHER_TITLE];
/// The columns of the agency-requirements sheet.
pub(crate) const AGENCY_COLUMNS: [Column; 4] = [ID, AGENCY, AGENCY_REQUIREMENT, CONTROLS];
/// The columns of the changes sheet.
pub(crate) const CHANGE_COLUMNS: [Column; 4] = [ID, CHANGED_ON, BEFORE, AFTER];
/// The columns of the underlying-services sheet.
pub(crate) const UNDERLYING_COLUMNS: [Column; 4] = [KEY, NAME_JA, NAME_EN, REGISTRATION];
/// The columns of the cover sheet.
pub(crate) const COVER_COLUMNS: [Column; 3] = [FIELD, VALUE, NOTE];
/// The columns of the findings sheet.
pub(crate) const FINDING_COLUMNS: [Column; 5] = [LOCATION, ID, SEVERITY, RULE, MESSAGE];

/// The fields of the cover sheet, one per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CoverField {
    ServiceNameJa,
    ServiceNameEn,
    ProviderNameJa,
    ProviderNameEn,
    CorporateNumber,
    Model,
    Regions,
    Program,
    CatalogVersion,
    PeriodStart,
    PeriodEnd,
    PreviousStart,
    PreviousEnd,
    RepresentativeName,
    RepresentativeTitle,
}

impl CoverField {
    pub(crate) const ALL: [Self; 15] = [
        Self::ServiceNameJa,
        Self::ServiceNameEn,
        Self::ProviderNameJa,
        Self::ProviderNameEn,
        Self::CorporateNumber,
        Self::Model,
        Self::Regions,
        Self::Program,
        Self::CatalogVersion,
        Self::PeriodStart,
        Self::PeriodEnd,
        Self::PreviousStart,
        Self::PreviousEnd,
        Self::RepresentativeName,
        Self::RepresentativeTitle,
    ];

    /// The label in column A, and the note in column C.
    pub(crate) fn label(self) -> (Text, Text) {
        let (lja, len, nja, nen) = match self {
            Self::ServiceNameJa => (
                "サービス名称（日本語）",
                "Service name (Japanese)",
                "日本語・英語の少なくとも一方",
                "At least one of the Japanese and English names",
            ),
            Self::ServiceNameEn => ("サービス名称（英語）", "Service name (English)", "", ""),
            Self::ProviderNameJa => (
                "事業者名（日本語）",
                "Provider name (Japanese)",
                "日本語・英語の少なくとも一方",
                "At least one of the two",
            ),
            Self::ProviderNameEn => ("事業者名（英語）", "Provider name (English)", "", ""),
            Self::CorporateNumber => ("法人番号", "Corporate number", "13 桁（任意）", "13 digits (optional)"),
            Self::Model => ("サービスモデル", "Service model", "IaaS・PaaS・SaaS", "IaaS, PaaS or SaaS"),
            Self::Regions => ("リージョン・所在地", "Regions", "1 行に 1 つ", "One per line"),
            Self::Program => ("制度", "Program", "ISMAP または ISMAP-LIU", "ISMAP or ISMAP-LIU"),
            Self::CatalogVersion => ("管理基準の版", "Criteria version", "例 2022.4.1", "e.g. 2022.4.1"),
            Self::PeriodStart => (
                "監査対象期間（開始日）",
                "Assessment period (first day)",
                "管理基準 §2.2.4",
                "Control Criteria §2.2.4",
            ),
            Self::PeriodEnd => ("監査対象期間（終了日）", "Assessment period (last day)", "", ""),
            Self::PreviousStart => (
                "前回の監査対象期間（開始日）",
                "Previous assessment period (first day)",
                "更新の申請のみ",
                "Renewals only",
            ),
            Self::PreviousEnd => (
                "前回の監査対象期間（終了日）",
                "Previous assessment period (last day)",
                "更新の申請のみ",
                "Renewals only",
            ),
            Self::RepresentativeName => {
                ("代表者氏名", "Representative's name", "言明書に責任を持つ者", "The person making the statement")
            }
            Self::RepresentativeTitle => {
                ("代表者役職", "Representative's position", "例 取締役 CISO", "e.g. 取締役 CISO")
            }
        };
        (Text::new(lja, len), Text::new(nja, nen))
    }

    /// The field a cover label names, in either language.
    pub(crate) fn from_label(label: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| {
            let (t, _) = f.label();
            same(label, t.get(Lang::Ja)) || same(label, t.get(Lang::En))
        })
    }
}

/// The status words of the drop-down list.
pub(crate) fn status_word(status: SelectionStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (SelectionStatus::Selected, Lang::Ja) => "選択",
        (SelectionStatus::NotSelected, Lang::Ja) => "非選択",
        (SelectionStatus::Excluded, Lang::Ja) => "除外",
        (SelectionStatus::Inherited, Lang::Ja) => "継承",
        (SelectionStatus::Selected, Lang::En) => "selected",
        (SelectionStatus::NotSelected, Lang::En) => "not selected",
        (SelectionStatus::Excluded, Lang::En) => "objective excluded",
        (SelectionStatus::Inherited, Lang::En) => "inherited",
        (SelectionStatus::Unanswered, Lang::Ja) => "未回答",
        (SelectionStatus::Unanswered, Lang::En) => "unanswered",
    }
}

/// The statuses of the drop-down list, in its order.
pub(crate) const DROP_DOWN: [SelectionStatus; 4] =
    [SelectionStatus::Selected, SelectionStatus::NotSelected, SelectionStatus::Excluded, SelectionStatus::Inherited];

/// Every status a cell may hold: the drop-down's, and `unanswered` is what `ismap statement migrate` writes for the
/// items a newer revision adds; a blank status reads the same way as no answer at all.
pub(crate) const STATUSES: [SelectionStatus; 5] = [
    SelectionStatus::Selected,
    SelectionStatus::NotSelected,
    SelectionStatus::Excluded,
    SelectionStatus::Inherited,
    SelectionStatus::Unanswered,
];

/// Reads a status word: the drop-down words of either language, the JSON names
/// (`not_selected`), and a few common variants.
pub(crate) fn parse_status(word: &str) -> Option<SelectionStatus> {
    let w = normalize(word).to_lowercase().replace(['_', '-'], " ");
    let w = w.trim();
    for s in STATUSES {
        if w == status_word(s, Lang::Ja) || w == status_word(s, Lang::En) {
            return Some(s);
        }
    }
    match w {
        "excluded" | "除外（管理目的）" | "管理目的の除外" => Some(SelectionStatus::Excluded),
        "選択する" | "実施" | "yes" => Some(SelectionStatus::Selected),
        "選択しない" | "未選択" | "no" => Some(SelectionStatus::NotSelected),
        _ => None,
    }
}

/// The words of the requirement column.
pub(crate) fn requirement_word(r: AnswerRequirement, lang: Lang) -> &'static str {
    match (r, lang) {
        (AnswerRequirement::Mandatory, Lang::Ja) => "必須",
        (AnswerRequirement::MandatoryUnlessExcluded, Lang::Ja) => "必須（除外可）",
        (AnswerRequirement::MandatoryUnlessObjectiveExcluded, Lang::Ja) => "必須（管理目的の除外時を除く）",
        (AnswerRequirement::Optional, Lang::Ja) => "任意",
        (AnswerRequirement::AgencyRequired, Lang::Ja) => "調達機関が要求",
        (AnswerRequirement::Mandatory, Lang::En) => "mandatory",
        (AnswerRequirement::MandatoryUnlessExcluded, Lang::En) => "mandatory unless excluded",
        (AnswerRequirement::MandatoryUnlessObjectiveExcluded, Lang::En) => "mandatory unless the objective is excluded",
        (AnswerRequirement::Optional, Lang::En) => "optional",
        (AnswerRequirement::AgencyRequired, Lang::En) => "agency-required",
    }
}

/// Whether two labels are the same once normalized (see [`normalize`]), ignoring ASCII case.
pub(crate) fn same(a: &str, b: &str) -> bool {
    normalize(a).eq_ignore_ascii_case(&normalize(b))
}

/// Text as typed into a spreadsheet, made comparable: full-width ASCII letters, digits and
/// punctuation (`８．１．２`) become ASCII, the ideographic space a space, and the ends are
/// trimmed.
pub(crate) fn normalize(s: &str) -> std::borrow::Cow<'_, str> {
    let wide = |c: char| matches!(c, '\u{3000}' | '\u{ff01}'..='\u{ff5e}');
    if !s.chars().any(wide) {
        return std::borrow::Cow::Borrowed(s.trim());
    }
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
            other => other,
        })
        .collect();
    std::borrow::Cow::Owned(mapped.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_ids_and_spaces_are_normalized() {
        assert_eq!(normalize(" ８．１．２\u{3000}"), "8.1.2");
        assert_eq!(normalize("ＩＤ"), "ID");
    }

    #[test]
    fn status_words_of_both_languages_read_back() {
        for s in STATUSES {
            for lang in [Lang::Ja, Lang::En] {
                assert_eq!(parse_status(status_word(s, lang)), Some(s));
            }
        }
        assert_eq!(parse_status("Not_Selected"), Some(SelectionStatus::NotSelected));
        assert_eq!(parse_status("maybe"), None);
    }

    #[test]
    fn cover_labels_read_back_in_both_languages() {
        for f in CoverField::ALL {
            let (label, _) = f.label();
            assert_eq!(CoverField::from_label(label.get(Lang::Ja)), Some(f));
            assert_eq!(CoverField::from_label(&label.get(Lang::En).to_uppercase()), Some(f));
        }
    }
}
