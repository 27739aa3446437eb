//! CYDER courses, yearly figures, the exercise flow and teams.
//!
//! Every fact below names its public source: the NICT course page <https://cyder.nict.go.jp/course/>
//! (course table, fees, team size), NICT press releases, and the MIC overview slides
//! 総務省のサイバーセキュリティ政策の紹介 (総務省サイバーセキュリティ統括官室, 2020-05-13; yearly
//! figures, the FY2019 sessions per course and the exercise flow). Facts the sources disagree on
//! are data you can override, not constants the code relies on.

use std::fmt;

use ismap_model::{FiscalYear, Text};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A CYDER course.
///
/// Source: NICT course page <https://cyder.nict.go.jp/course/> (five courses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum Course {
    /// Course A, beginner (初級).
    #[serde(rename = "A")]
    A,
    /// Course B-1, intermediate (中級), for local governments.
    #[serde(rename = "B-1")]
    B1,
    /// Course B-2, intermediate (中級), for national agencies, critical infrastructure and companies.
    #[serde(rename = "B-2")]
    B2,
    /// Course C, semi-advanced (準上級).
    #[serde(rename = "C")]
    C,
    /// Online course A (オンラインA), beginner.
    #[serde(rename = "online-A")]
    OnlineA,
}

/// The level of a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// 初級.
    Beginner,
    /// 中級.
    Intermediate,
    /// 準上級.
    SemiAdvanced,
}

impl Level {
    /// The level in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Beginner => Text::new("初級", "beginner"),
            Self::Intermediate => Text::new("中級", "intermediate"),
            Self::SemiAdvanced => Text::new("準上級", "semi-advanced"),
        }
    }
}

/// Which fee applies to participants from outside government. Government bodies (national
/// agencies, 独立行政法人, 指定法人, 地方公共団体) attend free; source: <https://cyder.nict.go.jp/course/>.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FeeClass {
    /// The one-day fee (¥77,000 on the NICT course page).
    Standard,
    /// The two-day course C fee (¥121,000 on the NICT course page).
    Extended,
}

/// The fee amounts in yen. The sources disagree for the online course (the NISC portal lists
/// ¥11,000, <https://security-portal.nisc.go.jp/curriculum/torikumi/nict_cyder.html>, while the
/// NICT course page lists ¥77,000: unverified), so
/// amounts are data: [`FeeSchedule::default`] holds the NICT course-page figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeeSchedule {
    /// Yen for [`FeeClass::Standard`].
    pub standard_yen: u32,
    /// Yen for [`FeeClass::Extended`].
    pub extended_yen: u32,
}

impl Default for FeeSchedule {
    /// ¥77,000 and ¥121,000, from <https://cyder.nict.go.jp/course/>.
    fn default() -> Self {
        Self { standard_yen: 77_000, extended_yen: 121_000 }
    }
}

impl FeeSchedule {
    /// The fee for a class.
    #[must_use]
    pub const fn yen(&self, class: FeeClass) -> u32 {
        match class {
            FeeClass::Standard => self.standard_yen,
            FeeClass::Extended => self.extended_yen,
        }
    }
}

/// Facts about one course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseInfo {
    /// The course.
    pub course: Course,
    /// Its level.
    pub level: Level,
    /// Who it is for.
    pub target: Text,
    /// Where it is held.
    pub locations: Text,
    /// Exercise days (pre-learning not counted).
    pub days: u8,
    /// Approximate hours of online pre-learning (about one hour for every course).
    pub pre_learning_hours: u8,
    /// Whether the day ends with group work (review and presentation); the online course is
    /// hands-on only.
    pub group_work: bool,
    /// The fee class for participants from outside government.
    pub fee_class: FeeClass,
    /// The first fiscal year it ran, where a source gives one.
    pub since: Option<FiscalYear>,
}

impl Course {
    /// All courses.
    pub const ALL: [Self; 5] = [Self::A, Self::B1, Self::B2, Self::C, Self::OnlineA];

