//! Settings file: export (everything, or for the consortium without what is personal)
//! and import, which changes only what the file names.

use super::form::Form;
use super::Page;
use crate::ext::t;
use crate::ui::El;

pub(super) fn build(f: &Form, _p: &Page) -> El {
    f.section("backup", Some(&t("optionsBackupIntro")))
        .child(
            f.div("buttons")
                .child(f.action("export-settings", &t("optionsExport")))
                .child(
                    f.action("export-consortium", &t("optionsExportConsortium"))
                        .attr("aria-describedby", "export-consortium-help"),
                ),
        )
        .child(f.help("export-consortium-help", &t("optionsExportConsortiumHelp")))
        .child(f.file_field(
            "import-settings",
            &t("optionsImport"),
            &t("optionsImportHelp"),
        ))
}
