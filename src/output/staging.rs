//! The temporary folder a new site is written into, and the swap that puts it in place.
//!
//! Input: the folder beside the target. Output: a staging folder `.<name>.tmp-XXXX` holding
//! the site marker, locked while this process owns it; the swap moves the old site's
//! top-level dot files and `CNAME` into it, renames the old site aside and the new one in.
//! Temporary folders that a killed build left behind (their marker no longer locked) are
//! removed by the next build; nothing else is ever touched.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::target::{SITE_MARKER, SITE_MARKER_TEXT};

/// A staging folder, removed when dropped unless it was swapped in.
pub(super) struct Staged {
    dir: Option<tempfile::TempDir>,
    name: String,
    /// The marker, locked while this build owns the folder.
    _lock: File,
}

impl Staged {
    /// A new staging folder beside the target `name` in `parent`.
    pub(super) fn create(parent: &Path, name: &str) -> anyhow::Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(parent)
            .with_context(|| {
                format!(
                    "could not create a temporary folder in `{}`",
                    parent.display()
                )
            })?;
        let lock = locked_marker(dir.path())?;
        Ok(Self {
            dir: Some(dir),
            name: name.to_string(),
            _lock: lock,
        })
    }

    /// The folder to write into.
    pub(super) fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .map_or(Path::new(""), tempfile::TempDir::path)
    }

    /// Replaces `target` with the staged site. An old site's top-level dot entries and
    /// `CNAME` move into the new one first, unless the new site has its own.
    pub(super) fn swap_in(mut self, target: &Path) -> anyhow::Result<()> {
        let staged = self.path().to_path_buf();
        let old_site = std::fs::symlink_metadata(target).ok();
        let Some(old_site) = old_site else {
            std::fs::rename(&staged, target).with_context(|| {
                format!("could not move the new site into `{}`", target.display())
            })?;
            let _ = self.dir.take().map(tempfile::TempDir::keep);
            return Ok(());
        };
        let parent = target.parent().unwrap_or(Path::new("."));
        // A symbolic link is replaced, not followed: the folder it points to stays as it is.
        let carried = if old_site.is_dir() {
            carry_over(target, &staged)?
        } else {
            Vec::new()
        };
        // The old site is ours to delete; lock it so no other build takes it for stale.
        let _old_lock = if old_site.is_dir() {
            locked_marker(target).ok()
        } else {
            None
        };
        let old = tempfile::Builder::new()
            .prefix(&format!(".{}.old-", self.name))
            .tempdir_in(parent)?
            .keep();
        // `old` now exists as an empty folder: rename the site into its place.
        std::fs::remove_dir(&old)?;
        if let Err(e) = std::fs::rename(target, &old) {
            put_back(&carried, &staged, target);
            return Err(e).with_context(|| {
                format!("could not move the old site `{}` aside", target.display())
            });
        }
        if let Err(e) = std::fs::rename(&staged, target) {
            let _ = std::fs::rename(&old, target);
            put_back(&carried, &staged, target);
            return Err(e).with_context(|| {
                format!("could not move the new site into `{}`", target.display())
            });
        }
        let _ = self.dir.take().map(tempfile::TempDir::keep);
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }
}

/// Creates (or opens) the site marker in `dir` and locks it for this process.
fn locked_marker(dir: &Path) -> anyhow::Result<File> {
    let path = dir.join(SITE_MARKER);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .with_context(|| format!("could not write `{}`", path.display()))?;
    if file.metadata().is_ok_and(|m| m.len() == 0) {
        std::fs::write(&path, SITE_MARKER_TEXT)
            .with_context(|| format!("could not write `{}`", path.display()))?;
    }
    file.lock()
        .with_context(|| format!("could not lock `{}`", path.display()))?;
    Ok(file)
}

/// Whether `name` is carried from an old site into the new one.
fn is_carried(name: &str) -> bool {
    (name.starts_with('.') && name != SITE_MARKER) || name == "CNAME"
}

