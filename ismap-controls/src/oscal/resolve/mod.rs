//! Profile resolution: turning an OSCAL profile into the catalog it describes.
//!
//! Follows the OSCAL profile resolution specification (draft, `usnistgov/OSCAL`
//! `src/specifications/profile-resolution/profile-resolution-specml.xml`):
//!
//! - **import**: each import yields a selection from a catalog, or from a profile resolved first
//!   (chained imports). `include-all`, `include-controls` (`with-ids`, glob `matching`,
//!   `with-child-controls: yes` = all descendants) and `exclude-controls` (exclusion wins); an
//!   import without inclusion includes all. An `href` is relative to the profile; `#uuid` names a
//!   back-matter resource whose `rlinks` (JSON first) or `base64` give the document. When the
//!   named file is missing and a `.json` file with the same stem is beside it, that file is used
//!   (NIST's JSON profiles name the XML catalog). Import cycles are errors naming the chain.
//! - **merge**: `combine` `keep` (default; clashes kept, with a warning) or `use-first` (first
//!   in depth-first import order wins; the deprecated `merge` is treated as `use-first` with a
//!   warning); structure `flat` (default), `as-is` (groups of the sources kept; a control whose
//!   parent control is not selected is up-levelled to the nearest selected ancestor, or to its
//!   group) or `custom` (the profile's groups with `insert-controls`, order `keep`, `ascending`
//!   or `descending` in natural id order).
//! - **modify**: `set-parameters` (class, depends-on, label, usage, values, select replace;
//!   props, links, constraints, guidelines append; a prop with the uuid of an existing one
//!   replaces it; applied in order) and `alters` (removes, then adds; several adds at one place
//!   keep profile order). An add whose `by-id` is the control's own id is applied to the
//!   control, as NIST's reference resolver does, with a warning naming the specification's
//!   clause that makes it inoperative; [`ResolveOptions::strict_spec`] follows the clause.
//! - **finish**: metadata copied from the profile with `last-modified` set to the resolution
//!   time, `oscal-version` the newest of the documents involved, and a `resolution-source` link
//!   to the profile; back-matter resources of the imports then of the profile, a later resource
//!   with the same uuid replacing an earlier one unless only the earlier is marked
//!   `keep: always`; resources pruned to those referenced (`#uuid`) from the result or marked
//!   `keep: always`; loose parameters pruned to those referenced.
//!
//! Imports by `http(s)://` URL are never fetched: [`ResolveOptions::import_map`] maps such an
//! href to a local copy.
//!
//! Every document the resolver reads (the profile, and each catalog or profile it imports,
//! embedded base64 copies included) is loaded within the resolver's [`Limits`]
//! ([`Resolver::with_limits`]; [`Limits::DEFAULT`] otherwise), as
//! [`super::load_document_str_with`] does; a file whose [`Fetch::size`] is over
//! [`Limits::input_bytes`] is not read at all.

mod modify;
mod select;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use ismap_model::{Limits, Text};

use super::model::{BackMatter, Catalog, CombineMethod, Link, Metadata, Profile, Resource};
use super::refs::fragment_refs;
use super::{Document, LoadError, load_document_str_with};

pub use select::Selection;

/// Reads the documents a profile imports. [`FsFetcher`] reads files; tests and embedders can
/// serve documents from memory.
pub trait Fetch {
    /// The text of the document at `path`.
    ///
    /// # Errors
    /// Any I/O error, e.g. not found.
    fn read(&self, path: &Path) -> std::io::Result<String>;

    /// Whether a document exists at `path`.
    fn exists(&self, path: &Path) -> bool;

    /// The size in bytes of the document at `path`, when it can be told without reading it.
    /// The resolver checks it against [`Limits::input_bytes`] before calling [`Fetch::read`]
    /// (and checks the text read in any case). `None`, the default, when unknown.
    fn size(&self, path: &Path) -> Option<u64> {
        let _ = path;
        None
    }
}

/// Reads documents from the file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct FsFetcher;

impl Fetch for FsFetcher {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn exists(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn size(&self, path: &Path) -> Option<u64> {
        std::fs::metadata(path).ok().map(|m| m.len())
    }
}

/// Documents held in memory, by path.
#[derive(Debug, Clone, Default)]
pub struct MemoryFetcher {
    docs: HashMap<PathBuf, String>,
}

impl MemoryFetcher {
    /// An empty set of documents.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document.
    #[must_use]
    pub fn with(mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        self.docs.insert(normalize(&path.into()), text.into());
        self
    }
}

impl Fetch for MemoryFetcher {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.docs
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such document"))
    }