    /// The course code as NICT writes it (`A`, `B-1`, `B-2`, `C`, `online-A`).
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B1 => "B-1",
            Self::B2 => "B-2",
            Self::C => "C",
            Self::OnlineA => "online-A",
        }
    }

    /// The course name in both languages.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::A => Text::new("Aコース", "Course A"),
            Self::B1 => Text::new("B-1コース", "Course B-1"),
            Self::B2 => Text::new("B-2コース", "Course B-2"),
            Self::C => Text::new("Cコース", "Course C"),
            Self::OnlineA => Text::new("オンラインAコース", "Online course A"),
        }
    }

    /// The facts about this course.
    ///
    /// Sources: the course table at <https://cyder.nict.go.jp/course/> (level, target, venue, days,
    /// ~1 h pre-learning, fees); C and online A new in FY2021
    /// (<https://www1.nict.go.jp/press/2021/05/20-1.html>); online A is hands-on only without group
    /// work. CYDER itself has run since September 2016
    /// (<https://www.nict.go.jp/press/2018/03/07-1.html>), the start year of courses A/B is not
    /// given per course, so `since` is `None` for them.
    #[must_use]
    pub fn info(self) -> CourseInfo {
        let all = Text::new("全組織共通", "all organisations");
        let (level, target, locations, days, group_work, fee_class, since) = match self {
            Self::A => {
                (Level::Beginner, all, Text::new("47都道府県", "all 47 prefectures"), 1, true, FeeClass::Standard, None)
            }
            Self::B1 => (
                Level::Intermediate,
                Text::new("地方公共団体", "local governments"),
                Text::new("全国11地域", "11 regions"),
                1,
                true,
                FeeClass::Standard,
                None,
            ),
            Self::B2 => (
                Level::Intermediate,
                Text::new(
                    "国の機関等、重要社会基盤事業者、民間企業等",
                    "national agencies, critical-infrastructure operators, companies",
                ),
                Text::new("東京・大阪・名古屋・福岡", "Tokyo, Osaka, Nagoya, Fukuoka"),
                1,
                true,
                FeeClass::Standard,
                None,
            ),
            Self::C => (
                Level::SemiAdvanced,
                all,
                Text::new("東京", "Tokyo"),
                2,
                true,
                FeeClass::Extended,
                Some(FiscalYear::new(2021)),
            ),
            Self::OnlineA => (
                Level::Beginner,
                all,
                Text::new("オンライン", "online"),
                1,
                false,
                FeeClass::Standard,
                Some(FiscalYear::new(2021)),
            ),
        };
        CourseInfo { course: self, level, target, locations, days, pre_learning_hours: 1, group_work, fee_class, since }
    }
}

impl fmt::Display for Course {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Sessions held and people trained in one fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct YearlyFigures {
    /// The fiscal year.
    pub fiscal_year: FiscalYear,
    /// Exercise sessions held.
    pub sessions: u32,
    /// People trained.
    pub trainees: u32,
}

/// CYDER sessions and trainees per fiscal year.
///
/// Source: MIC, 総務省のサイバーセキュリティ政策の紹介 (2020-05-13), CYDER slide: 平成29年度 100回・3,009名,
/// 平成30年度 107回・2,666名, 令和元年度 105回・3,090名. Per-year totals for later years were not
/// found in a public source.
pub const YEARLY_FIGURES: [YearlyFigures; 3] = [
    YearlyFigures { fiscal_year: FiscalYear::new(2017), sessions: 100, trainees: 3_009 },
    YearlyFigures { fiscal_year: FiscalYear::new(2018), sessions: 107, trainees: 2_666 },
    YearlyFigures { fiscal_year: FiscalYear::new(2019), sessions: 105, trainees: 3_090 },
];

/// How many sessions of one course ran in one fiscal year, in which months and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CourseSessions {
    /// The fiscal year (April to March).
    pub fiscal_year: FiscalYear,
    /// The course.
    pub course: Course,
    /// Sessions held.
    pub sessions: u32,
    /// Calendar month (1–12) of the first session.
    pub first_month: u8,
    /// Calendar month (1–12) of the last session; earlier than `first_month` when the period runs
    /// past December into the next calendar year.
    pub last_month: u8,
    /// Where the sessions were held that year.
    pub locations: Text,
}

