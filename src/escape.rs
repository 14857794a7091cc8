//! Untrusted text as a terminal may show it: the one escaping every
//! human-facing view and message uses.
//!
//! ```text
//! escape("a\x1b]0;pwned\x07\u{202e}b") → "a\e]0;pwned\x07\u{202e}b"
//! escape_path("a\nrecension: fake.txt") → "a\nrecension: fake.txt" (one line)
//! ```
//!
//! Text and file names come from the sources, so they may hold escape
//! sequences, bidi overrides or line breaks that would drive the terminal,
//! reorder what it shows, or forge a line of output. CSV and JSON keep the
//! exact text.
use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

/// `text` as a terminal may show it: every character that would control
/// the terminal, reorder the line, break it, or hide itself is written as
/// a visible escape, like ripgrep and `ls` do with file names.
///
/// | characters | shown as |
/// | --- | --- |
/// | tab, line feed, carriage return | `\t`, `\n`, `\r` |
/// | escape (U+001B) | `\e` |
/// | other C0 controls, DEL | `\x00`–`\x1f`, `\x7f` |
/// | C1 controls (U+0080–U+009F) | `\u{80}`–`\u{9f}` |
/// | bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) | `\u{202e}` … |
/// | line and paragraph separators (U+2028, U+2029) | `\u{2028}`, `\u{2029}` |
/// | invisible format characters: soft hyphen, zero width space, word joiner and invisible operators, byte order mark, Mongolian vowel separator, interlinear annotation, tags | `\u{ad}`, `\u{200b}`, `\u{feff}` … |
/// | noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF, U+1FFFE, …) | `\u{fdd0}`, `\u{fffe}` … |
///
/// `\u{…}` is Rust's notation: lowercase hex, no leading zeros. Zero width
/// joiner and non-joiner (U+200D, U+200C) are left alone: they shape
/// emoji, Persian and Indic text. A backslash is not escaped, so the view
/// is for reading, not for reversing: the CSV and JSON reports keep the
/// exact text. Borrows `text` when nothing needs escaping.
pub fn escape(text: &str) -> Cow<'_, str> {
    let Some(at) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..at]);
    for c in text[at..].chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// A path as a terminal may show it: [`escape`]d, and on unix each byte
/// that is not UTF-8 as `\xNN` (`\xff`), not replaced by `�`, so two
/// names that differ only there stay apart. Elsewhere a path that is not
/// Unicode is shown lossily.
pub fn escape_path(path: &Path) -> Cow<'_, str> {
    if let Some(text) = path.to_str() {
        return escape(text);
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            out.push_str(&escape(chunk.valid()));
            for byte in chunk.invalid() {
                write!(out, "\\x{byte:02x}").expect("writing to a String cannot fail");
            }
        }
        Cow::Owned(out)
    }
    #[cfg(not(unix))]
    {
        Cow::Owned(escape(&path.to_string_lossy()).into_owned())
    }
}

/// Whether [`escape`] writes `c` as an escape.
pub(crate) fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\0'..='\x1f'
            | '\x7f'..='\u{9f}'
            | '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{e0000}'..='\u{e007f}'
    ) || is_noncharacter(c)
}

/// The 66 noncharacters (U+FDD0–U+FDEF, and the last two code points of
/// every plane): never text, and forbidden in HTML.
fn is_noncharacter(c: char) -> bool {
    matches!(c, '\u{fdd0}'..='\u{fdef}') || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Appends `c`, escaped as [`escape`] escapes it.
pub(crate) fn push_escaped(out: &mut String, c: char) {
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\x1b' => out.push_str("\\e"),
        '\0'..='\x1f' | '\x7f' => {
            write!(out, "\\x{:02x}", u32::from(c)).expect("writing to a String cannot fail");
        }
        c if needs_escape(c) => {
            write!(out, "\\u{{{:x}}}", u32::from(c)).expect("writing to a String cannot fail");
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn plain_text_is_borrowed() {
        for text in [
            "",
            "斡旋缅北冲突",
            "a\\e b",
            "emoji 👩\u{200d}💻 and دی\u{200c}گر",
        ] {
            assert!(
                matches!(escape(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
    }

    #[test]
    fn escape_and_bell_show_as_escapes() {
        assert_eq!(escape("\x1b]0;pwned\x07"), "\\e]0;pwned\\x07");
        assert_eq!(escape("\x1b[31mred"), "\\e[31mred");
    }

    #[test]
    fn other_c0_controls_and_del_show_as_hex_bytes() {
        assert_eq!(escape("a\0b\x08c\x1fd\x7f"), "a\\x00b\\x08c\\x1fd\\x7f");
    }

    #[test]
    fn line_breaks_and_tabs_show_as_letters() {
        assert_eq!(
            escape("a\nrecension: fake\r\tb"),
            "a\\nrecension: fake\\r\\tb"
        );
    }

    #[test]
    fn c1_controls_show_as_unicode_escapes() {
        assert_eq!(
            escape("a\u{80}b\u{85}c\u{9b}d\u{9f}"),
            "a\\u{80}b\\u{85}c\\u{9b}d\\u{9f}"
        );
        // No-break space and Latin-1 letters, just past C1, are shown.
        assert_eq!(escape("\u{a0}é"), "\u{a0}é");
    }

    #[test]
    fn bidi_controls_show_as_unicode_escapes() {
        let bidi = [
            '\u{61c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}',
            '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ];
        for c in bidi {
            assert_eq!(
                escape(&format!("x{c}y")),
                format!("x\\u{{{:x}}}y", u32::from(c))
            );
        }
        assert_eq!(escape("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn separators_and_invisible_format_characters_show_as_unicode_escapes() {
        assert_eq!(escape("a\u{2028}b\u{2029}c"), "a\\u{2028}b\\u{2029}c");
        assert_eq!(
            escape("\u{feff}a\u{200b}b\u{ad}c\u{2060}d\u{e0041}"),
            "\\u{feff}a\\u{200b}b\\u{ad}c\\u{2060}d\\u{e0041}"
        );
    }

    #[test]
    fn escaped_text_has_no_control_left_and_is_measured_as_shown() {
        let shown = escape("缅\x1b[2J\u{202e}");
        assert!(!shown.chars().any(needs_escape), "{shown}");
        assert_eq!(shown.width(), 2 + "\\e[2J\\u{202e}".len());
    }

    #[test]
    fn paths_are_escaped_like_text() {
        let path = Path::new("dir/a\nrecension: fake.txt");
        assert_eq!(escape_path(path), "dir/a\\nrecension: fake.txt");
        assert!(matches!(
            escape_path(Path::new("data/sample/001.txt")),
            Cow::Borrowed(_)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn bytes_of_a_path_that_are_not_utf8_show_as_hex() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(OsStr::from_bytes(b"caf\xe9\x1b/\xff\xfe\xe7\xbc\x85.txt"));
        assert_eq!(escape_path(path), "caf\\xe9\\e/\\xff\\xfe缅.txt");
    }
}