    fn exists(&self, path: &Path) -> bool {
        self.docs.contains_key(&normalize(path))
    }

    fn size(&self, path: &Path) -> Option<u64> {
        self.docs.get(&normalize(path)).and_then(|d| u64::try_from(d.len()).ok())
    }
}

/// Options of a resolution.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ResolveOptions {
    /// The result's `last-modified`; the current time (UTC) when `None`.
    pub timestamp: Option<String>,
    /// The result's uuid; a random (v4) uuid when `None`.
    pub uuid: Option<String>,
    /// The `href` of the `resolution-source` link; the profile's file name when `None`.
    pub source_href: Option<String>,
    /// Follow the specification where common resolvers do not: an `add` whose `by-id` is the
    /// altered control's own id is inoperative (with a [`WarningKind::SelfTargetedAdd`]).
    /// `false` (the default) applies it to the control, as NIST's reference resolver does.
    pub strict_spec: bool,
    /// Local copies of documents imported by URL: an import (or back-matter `rlink`) whose
    /// `href` (without its `#fragment`) equals a key is read from the path instead; nothing is
    /// fetched from the network. A relative path is taken as the [`Fetch`] takes it (for
    /// [`FsFetcher`], relative to the working directory), not relative to the profile.
    pub import_map: BTreeMap<String, PathBuf>,
}

impl ResolveOptions {
    /// Fixed timestamp and uuid, for reproducible output.
    #[must_use]
    pub fn fixed(timestamp: impl Into<String>, uuid: impl Into<String>) -> Self {
        Self { timestamp: Some(timestamp.into()), uuid: Some(uuid.into()), ..Self::default() }
    }

    /// The same options, reading the document imported as `href` from `path` (see
    /// [`ResolveOptions::import_map`]).
    #[must_use]
    pub fn with_import(mut self, href: impl Into<String>, path: impl Into<PathBuf>) -> Self {
        self.import_map.insert(href.into(), path.into());
        self
    }

    /// The same options with [`ResolveOptions::strict_spec`] set.
    #[must_use]
    pub const fn with_strict_spec(mut self, strict: bool) -> Self {
        self.strict_spec = strict;
        self
    }
}

/// A resolved profile: the catalog, and what was noticed on the way.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolved {
    /// The resolved catalog.
    pub catalog: Catalog,
    /// Inoperative directives, clashes and the like. Resolution went on despite them.
    pub warnings: Vec<ResolveWarning>,
}

/// Something a resolution noticed that did not stop it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolveWarning {
    /// The profile the directive is in.
    pub profile: String,
    /// What.
    pub kind: WarningKind,
}

/// Kinds of [`ResolveWarning`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// A `with-ids` entry names no control of the imported document.
    UnknownControl {
        /// The id.
        id: String,
        /// The import's href.
        href: String,
    },
    /// Under `combine: keep`, a control id appears more than once in the result.
    DuplicateControl {
        /// The id.
        id: String,
    },
    /// `combine: merge` is deprecated; resolved as `use-first`.
    DeprecatedMerge,
    /// An `insert-controls` of a custom structure selects nothing.
    EmptyInsert {
        /// The title of the group it is in (empty at the top).
        group: String,
    },
    /// A `set-parameters` entry names no parameter of the result.
    UnknownParameter {
        /// The parameter id.
        param_id: String,
    },
    /// An `alters` entry names no control of the result.
    UnknownAlteredControl {
        /// The control id.
        control_id: String,
    },
    /// An `add` with `by-id` names nothing inside the control, or adds content the target
    /// cannot hold (that content is dropped).
    InoperativeAdd {
        /// The control.
        control_id: String,
        /// What went wrong.
        issue: AddIssue,
    },
    /// A `remove` has no criterion, or matches nothing.
    InoperativeRemove {
        /// The control.
        control_id: String,
    },
    /// An `add` whose `by-id` is the altered control's own id. The profile resolution
    /// specification (modify phase, `add`: `by-id` names an object *inside* the control) makes
    /// it inoperative; NIST's reference resolver and other tools apply it to the control.
    SelfTargetedAdd {
        /// The control.
        control_id: String,
        /// Whether it was applied to the control (`false` under
        /// [`ResolveOptions::strict_spec`]).
        applied: bool,
    },
}

