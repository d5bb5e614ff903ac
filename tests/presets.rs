//! The presets folder the extension ships (`extension/presets/`) holds exactly the
//! presets `core::procedure::PRESETS` lists, each readable as the extension reads it.

use lh3_shift::core::procedure::{parse_preset, PRESETS};

#[test]
fn the_presets_folder_is_the_list_of_presets() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/extension/presets");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .expect("presets folder")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .collect();
    files.sort();
    let mut listed: Vec<String> = PRESETS.iter().map(|id| format!("{id}.json")).collect();
    listed.sort();
    assert_eq!(files, listed);
    for id in PRESETS {
        let text = std::fs::read_to_string(format!("{dir}/{id}.json")).expect("readable");
        let preset = parse_preset(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(preset.id, id);
    }
}
