//! Starlight: its configuration → a [`Project`], its Markdown → ours.

use std::path::Path;

use super::{Adapter, Project, Report, Tool};

/// The Starlight adapter.
pub(crate) struct Starlight;

impl Adapter for Starlight {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        super::generic::Generic(Tool::Starlight).read(source, report)
    }
}
