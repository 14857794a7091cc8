//! Colour and column width for the terminal views (`audit`, `diff`).
//!
//! ```text
//! Paint::new(true).category(Category::Substitution, "东") → "\x1b[31m东\x1b[0m"
//! pad("缅甸", 6) → "缅甸  "      (two columns each: width, not length)
//! ```
//!
//! Colour is ANSI SGR codes, written only when the caller decided so
//! ([`use_color`]): a terminal, and `NO_COLOR` unset.
use std::io::IsTerminal;

use unicode_width::UnicodeWidthStr;

use crate::classify::Category;

/// When to colour the output (`--color`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

/// Whether to colour stdout for `choice`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// Wraps text in colour codes, or leaves it as it is.
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

    fn sgr(self, code: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// A reading or category name in its category's colour: red for what
    /// changes the text (substitution, deletion, truncation), green for
    /// additions, yellow for order and look-alikes, cyan for numbers, dim
    /// for punctuation and form.
    pub fn category(self, category: Category, text: &str) -> String {
        let code = match category {
            Category::Substitution | Category::Deletion | Category::Truncation => "31",
            Category::Insertion => "32",
            Category::Transposition | Category::Confusable => "33",
            Category::Number => "36",
            Category::Punctuation | Category::Hyphenation | Category::Formal => "2",
        };
        self.sgr(code, text)
    }

    /// Text of the first file that the second lacks or changes.
    pub fn removed(self, text: &str) -> String {
        self.sgr("31", text)
    }

    /// Text of the second file that the first lacks.
    pub fn added(self, text: &str) -> String {
        self.sgr("32", text)
    }

    /// Headings.
    pub fn bold(self, text: &str) -> String {
        self.sgr("1", text)
    }

    /// Locations and other secondary text.
    pub fn dim(self, text: &str) -> String {
        self.sgr("2", text)
    }
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
/// stays on one line of the view.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
}