impl CourseSessions {
    /// The sessions of FY2019 (令和元年度) per course: A 66 sessions from June to February in all
    /// 47 prefectures; B-1 20 sessions from September to November in 11 regions; B-2 19 sessions
    /// from November to February in Tokyo, Osaka and Nagoya; 105 in all, the FY2019 total of
    /// [`YEARLY_FIGURES`].
    ///
    /// Source: 令和元年度の実施状況, the CYDER slide of 総務省のサイバーセキュリティ政策の紹介
    /// (総務省サイバーセキュリティ統括官室, 2020-05-13). The slide gives no per-course figures for
    /// other years.
    #[must_use]
    pub fn fy2019() -> Vec<Self> {
        let fy = FiscalYear::new(2019);
        vec![
            Self {
                fiscal_year: fy,
                course: Course::A,
                sessions: 66,
                first_month: 6,
                last_month: 2,
                locations: Text::new("47都道府県", "all 47 prefectures"),
            },
            Self {
                fiscal_year: fy,
                course: Course::B1,
                sessions: 20,
                first_month: 9,
                last_month: 11,
                locations: Text::new("全国11地域", "11 regions"),
            },
            Self {
                fiscal_year: fy,
                course: Course::B2,
                sessions: 19,
                first_month: 11,
                last_month: 2,
                locations: Text::new("東京・大阪・名古屋", "Tokyo, Osaka, Nagoya"),
            },
        ]
    }

    /// How many calendar months the period spans, both ends included (June to February: 9).
    #[must_use]
    pub fn months(&self) -> u8 {
        let (a, b) = (self.first_month, self.last_month);
        if b >= a { b - a + 1 } else { 12 - a + b + 1 }
    }

    /// The period in words: `6月～2月`, `June to February`.
    #[must_use]
    pub fn period(&self) -> Text {
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let en = |m: u8| EN.get(usize::from(m).wrapping_sub(1)).copied().unwrap_or("?");
        Text::new(
            format!("{}月～{}月", self.first_month, self.last_month),
            format!("{} to {}", en(self.first_month), en(self.last_month)),
        )
    }
}

/// A stage of the exercise day.
///
/// Source: 演習の流れ on the MIC overview slide (2020-05-13): 事前学習 (オンライン) → 講義 → 演習 →
/// 振り返り; "実機演習は1日で完結".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum FlowStage {
    /// Online pre-learning: recent attack cases, attacker tools, the tools used in the exercise.
    PreLearning,
    /// Lecture: recap of the pre-learning and the incident-response flow.
    Lecture,
    /// Hands-on exercise on the virtual network.
    HandsOn,
    /// Review: checking the work, good practice, group presentation and incident report.
    Review,
}

impl FlowStage {
    /// The stages in order.
    pub const ALL: [Self; 4] = [Self::PreLearning, Self::Lecture, Self::HandsOn, Self::Review];

    /// The stage name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::PreLearning => Text::new("事前学習(オンライン)", "online pre-learning"),
            Self::Lecture => Text::new("講義", "lecture"),
            Self::HandsOn => Text::new("演習", "hands-on exercise"),
            Self::Review => Text::new("振り返り", "review"),
        }
    }

    /// What happens in the stage, summarised in our own words from the slide.
    #[must_use]
    pub fn activities(self) -> Text {
        match self {
            Self::PreLearning => Text::new(
                "最近の攻撃事例、攻撃に使われる道具や技術、演習で使う管理・解析ツールをオンラインで学ぶ",
                "learn online about recent attacks, attacker tools and techniques, and the tools used in the exercise",
            ),
            Self::Lecture => Text::new(
                "事前学習を振り返り、攻撃への対処の流れを学ぶ",
                "recap the pre-learning and learn the end-to-end response flow",
            ),
            Self::HandsOn => Text::new(
                "検知と注意喚起、不審ファイルの解析と現状把握、エスカレーション、感染端末と原因の調査、漏えいの報告を実機で行う",
                "on real machines: detect and warn staff, analyse the suspicious file and assess, escalate, investigate infected hosts and the cause, report the leak",
            ),
            Self::Review => Text::new(
                "作業を確かめ、運用のポイントを学び、チームでまとめた結果を発表しインシデント報告書を書く",
                "check the work, learn good practice, present the team's findings and write an incident report",
            ),
        }
    }

    /// Whether the course includes this stage (online A has no group review).
    #[must_use]
    pub fn in_course(self, course: Course) -> bool {
        self != Self::Review || course.info().group_work
    }
}

/// The most members a team has: "他組織の参加者とチームになり4名1組で演習を実施します"
/// (MIC overview slide FAQ, 2020-05-13) and "teams of up to 4" (NICT press release 2025-05-13,
/// <https://www1.nict.go.jp/press/2025/05/13-2.html>).
pub const MAX_TEAM_MEMBERS: usize = 4;

