//! The library's documentation as docs.rs shows it: it names no source
//! file, which a reader there cannot open.

use std::fs;
use std::path::Path;

/// Every `.rs` file below `dir`, but the command line's (not on docs.rs).
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("the source folder reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() && !path.ends_with("bin") {
            sources(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_docs_name_no_source_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sources(&root.join("twilio-token/src"), &mut files);
    sources(&root.join("twilio-token-derive/src"), &mut files);
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("UTF-8 source");
        for (number, line) in text.lines().enumerate() {
            let line = line.trim_start();
            let doc = line
                .strip_prefix("///")
                .or_else(|| line.strip_prefix("//!"));
            let names_a_file = doc.is_some_and(|doc| {
                doc.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .any(|word| word.len() > 3 && word.ends_with(".rs") && word != "docs.rs")
            });
            if names_a_file {
                found.push(format!("{}:{}: {line}", file.display(), number + 1));
            }
        }
    }
    assert_eq!(found, Vec::<String>::new());
}
