//! What the terminal views (`audit`, `diff`) and the messages show:
//! untrusted text escaped, colour, and column width.
//!
//! ```text
//! escape("a\x1b]0;pwned\x07\u{202e}b") → "a\e]0;pwned\x07\u{202e}b"
//! Paint::new(true).category(Category::Substitution, "东") → "\x1b[31m东\x1b[0m"
//! pad("缅甸", 6) → "缅甸  "      (two columns each: width, not length)
//! ```
//!
//! Text and file names come from the sources, so they may hold escape
//! sequences, bidi overrides or line breaks that would drive the terminal,
//! reorder what it shows, or forge a line of output. Every view escapes
//! them ([`escape`], [`escape_path`]) before it paints; CSV and JSON keep the
//! exact text. Colour is ANSI SGR codes from `anstyle`, written only when
//! the caller decided so ([`use_color`]).
use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use anstyle::{AnsiColor, Effects, Style};
use unicode_width::UnicodeWidthStr;

use crate::classify::Category;

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
fn needs_escape(c: char) -> bool {
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
    )
}

fn push_escaped(out: &mut String, c: char) {
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

/// When to colour the output (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal that takes colour and neither `NO_COLOR`
    /// nor `CLICOLOR=0` is set, or when `CLICOLOR_FORCE` is set.
    #[default]
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

/// Whether to colour stdout for `choice`. `auto` decides as clap does for
/// its own help, through anstream.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
        }
    }
}

/// Wraps text in colour codes, or leaves it as it is. The text must be
/// [`escape`]d already: what it is given is written as it is.
#[derive(Clone, Copy, Debug)]
pub struct Paint {
    color: bool,
}

impl Paint {
    /// A painter that colours when `color` is set.
    pub fn new(color: bool) -> Paint {
        Paint { color }
    }

    /// Whether it colours.
    pub fn colors(self) -> bool {
        self.color
    }

    fn paint(self, style: Style, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A reading or category name in its category's colour: red for what
    /// changes the text (substitution, deletion, truncation), green for
    /// additions, yellow for order and look-alikes, cyan for numbers, dim
    /// for punctuation and form.
    pub fn category(self, category: Category, text: &str) -> String {
        let style = match category {
            Category::Substitution | Category::Deletion | Category::Truncation => RED,
            Category::Insertion => GREEN,
            Category::Transposition | Category::Confusable => AnsiColor::Yellow.on_default(),
            Category::Number => AnsiColor::Cyan.on_default(),
            Category::Punctuation | Category::Hyphenation | Category::Formal => DIM,
        };
        self.paint(style, text)
    }

    /// Text of the first file that the second lacks or changes.
    pub fn removed(self, text: &str) -> String {
        self.paint(RED, text)
    }

    /// Text of the second file that the first lacks.
    pub fn added(self, text: &str) -> String {
        self.paint(GREEN, text)
    }

    /// Headings.
    pub fn bold(self, text: &str) -> String {
        self.paint(Effects::BOLD.into(), text)
    }

    /// Locations and other secondary text.
    pub fn dim(self, text: &str) -> String {
        self.paint(DIM, text)
    }
}

const RED: Style = AnsiColor::Red.on_default();
const GREEN: Style = AnsiColor::Green.on_default();
const DIM: Style = Style::new().effects(Effects::DIMMED);

/// Text without the colour codes [`Paint`] adds, to measure it.
pub fn unpainted(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

/// Display width in terminal columns (East Asian wide characters take two).
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` padded with spaces to `columns` (no change when wider).
pub fn pad(text: &str, columns: usize) -> String {
    let w = width(text);
    format!("{text}{}", " ".repeat(columns.saturating_sub(w)))
}

/// `text` padded on the left to `columns`.
pub fn pad_left(text: &str, columns: usize) -> String {
    let w = width(text);
    format!("{}{text}", " ".repeat(columns.saturating_sub(w)))
}

/// `text` shortened in the middle to fit `columns`.
pub fn middle(text: &str, columns: usize) -> String {
    if width(text) <= columns {
        return text.to_string();
    }
    let budget = columns.saturating_sub(1);
    let start = take_width(text.chars(), budget - budget / 2);
    let mut end = take_width(text.chars().rev(), budget / 2);
    end.reverse();
    format!(
        "{}…{}",
        start.into_iter().collect::<String>(),
        end.into_iter().collect::<String>()
    )
}

/// The first characters of `text` that fit in `columns`, cut without a
/// mark (context around a place).
pub fn first_columns(text: &str, columns: usize) -> String {
    take_width(text.chars(), columns).into_iter().collect()
}

/// The last characters of `text` that fit in `columns`, cut without a mark.
pub fn last_columns(text: &str, columns: usize) -> String {
    let mut kept = take_width(text.chars().rev(), columns);
    kept.reverse();
    kept.into_iter().collect()
}

/// The characters from the start of `chars` that fit in `columns`.
fn take_width(chars: impl Iterator<Item = char>, columns: usize) -> Vec<char> {
    let mut used = 0;
    chars
        .take_while(|&c| {
            used += char_width(c);
            used <= columns
        })
        .collect()
}

fn char_width(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Whitespace runs (line breaks included) as one space, so a reading
/// stays on one line of the view. It does not [`escape`]: it also joins
/// painted pieces.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A piece of source text for a one-line view: each whitespace run (line
/// breaks included) as one space, kept at the ends so pieces join as the
/// text does, and the rest [`escape`]d.
///
/// ```text
/// inline(" a\n\n b\x1b") → " a b\e"
/// ```
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            space = false;
            push_escaped(&mut out, c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("缅甸"), 4);
        assert_eq!(pad("缅", 4), "缅  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(pad("toolong", 3), "toolong");
    }

    #[test]
    fn cutting_keeps_whole_characters_within_the_width() {
        assert_eq!(middle("进的光辉旗帜引领当今时代前进", 9), "进的…前进");
        assert!(width(&middle("abcdefghijklmnop", 9)) <= 9);
        assert_eq!(first_columns("斡旋缅北", 5), "斡旋");
        assert_eq!(last_columns("斡旋缅北", 4), "缅北");
    }

    #[test]
    fn plain_paint_leaves_text_alone() {
        let p = Paint::new(false);
        assert_eq!(p.category(Category::Substitution, "东"), "东");
        assert_eq!(
            Paint::new(true).category(Category::Substitution, "东"),
            "\x1b[31m东\x1b[0m"
        );
        assert_eq!(one_line("a\n  b\tc"), "a b c");
    }

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
        assert_eq!(width(&shown), 2 + "\\e[2J\\u{202e}".len());
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

    #[test]
    fn inline_joins_whitespace_and_escapes_the_rest() {
        assert_eq!(inline(" a\n\n b\x1b"), " a b\\e");
        assert_eq!(inline("a\u{2028}b\t"), "a b ");
    }

    #[test]
    fn escaped_text_is_painted_and_the_paint_can_be_measured_away() {
        let painted = Paint::new(true).removed(&escape("a\x1b"));
        assert_eq!(painted, "\x1b[31ma\\e\x1b[0m");
        assert_eq!(unpainted(&painted), "a\\e");
        assert_eq!(Paint::new(true).bold("h"), "\x1b[1mh\x1b[0m");
        assert_eq!(Paint::new(true).dim("h"), "\x1b[2mh\x1b[0m");
        assert_eq!(Paint::new(true).added("h"), "\x1b[32mh\x1b[0m");
    }
}
