//! Output: writes the site atomically, into a folder it may replace.
//!
//! Input: the generated files (in memory) and the files to copy (content assets, the book's
//! `static/`). Output: the site folder, replaced in one step. Everything is written into a
//! temporary folder next to the target and swapped in only when all of it was written, so a
//! failed or interrupted build leaves the previous site untouched. Only an empty folder or a
//! site guidebook wrote is ever replaced ([`target`]); the old site's top-level dot files
//! and `CNAME` move into the new one ([`staging`]).

pub(crate) mod plan;
mod staging;
pub(crate) mod target;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use anyhow::Context as _;
use rayon::prelude::*;

pub(crate) use self::target::{SITE_MARKER, check_target};
use crate::site::{SiteData, SiteFiles};

use crate::paths::{absolute, is_junk};

/// A file copied into the site.
#[derive(Debug, Clone)]
pub(crate) struct Copy {
    /// The file on disk.
    pub(crate) from: PathBuf,
    /// Its path in the site, with `/`.
    pub(crate) to: String,
    /// A file of `static/` (which may replace generated files) rather than of the content.
    pub(crate) from_static: bool,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Written {
    /// Number of files.
    pub(crate) files: usize,
    /// Total bytes.
    pub(crate) bytes: u64,
}

impl std::ops::AddAssign for Written {
    fn add_assign(&mut self, other: Self) {
        self.files += other.files;
        self.bytes += other.bytes;
    }
}

/// The build was interrupted (Ctrl+C, SIGTERM) while writing; nothing was changed.
#[derive(Debug, thiserror::Error)]
#[error("interrupted: the site was not changed")]
pub(crate) struct Interrupted;

/// Lets a signal handler stop a build safely. Before the write starts, an interruption may
/// end the process at once (nothing is on disk yet); while the new site is written, it asks
/// the writer to stop, which removes its temporary folder; during the final swap it is
/// noted and the swap completes.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicU8>);

const IDLE: u8 = 0;
const WRITING: u8 = 1;
const CANCELLED: u8 = 2;

impl Cancel {
    /// Called by the signal handler. Returns `true` when the process may exit now, `false`
    /// when the writer will stop by itself and clean up.
    pub fn interrupt(&self) -> bool {
        self.0
            .compare_exchange(WRITING, CANCELLED, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
    }

    fn start_writing(&self) -> Result<(), Interrupted> {
        match self
            .0
            .compare_exchange(IDLE, WRITING, Ordering::SeqCst, Ordering::SeqCst)
        {
            Ok(_) => Ok(()),
            Err(_) => Err(Interrupted),
        }
    }

    /// Whether the build was asked to stop while it was writing.
    pub(crate) fn cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst) == CANCELLED
    }

    fn check(&self) -> Result<(), Interrupted> {
        if self.0.load(Ordering::SeqCst) == CANCELLED {
            Err(Interrupted)
        } else {
            Ok(())
        }
    }

    fn stop_writing(&self) {
        let _ = self
            .0
            .compare_exchange(WRITING, IDLE, Ordering::SeqCst, Ordering::SeqCst);
    }
}

/// A new site's temporary folder, being filled.
pub(crate) struct Filling<'c> {
    dir: PathBuf,
    cancel: &'c Cancel,
}

impl Filling<'_> {
    /// Writes `files` (generated, or copied from the book) into the new site.
    pub(crate) fn write(&self, files: &SiteFiles) -> anyhow::Result<Written> {
        self.cancel.check()?;
        fill(&self.dir, files, self.cancel)
    }
}

/// Makes a fresh folder, lets `fill_in` write the site into it (in as many steps as it
/// likes: what it no longer needs can be freed in between) and swaps it in at `target`
/// (which [`check_target`] has accepted). When `fill_in` fails, the folder is removed and
/// `target` is left as it was.
pub(crate) fn write_site(
    target: &Path,
    cancel: &Cancel,
    fill_in: impl FnOnce(&Filling<'_>) -> anyhow::Result<Written>,
) -> anyhow::Result<Written> {
    let target = absolute(target);
    let parent = target
        .parent()
        .context("the build folder has no parent folder")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("could not create `{}`", parent.display()))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    staging::remove_stale(parent, &name);
    cancel.start_writing()?;
    let result = (|| {
        let staged = staging::Staged::create(parent, &name)?;
        let written = fill_in(&Filling {
            dir: staged.path().to_path_buf(),
            cancel,
        })?;
        cancel.check()?;
        staged.swap_in(&target)?;
        Ok(written)
    })();
    cancel.stop_writing();
    result
}