/// A role in the defending team. Roles are a modelling choice, not a CYDER rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum TeamRole {
    /// Leads and decides.
    Leader,
    /// Analyses logs and files.
    Analyst,
    /// Talks to staff, management and outside parties.
    Liaison,
    /// Keeps the record of actions.
    Recorder,
}

impl TeamRole {
    /// The role name.
    #[must_use]
    pub fn name(self) -> Text {
        match self {
            Self::Leader => Text::new("リーダー", "leader"),
            Self::Analyst => Text::new("解析担当", "analyst"),
            Self::Liaison => Text::new("連絡担当", "liaison"),
            Self::Recorder => Text::new("記録担当", "recorder"),
        }
    }
}

/// A member of a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Member {
    /// Name or handle.
    pub name: String,
    /// The member's own organisation (teams mix organisations).
    pub organisation: String,
    /// Role in the team.
    pub role: TeamRole,
}

/// A team of at most [`MAX_TEAM_MEMBERS`] members. The size limit is checked when an action log is
/// checked against a scenario (code `team-too-large`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Team {
    /// Team name.
    pub name: String,
    /// Members: 1 to [`MAX_TEAM_MEMBERS`], checked with the log (semantic check
    /// `scenario-validation`), so that every problem of a log is reported at once.
    pub members: Vec<Member>,
}

impl Team {
    /// How many distinct organisations the members come from.
    #[must_use]
    pub fn organisations(&self) -> usize {
        self.members.iter().map(|m| m.organisation.as_str()).collect::<std::collections::BTreeSet<_>>().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_facts() {
        assert_eq!(Course::C.info().days, 2);
        assert!(Course::ALL.iter().filter(|c| **c != Course::C).all(|c| c.info().days == 1));
        assert!(!Course::OnlineA.info().group_work);
        assert!(!FlowStage::Review.in_course(Course::OnlineA));
        assert!(FlowStage::Review.in_course(Course::B1));
        assert_eq!(FeeSchedule::default().yen(Course::C.info().fee_class), 121_000);
        assert_eq!(Course::B1.info().level, Level::Intermediate);
        assert_eq!(serde_json::to_string(&Course::OnlineA).unwrap(), "\"online-A\"");
        assert_eq!(serde_json::from_str::<Course>("\"B-1\"").unwrap(), Course::B1);
    }

    #[test]
    fn yearly_figures_from_the_slide() {
        let total: u32 = YEARLY_FIGURES.iter().map(|y| y.trainees).sum();
        assert_eq!(total, 3_009 + 2_666 + 3_090);
        assert_eq!(YEARLY_FIGURES[1].fiscal_year.to_japanese().as_deref(), Some("平成30年度"));
        assert_eq!(YEARLY_FIGURES[2].sessions, 105);
    }

    /// The FY2019 table of the MIC overview slide (令和元年度の実施状況, 2020-05-13): A 66 sessions
    /// June–February, B-1 20 September–November, B-2 19 November–February; together the year's 105.
    #[test]
    fn fy2019_sessions_per_course_from_the_slide() {
        let rows = CourseSessions::fy2019();
        let got: Vec<(Course, u32, u8, u8)> =
            rows.iter().map(|r| (r.course, r.sessions, r.first_month, r.last_month)).collect();
        assert_eq!(got, vec![(Course::A, 66, 6, 2), (Course::B1, 20, 9, 11), (Course::B2, 19, 11, 2)]);
        let total: u32 = rows.iter().map(|r| r.sessions).sum();
        let fy2019 = YEARLY_FIGURES.iter().find(|y| y.fiscal_year == FiscalYear::new(2019)).map(|y| y.sessions);
        assert_eq!(Some(total), fy2019);
        assert_eq!(rows[0].period().get(ismap_model::Lang::En), "June to February");
        assert_eq!(rows[2].period().get(ismap_model::Lang::Ja), "11月～2月");
        assert_eq!(rows.iter().map(CourseSessions::months).collect::<Vec<_>>(), [9, 3, 4]);
        assert!(rows.iter().all(|r| r.fiscal_year.to_japanese().as_deref() == Some("令和元年度")));
        assert_eq!(rows[2].locations.get(ismap_model::Lang::En), "Tokyo, Osaka, Nagoya");
    }
}