impl ResolveWarning {
    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        let p = &self.profile;
        match &self.kind {
            WarningKind::UnknownControl { id, href } => Text::new(
                format!("{p}: `{href}` に管理策 `{id}` がありません"),
                format!("{p}: `{href}` has no control `{id}`"),
            ),
            WarningKind::DuplicateControl { id } => Text::new(
                format!("{p}: 管理策 `{id}` が重複しています（combine: keep）"),
                format!("{p}: control `{id}` appears more than once (combine: keep)"),
            ),
            WarningKind::DeprecatedMerge => Text::new(
                format!("{p}: combine `merge` は非推奨のため use-first として解決しました"),
                format!("{p}: combine `merge` is deprecated; resolved as use-first"),
            ),
            WarningKind::EmptyInsert { group } => Text::new(
                format!("{p}: グループ `{group}` の insert-controls が何も選択しません"),
                format!("{p}: insert-controls in group `{group}` selects nothing"),
            ),
            WarningKind::UnknownParameter { param_id } => Text::new(
                format!("{p}: set-parameters のパラメータ `{param_id}` が結果にありません"),
                format!("{p}: set-parameters names `{param_id}`, which is not in the result"),
            ),
            WarningKind::UnknownAlteredControl { control_id } => Text::new(
                format!("{p}: alters の管理策 `{control_id}` が結果にありません"),
                format!("{p}: alters names control `{control_id}`, which is not in the result"),
            ),
            WarningKind::InoperativeAdd { control_id, issue: AddIssue::TargetNotFound { by_id } } => Text::new(
                format!("{p}: 管理策 `{control_id}` に by-id `{by_id}` の対象がないため add を適用しません"),
                format!("{p}: add on control `{control_id}` is inoperative: nothing inside it has id `{by_id}`"),
            ),
            WarningKind::InoperativeAdd { control_id, issue: AddIssue::NotHeld { item, target } } => Text::new(
                format!("{p}: 管理策 `{control_id}` への add: {target} は {item} を持てないため省きました"),
                format!("{p}: add on control `{control_id}`: a {target} cannot hold {item}; left out"),
            ),
            WarningKind::SelfTargetedAdd { control_id, applied: true } => Text::new(
                format!(
                    "{p}: 管理策 `{control_id}` への add の by-id が管理策自身を指しています。プロファイル解決仕様（modify フェーズ、add の by-id は管理策内の対象を指す）では無効ですが、NIST の参照実装と同じく管理策に適用しました（--strict-spec で無効のまま）"
                ),
                format!(
                    "{p}: add on control `{control_id}` has by-id `{control_id}`, the control itself: the profile resolution specification (modify phase, add: by-id names an object inside the control) makes it inoperative; applied to the control as NIST's reference resolver does (--strict-spec leaves it out)"
                ),
            ),
            WarningKind::SelfTargetedAdd { control_id, applied: false } => Text::new(
                format!(
                    "{p}: 管理策 `{control_id}` への add の by-id が管理策自身を指すため、プロファイル解決仕様（modify フェーズ、add の by-id は管理策内の対象を指す）に従い適用しません"
                ),
                format!(
                    "{p}: add on control `{control_id}` is inoperative: its by-id is the control itself, and the profile resolution specification (modify phase, add: by-id names an object inside the control) makes it so (strict-spec)"
                ),
            ),
            WarningKind::InoperativeRemove { control_id } => Text::new(
                format!("{p}: 管理策 `{control_id}` への remove が何も削除しません"),
                format!("{p}: remove on control `{control_id}` removes nothing"),
            ),
        }
    }
}

impl std::fmt::Display for ResolveWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message().get(ismap_model::Lang::En))
    }
}

/// Why (part of) an `add` directive had no effect.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddIssue {
    /// `by-id` names nothing inside the control.
    TargetNotFound {
        /// The id.
        by_id: String,
    },
    /// The target cannot hold this kind of content at that position.
    NotHeld {
        /// `params`, `title`, ...
        item: &'static str,
        /// `part`, `parameter`, ...
        target: &'static str,
    },
}