/// Writes everything into `dir`.
fn fill(dir: &Path, files: &SiteFiles, cancel: &Cancel) -> anyhow::Result<Written> {
    let entries: Vec<(&String, &SiteData)> = files.iter().collect();
    let sizes: anyhow::Result<Vec<u64>> = entries
        .par_iter()
        .map(|(site_path, data)| {
            cancel.check()?;
            let path = dir.join(site_path.as_str());
            create_parent(&path)?;
            match data {
                SiteData::Bytes(bytes) => {
                    std::fs::write(&path, bytes)
                        .with_context(|| format!("could not write `{}`", path.display()))?;
                    Ok(bytes.len() as u64)
                }
                SiteData::Joined(joined) => {
                    let write = || -> std::io::Result<u64> {
                        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
                        let length = joined.write_to(&mut file)?;
                        std::io::Write::flush(&mut file)?;
                        Ok(length)
                    };
                    write().with_context(|| format!("could not write `{}`", path.display()))
                }
                SiteData::Copy(from) => std::fs::copy(from, &path)
                    .with_context(|| format!("could not copy `{}`", from.display())),
            }
        })
        .collect();
    Ok(Written {
        files: entries.len(),
        bytes: sizes?.into_iter().sum(),
    })
}

fn create_parent(path: &Path) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("could not create `{}`", parent.display()))?;
    }
    Ok(())
}

/// The files under a folder (recursively), as copies into the site root, sorted. Dangling
/// symbolic links are left out with a warning each.
pub(crate) fn folder_copies(
    dir: &Path,
    shown: &Path,
    warnings: &mut crate::diagnostics::Diagnostics,
) -> anyhow::Result<Vec<Copy>> {
    let mut copies = Vec::new();
    if !dir.is_dir() {
        return Ok(copies);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => match crate::discover::unreadable_link(&error, dir, shown) {
                Some(warning) => {
                    warnings.push(warning);
                    continue;
                }
                None => {
                    return Err(error)
                        .with_context(|| format!("could not read `{}`", dir.display()));
                }
            },
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if is_junk(rel) {
            continue;
        }
        copies.push(Copy {
            from: entry.path().to_path_buf(),
            to: crate::paths::path_to_url(rel),
            from_static: true,
        });
    }
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::Bytes;

    fn file(path: &str, text: &str) -> (String, SiteData) {
        (
            path.to_string(),
            SiteData::Bytes(text.as_bytes().to_vec().into()),
        )
    }

    fn write(target: &Path, files: &[(String, SiteData)]) -> anyhow::Result<Written> {
        let files: SiteFiles = files.iter().cloned().collect();
        write_site(target, &Cancel::default(), |out| out.write(&files))
    }

    #[test]
    fn replaces_the_old_site_in_one_step() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write(&target, &[file("index.html", "one"), file("a/b.html", "x")]).unwrap();
        write(&target, &[file("index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "two"
        );
        assert!(!target.join("a").exists(), "files of the old site are gone");
        assert!(
            target.join(SITE_MARKER).is_file(),
            "the site is marked as ours"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folders left behind");
    }

    #[test]
    fn a_failed_write_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write(&target, &[file("index.html", "good")]).unwrap();
        let missing = (
            "img.png".to_string(),
            SiteData::Copy(dir.path().join("does-not-exist.png")),
        );
        assert!(write(&target, &[file("index.html", "bad"), missing]).is_err());
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "good"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary folder was removed");
    }

    /// The build writes the pages, frees them, then makes and writes the search index: a
    /// failure in a later step still leaves the old site and no temporary folder.
    #[test]
    fn a_failure_after_a_first_step_leaves_the_old_site() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write(&target, &[file("index.html", "good")]).unwrap();
        let pages: SiteFiles = [file("index.html", "new"), file("a.html", "a")]
            .into_iter()
            .collect();
        let error = write_site(&target, &Cancel::default(), |out| {
            let mut written = out.write(&pages)?;
            written += Written { files: 0, bytes: 0 };
            anyhow::bail!("the search index failed after {} files", written.files)
        })
        .unwrap_err();
        assert!(error.to_string().contains("after 2 files"), "{error:#}");
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "good"
        );
        assert!(!target.join("a.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "the temporary folder was removed");
    }

    #[test]
    fn joined_files_are_written_piece_by_piece() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        let joined = crate::site::Joined::new(
            vec![Bytes::from_static(b"one"), Bytes::from_static(b"two")],
            b"\n\n",
        );
        let expected = joined.to_bytes();
        let written = write(
            &target,
            &[("all.txt".to_string(), SiteData::Joined(joined))],
        )
        .unwrap();
        assert_eq!(std::fs::read(target.join("all.txt")).unwrap(), expected);
        assert_eq!(written.bytes, expected.len() as u64);
    }

    #[test]
    fn an_interrupted_write_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("site");
        write(&target, &[file("index.html", "good")]).unwrap();
        let cancel = Cancel::default();
        assert!(
            cancel.interrupt(),
            "before writing, the process may simply exit"
        );
        // A signal that lands while writing stops the writer instead.
        let cancel = Cancel::default();
        cancel.start_writing().unwrap();
        assert!(!cancel.interrupt());
        cancel.stop_writing();
        let files = [file("index.html", "bad")].into_iter().collect();
        let error = write_site(&target, &cancel, |out| out.write(&files)).unwrap_err();
        assert!(error.downcast_ref::<Interrupted>().is_some(), "{error:#}");
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "good"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary folder left behind");
    }
}