/// Moves the carried entries of the site at `target` into `staged` (where the new site has
/// no entry of that name); returns their names.
fn carry_over(target: &Path, staged: &Path) -> anyhow::Result<Vec<String>> {
    let mut moved = Vec::new();
    let entries = std::fs::read_dir(target)
        .with_context(|| format!("could not read `{}`", target.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_carried(&name) || std::fs::symlink_metadata(staged.join(&name)).is_ok() {
            continue;
        }
        if let Err(e) = std::fs::rename(entry.path(), staged.join(&name)) {
            put_back(&moved, staged, target);
            bail!(
                "could not keep `{}` of the old site: {e}",
                target.join(&name).display()
            );
        }
        moved.push(name);
    }
    Ok(moved)
}

/// Moves carried entries back where they came from after a failed swap.
fn put_back(names: &[String], staged: &Path, target: &Path) {
    for name in names {
        let _ = std::fs::rename(staged.join(name), target.join(name));
    }
}

/// Removes the temporary folders of the target `name` that earlier builds left behind (a
/// build killed before it could clean up): `.<name>.tmp-*` and `.<name>.old-*` folders that
/// are empty, or hold a site marker that no running build has locked.
pub(super) fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
            continue;
        }
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || std::fs::remove_dir(&path).is_ok() {
            continue;
        }
        if is_abandoned(&path) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Whether `dir` holds a site marker that nobody holds locked.
fn is_abandoned(dir: &Path) -> bool {
    let marker: PathBuf = dir.join(SITE_MARKER);
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(marker)
    else {
        return false;
    };
    file.try_lock().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_files_and_cname_move_into_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        std::fs::create_dir_all(target.join(".git/objects")).unwrap();
        std::fs::write(target.join(".git/HEAD"), "ref: refs/heads/gh-pages").unwrap();
        std::fs::write(target.join(".nojekyll"), "").unwrap();
        std::fs::write(target.join("CNAME"), "guide.example.com").unwrap();
        std::fs::write(target.join(".well-known"), "old").unwrap();
        std::fs::write(target.join("index.html"), "old page").unwrap();
        std::fs::write(target.join(SITE_MARKER), "").unwrap();
        let staged = Staged::create(dir.path(), "site").unwrap();
        std::fs::write(staged.path().join("index.html"), "new page").unwrap();
        std::fs::write(staged.path().join(".well-known"), "new").unwrap();
        staged.swap_in(&target).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages"
        );
        assert!(target.join(".git/objects").is_dir());
        assert!(target.join(".nojekyll").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("CNAME")).unwrap(),
            "guide.example.com"
        );
        assert_eq!(
            std::fs::read_to_string(target.join(".well-known")).unwrap(),
            "new",
            "a file the build writes itself wins"
        );
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new page"
        );
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["site"], "no temporary folder left");
    }

    #[test]
    fn only_abandoned_temporary_folders_of_this_target_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path();
        let stale = parent.join(".site.tmp-killed");
        std::fs::create_dir_all(stale.join("part")).unwrap();
        std::fs::write(stale.join(SITE_MARKER), SITE_MARKER_TEXT).unwrap();
        std::fs::write(stale.join("part/index.html"), "half").unwrap();
        let stale_old = parent.join(".site.old-killed");
        std::fs::create_dir_all(&stale_old).unwrap();
        std::fs::write(stale_old.join(SITE_MARKER), "").unwrap();
        let empty = parent.join(".site.tmp-empty");
        std::fs::create_dir_all(&empty).unwrap();
        // Not provably ours, or another target's, or in use: kept.
        let unmarked = parent.join(".site.tmp-notes");
        std::fs::create_dir_all(&unmarked).unwrap();
        std::fs::write(unmarked.join("notes.txt"), "mine").unwrap();
        let other = parent.join(".docs.tmp-killed");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join(SITE_MARKER), "").unwrap();
        let running = Staged::create(parent, "site").unwrap();
        remove_stale(parent, "site");
        assert!(!stale.exists());
        assert!(!stale_old.exists());
        assert!(!empty.exists());
        assert!(unmarked.join("notes.txt").exists());
        assert!(other.exists());
        assert!(running.path().exists(), "a running build's folder is kept");
    }
}