/// Why a profile could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// A document could not be read.
    #[error("cannot read `{}` (imported as `{href}`): {reason}", path.display())]
    Read {
        /// The import's href as written.
        href: String,
        /// The file tried.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A document is not valid OSCAL JSON.
    #[error("`{}`: {error}", path.display())]
    Load {
        /// The file.
        path: PathBuf,
        /// The load error.
        error: LoadError,
    },
    /// An import names a mapping collection, or the top-level document is not a profile.
    #[error("`{}` is an OSCAL {found}, expected {expected}", path.display())]
    WrongDocument {
        /// The file.
        path: PathBuf,
        /// What was found.
        found: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// A profile imports itself, directly or through others.
    #[error("import cycle: {}", chain.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(" -> "))]
    Cycle {
        /// The profiles of the cycle, the first repeated at the end.
        chain: Vec<PathBuf>,
    },
    /// An import names a network resource; only local files are read.
    #[error(
        "`{href}`: remote imports are not fetched; save the document locally and map the URL to it (`--map-import URL=PATH`), or import it by a relative path"
    )]
    Remote {
        /// The href.
        href: String,
    },
    /// An import `#uuid` names no back-matter resource, or the resource gives no usable copy.
    #[error("import `{href}` in `{}`: {reason}", profile.display())]
    Resource {
        /// The href.
        href: String,
        /// The profile.
        profile: PathBuf,
        /// Why.
        reason: String,
    },
    /// The profile is malformed in a way resolution cannot get past.
    #[error("`{}`: {reason}", profile.display())]
    Invalid {
        /// The profile.
        profile: PathBuf,
        /// Why.
        reason: String,
    },
}

impl ResolveError {
    /// The message in Japanese and English.
    #[must_use]
    pub fn message(&self) -> Text {
        let ja = match self {
            Self::Read { href, path, reason } => {
                format!("`{}`（`{href}` として取り込み）を読めません: {reason}", path.display())
            }
            Self::Load { path, error } => {
                format!("`{}`: {}", path.display(), error.message().get(ismap_model::Lang::Ja))
            }
            Self::WrongDocument { path, found, expected } => {
                format!("`{}` はOSCAL {found} です（{expected} が必要）", path.display())
            }
            Self::Cycle { chain } => format!(
                "取り込みが循環しています: {}",
                chain.iter().map(|p| format!("`{}`", p.display())).collect::<Vec<_>>().join(" -> ")
            ),
            Self::Remote { href } => format!(
                "`{href}`: ネットワーク上の文書は取得しません。ローカルに保存して URL をそのパスに対応付ける（`--map-import URL=PATH`）か、相対パスで取り込んでください"
            ),
            Self::Resource { href, profile, reason } => {
                format!("`{}` の取り込み `{href}`: {reason}", profile.display())
            }
            Self::Invalid { profile, reason } => format!("`{}`: {reason}", profile.display()),
        };
        Text::new(ja, self.to_string())
    }
}

/// Resolves the profile in file `path` with the file system fetcher, within
/// [`Limits::DEFAULT`] (use [`Resolver::with_limits`] for others).
///
/// # Errors
/// See [`ResolveError`].
///
/// # Examples
/// ```no_run
/// use ismap_controls::oscal::resolve::{resolve_file, ResolveOptions};
/// let resolved = resolve_file("NIST_SP-800-53_rev5_LOW-baseline_profile.json".as_ref(), &ResolveOptions::default())?;
/// println!("{} groups", resolved.catalog.groups.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resolve_file(path: &Path, options: &ResolveOptions) -> Result<Resolved, ResolveError> {
    Resolver::new(&FsFetcher).resolve_file(path, options)
}

/// A profile resolver over a [`Fetch`], loading every document within its [`Limits`].
///
/// ```
/// use ismap_controls::oscal::resolve::{MemoryFetcher, Resolver, ResolveError, ResolveOptions};
/// use ismap_controls::oscal::LoadError;
/// use ismap_model::{LimitKind, Limits};
/// let profile = r#"{"profile": {"uuid": "u", "metadata": {"title": "p", "last-modified": "2024-01-01T00:00:00Z",
///     "version": "1", "oscal-version": "1.1.2"}, "imports": [{"href": "c.json"}]}}"#;
/// let docs = MemoryFetcher::new().with("p.json", profile).with("c.json", "[".repeat(100));
/// let resolver = Resolver::new(&docs).with_limits(Limits::default().with_depth(16));
/// let e = resolver.resolve_file("p.json".as_ref(), &ResolveOptions::default()).unwrap_err();
/// assert!(matches!(e, ResolveError::Load { error: LoadError::Limit(l), .. } if l.kind() == LimitKind::Depth));
/// ```
#[derive(Debug)]
pub struct Resolver<'f, F: Fetch + ?Sized> {
    fetch: &'f F,
    limits: Limits,
}

/// One import's result: the selected controls of a catalog.
struct Source {
    catalog: Catalog,
}

