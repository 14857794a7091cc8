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

use anstyle::{AnsiColor, Effects, Style};
use unicode_width::UnicodeWidthStr;

use crate::classify::Category;

use crate::escape::push_escaped;
pub use crate::escape::{escape, escape_path};

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