impl<'f, F: Fetch + ?Sized> Resolver<'f, F> {
    /// A resolver reading documents through `fetch`, within [`Limits::DEFAULT`].
    pub const fn new(fetch: &'f F) -> Self {
        Self { fetch, limits: Limits::DEFAULT }
    }

    /// The same resolver, loading every document within `limits`.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The limits every document is loaded within.
    #[must_use]
    pub const fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Resolves the profile at `path`.
    ///
    /// # Errors
    /// See [`ResolveError`].
    pub fn resolve_file(&self, path: &Path, options: &ResolveOptions) -> Result<Resolved, ResolveError> {
        let path = normalize(path);
        let text = self.read(&path, &path.display().to_string())?;
        let profile = match load_document_str_with(&text, &self.limits)
            .map_err(|error| ResolveError::Load { path: path.clone(), error })?
        {
            Document::Profile(p) => *p,
            other => {
                return Err(ResolveError::WrongDocument { path, found: other.kind(), expected: "profile" });
            }
        };
        self.resolve_profile(&profile, &path, options)
    }

    /// Resolves a profile already loaded, as if it were the file `path` (imports resolve
    /// relative to it).
    ///
    /// # Errors
    /// See [`ResolveError`].
    pub fn resolve_profile(
        &self,
        profile: &Profile,
        path: &Path,
        options: &ResolveOptions,
    ) -> Result<Resolved, ResolveError> {
        let path = normalize(path);
        let mut warnings = Vec::new();
        let mut stack = vec![path.clone()];
        let mut catalog = self.resolve_inner(profile, &path, options, true, &mut stack, &mut warnings)?;
        catalog.uuid = options.uuid.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        catalog.metadata.last_modified = options.timestamp.clone().unwrap_or_else(now);
        let href = options.source_href.clone().unwrap_or_else(|| {
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
        });
        catalog.metadata.links.insert(0, Link::new(href, Some("resolution-source")));
        Ok(Resolved { catalog, warnings })
    }

    /// The catalog the import and merge phases of `profile` give, before its own `modify`
    /// (imported profiles are resolved in full): what its `set-parameters` and `alters` apply
    /// to. [`super::validate::profile_alters`] checks the alters against it.
    ///
    /// # Errors
    /// See [`ResolveError`].
    pub fn resolve_unmodified(
        &self,
        profile: &Profile,
        path: &Path,
        options: &ResolveOptions,
    ) -> Result<Catalog, ResolveError> {
        let path = normalize(path);
        let mut warnings = Vec::new();
        let mut stack = vec![path.clone()];
        self.resolve_inner(profile, &path, options, false, &mut stack, &mut warnings)
    }

    fn resolve_inner(
        &self,
        profile: &Profile,
        path: &Path,
        options: &ResolveOptions,
        modify: bool,
        stack: &mut Vec<PathBuf>,
        warnings: &mut Vec<ResolveWarning>,
    ) -> Result<Catalog, ResolveError> {
        let label = path.display().to_string();
        let warn =
            |warnings: &mut Vec<ResolveWarning>, kind| warnings.push(ResolveWarning { profile: label.clone(), kind });
        if profile.imports.is_empty() {
            return Err(ResolveError::Invalid {
                profile: path.to_owned(),
                reason: "the profile imports nothing".into(),
            });
        }
        // Import phase.
        let mut sources = Vec::new();
        let mut selections = Vec::new();
        for import in &profile.imports {
            let catalog = self.import_catalog(profile, path, &import.href, options, stack, warnings)?;
            let (selection, unknown) = Selection::new(&catalog, import);
            for id in unknown {
                warn(warnings, WarningKind::UnknownControl { id, href: import.href.clone() });
            }
            sources.push(Source { catalog });
            selections.push(selection);
        }
        // Merge phase: combine.
        let merge = profile.merge.clone().unwrap_or_default();
        let method = merge.combine.as_ref().and_then(|c| c.method).unwrap_or(CombineMethod::Keep);
        match method {
            CombineMethod::Keep => {
                for id in select::duplicates(&sources, &selections) {
                    warn(warnings, WarningKind::DuplicateControl { id });
                }
            }
            CombineMethod::UseFirst => select::use_first(&sources, &mut selections),
            CombineMethod::Merge => {
                warn(warnings, WarningKind::DeprecatedMerge);
                select::use_first(&sources, &mut selections);
            }
        }
        // Merge phase: structure.
        let structures = usize::from(merge.flat.is_some())
            + usize::from(merge.as_is.is_some())
            + usize::from(merge.custom.is_some());
        if structures > 1 {
            return Err(ResolveError::Invalid {
                profile: path.to_owned(),
                reason: "merge has more than one of flat, as-is and custom".into(),
            });
        }
        let pairs: Vec<(&Catalog, &Selection)> = sources.iter().map(|s| &s.catalog).zip(selections.iter()).collect();
        let mut result = Catalog::new(String::new(), Metadata::default());
        if let Some(custom) = &merge.custom {
            let mut empty = Vec::new();
            select::custom(&pairs, custom, &mut result, &mut empty);
            for group in empty {
                warn(warnings, WarningKind::EmptyInsert { group });
            }
        } else if merge.as_is == Some(true) {
            select::as_is(&pairs, &mut result);
        } else {
            select::flat(&pairs, &mut result);
        }
        // Modify phase.
        if let Some(m) = profile.modify.as_ref().filter(|_| modify) {
            for kind in modify::apply(&mut result, m, options.strict_spec) {
                warn(warnings, kind);
            }
        }
        // Finish: loose parameters, metadata, back matter.
        prune_loose_params(&mut result);
        result.metadata = metadata(profile, &sources);
        result.back_matter = back_matter(profile, &sources, &result);
        Ok(result)
    }

    /// Fetches and, for a profile, resolves the document an import names.
    fn import_catalog(
        &self,
        profile: &Profile,
        path: &Path,
        href: &str,
        options: &ResolveOptions,
        stack: &mut Vec<PathBuf>,
        warnings: &mut Vec<ResolveWarning>,
    ) -> Result<Catalog, ResolveError> {
        let (target, text) = self.locate(profile, path, href, options)?;
        let doc = load_document_str_with(&text, &self.limits)
            .map_err(|error| ResolveError::Load { path: target.clone(), error })?;
        match doc {
            Document::Catalog(c) => Ok(*c),
            Document::Profile(p) => {
                if let Some(i) = stack.iter().position(|s| *s == target) {
                    let mut chain: Vec<PathBuf> = stack.get(i..).map(<[PathBuf]>::to_vec).unwrap_or_default();
                    chain.push(target);
                    return Err(ResolveError::Cycle { chain });
                }
                stack.push(target.clone());
                let result = self.resolve_inner(&p, &target, options, true, stack, warnings);
                stack.pop();
                result
            }
            other @ Document::MappingCollection(_) => {
                Err(ResolveError::WrongDocument { path: target, found: other.kind(), expected: "catalog or profile" })
            }
        }
    }

    /// Finds the document an href names and reads it.
    fn locate(
        &self,
        profile: &Profile,
        path: &Path,
        href: &str,
        options: &ResolveOptions,
    ) -> Result<(PathBuf, String), ResolveError> {
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        let mapped = |link: &str| options.import_map.get(link.split('#').next().unwrap_or(link)).map(|p| normalize(p));
        if let Some(uuid) = href.strip_prefix('#') {
            let resource =
                profile.back_matter.as_ref().and_then(|b| b.resources.iter().find(|r| r.uuid == uuid)).ok_or_else(
                    || ResolveError::Resource {
                        href: href.to_owned(),
                        profile: path.to_owned(),
                        reason: "no back-matter resource has this uuid".into(),
                    },
                )?;
            // JSON copies first, then the others in order.
            let mut links: Vec<&str> = resource.rlinks.iter().map(|l| l.href.as_str()).collect();
            links.sort_by_key(|h| !is_json_like(h, resource));
            for link in links {
                if let Some(local) = mapped(link) {
                    return self.read_mapped(&local, link);
                }
                if is_remote(link) {
                    continue;
                }
                if let Some(found) = self.find_file(base, link) {
                    let text = self.read(&found, link)?;
                    return Ok((found, text));
                }
            }
            if let Some(b64) = &resource.base64 {
                let bytes = decode_base64(&b64.value).ok_or_else(|| ResolveError::Resource {
                    href: href.to_owned(),
                    profile: path.to_owned(),
                    reason: "the embedded base64 content does not decode".into(),
                })?;
                let text = String::from_utf8(bytes).map_err(|_| ResolveError::Resource {
                    href: href.to_owned(),
                    profile: path.to_owned(),
                    reason: "the embedded content is not UTF-8 text".into(),
                })?;
                return Ok((path.join(format!("#{uuid}")), text));
            }
            if let Some(remote) = resource.rlinks.iter().find(|l| is_remote(&l.href)) {
                return Err(ResolveError::Remote { href: remote.href.clone() });
            }
            return Err(ResolveError::Resource {
                href: href.to_owned(),
                profile: path.to_owned(),
                reason: "none of the resource's rlinks names a readable file".into(),
            });
        }
        if let Some(local) = mapped(href) {
            return self.read_mapped(&local, href);
        }
        if is_remote(href) {
            return Err(ResolveError::Remote { href: href.to_owned() });
        }
        match self.find_file(base, href) {
            Some(found) => {
                let text = self.read(&found, href)?;
                Ok((found, text))
            }
            None => Err(ResolveError::Read {
                href: href.to_owned(),
                path: normalize(&base.join(local_part(href))),
                reason: "not found (nor a .json file with the same stem)".into(),
            }),
        }
    }

    /// Reads the local copy `local` of the document imported as `href`.
    fn read_mapped(&self, local: &Path, href: &str) -> Result<(PathBuf, String), ResolveError> {
        if !self.fetch.exists(local) {
            return Err(ResolveError::Read {
                href: href.to_owned(),
                path: local.to_owned(),
                reason: "the local copy it is mapped to is not there".into(),
            });
        }
        let text = self.read(local, href)?;
        Ok((local.to_owned(), text))
    }

    /// Reads a document, unless its size is known to be over [`Limits::input_bytes`].
    fn read(&self, path: &Path, href: &str) -> Result<String, ResolveError> {
        if let Some(size) = self.fetch.size(path) {
            let size = usize::try_from(size).unwrap_or(usize::MAX);
            self.limits
                .check_input_bytes(size)
                .map_err(|e| ResolveError::Load { path: path.to_owned(), error: LoadError::Limit(e) })?;
        }
        self.fetch.read(path).map_err(|e| ResolveError::Read {
            href: href.to_owned(),
            path: path.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The file an href names relative to `base`, or its `.json` sibling when it is missing.
    fn find_file(&self, base: &Path, href: &str) -> Option<PathBuf> {
        let local = local_part(href);
        if local.is_empty() {
            return None;
        }
        let candidate = normalize(&base.join(local));
        if self.fetch.exists(&candidate) {
            return Some(candidate);
        }
        let is_json = candidate.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if !is_json {
            let sibling = candidate.with_extension("json");
            if self.fetch.exists(&sibling) {
                return Some(sibling);
            }
        }
        None
    }
}

/// The path part of an href: without `file://` and without a fragment.
fn local_part(href: &str) -> &str {
    let h = href.strip_prefix("file://").unwrap_or(href);
    h.split('#').next().unwrap_or(h)
}

fn is_remote(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn is_json_like(href: &str, resource: &Resource) -> bool {
    let by_name = local_part(href).to_ascii_lowercase().ends_with(".json");
    let by_type =
        resource.rlinks.iter().any(|l| l.href == href && l.media_type.as_deref().is_some_and(|m| m.contains("json")));
    by_name || by_type
}

/// Removes `.` and resolves `..` lexically, so that the same file has one name.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal = matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The current time as an OSCAL date-time (UTC, milliseconds).
fn now() -> String {
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Decodes standard base64 (padding and whitespace tolerated).
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// The result's metadata: the profile's, with the newest OSCAL version of the documents
/// involved, and roles and parties marked `keep: always` in the sources.
fn metadata(profile: &Profile, sources: &[Source]) -> Metadata {
    let mut m = profile.metadata.clone();
    for s in sources {
        if newer(&s.catalog.metadata.oscal_version, &m.oscal_version) {
            m.oscal_version.clone_from(&s.catalog.metadata.oscal_version);
        }
        for role in &s.catalog.metadata.roles {
            if role.props.iter().any(super::model::Property::is_keep_always) && !m.roles.iter().any(|r| r.id == role.id)
            {
                m.roles.push(role.clone());
            }
        }
        for party in &s.catalog.metadata.parties {
            if party.props.iter().any(super::model::Property::is_keep_always)
                && !m.parties.iter().any(|p| p.uuid == party.uuid)
            {
                m.parties.push(party.clone());
            }
        }
    }
    m
}

/// Whether version `a` is newer than `b` (numeric dot-separated parts; other text compares as 0).
fn newer(a: &str, b: &str) -> bool {
    let parts = |s: &str| -> Vec<u64> { s.split(['.', '-']).map(|p| p.parse().unwrap_or(0)).collect() };
    parts(a) > parts(b)
}

/// Back matter of the result: resources of the sources then of the profile, de-duplicated by
/// uuid, pruned to those referenced or marked `keep: always`. `None` when none remain.
fn back_matter(profile: &Profile, sources: &[Source], result: &Catalog) -> Option<BackMatter> {
    let mut all: Vec<Resource> = Vec::new();
    let incoming = sources
        .iter()
        .filter_map(|s| s.catalog.back_matter.as_ref())
        .chain(profile.back_matter.as_ref())
        .flat_map(|b| b.resources.iter());
    for r in incoming {
        if let Some(i) = all.iter().position(|x| x.uuid == r.uuid) {
            let kept_always = all.get(i).is_some_and(Resource::is_keep_always);
            if kept_always && !r.is_keep_always() {
                continue;
            }
            all.remove(i);
        }
        all.push(r.clone());
    }
    // References from the result (metadata and body), then from kept resources, to a fixpoint.
    let mut body = result.clone();
    body.back_matter = None;
    let mut refs = HashSet::new();
    fragment_refs(&serde_json::to_string(&body).unwrap_or_default(), &mut refs);
    let mut keep: Vec<bool> = all.iter().map(|r| r.is_keep_always() || refs.contains(&r.uuid)).collect();
    loop {
        let mut more = HashSet::new();
        for (r, k) in all.iter().zip(&keep) {
            if *k {
                fragment_refs(&serde_json::to_string(r).unwrap_or_default(), &mut more);
            }
        }
        let mut changed = false;
        for (r, k) in all.iter().zip(keep.iter_mut()) {
            if !*k && more.contains(&r.uuid) {
                *k = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let resources: Vec<Resource> = all.into_iter().zip(keep).filter(|(_, k)| *k).map(|(r, _)| r).collect();
    (!resources.is_empty()).then_some(BackMatter { resources })
}

/// Drops loose parameters (of the catalog and of groups) that nothing references.
fn prune_loose_params(catalog: &mut Catalog) {
    let mut body = catalog.clone();
    body.params.clear();
    fn clear_group_params(groups: &mut [super::model::Group]) {
        for g in groups {
            g.params.clear();
            clear_group_params(&mut g.groups);
        }
    }
    if catalog.params.is_empty() && !has_group_params(&catalog.groups) {
        return;
    }
    clear_group_params(&mut body.groups);
    let text = serde_json::to_string(&body).unwrap_or_default();
    let mut used = HashSet::new();
    super::refs::param_inserts(&text, &mut used);
    fragment_refs(&text, &mut used);
    // Parameters referenced by other loose parameters (inserts in labels, aggregates).
    let loose: Vec<super::model::Parameter> = all_loose(catalog);
    loop {
        let before = used.len();
        let live: Vec<&super::model::Parameter> = loose.iter().filter(|p| used.contains(&p.id)).collect();
        for p in live {
            let t = serde_json::to_string(p).unwrap_or_default();
            super::refs::param_inserts(&t, &mut used);
            for prop in p.props.iter().filter(|x| x.name == "aggregates") {
                used.insert(prop.value.clone());
            }
        }
        if used.len() == before {
            break;
        }
    }
    let keep = |p: &super::model::Parameter| used.contains(&p.id) || p.props.iter().any(|x| x.is_keep_always());
    catalog.params.retain(keep);
    fn retain_groups(groups: &mut [super::model::Group], keep: &dyn Fn(&super::model::Parameter) -> bool) {
        for g in groups {
            g.params.retain(keep);
            retain_groups(&mut g.groups, keep);
        }
    }
    retain_groups(&mut catalog.groups, &keep);
}

fn has_group_params(groups: &[super::model::Group]) -> bool {
    groups.iter().any(|g| !g.params.is_empty() || has_group_params(&g.groups))
}

fn all_loose(catalog: &Catalog) -> Vec<super::model::Parameter> {
    fn walk(groups: &[super::model::Group], out: &mut Vec<super::model::Parameter>) {
        for g in groups {
            out.extend(g.params.iter().cloned());
            walk(&g.groups, out);
        }
    }
    let mut out = catalog.params.clone();
    walk(&catalog.groups, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("aGVs\nbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(decode_base64("a*"), None);
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize(Path::new("a/./b/../c.json")), PathBuf::from("a/c.json"));
        assert_eq!(normalize(Path::new("../x/../y")), PathBuf::from("../y"));
    }

    #[test]
    fn versions_compare() {
        assert!(newer("1.1.2", "1.0.0"));
        assert!(!newer("1.0.0", "1.0.0"));
        assert!(newer("1.0.10", "1.0.9"));
    }
}
