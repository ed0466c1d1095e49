//! The folded view of a text that every rule matches against.
//!
//! Rules match lower-cased text with Latin diacritics removed, so "đánh giá",
//! "danh gia" and "ĐÁNH GIÁ" look alike and buyers who type without diacritics
//! are covered. Thai and Chinese are kept as they are (their marks carry meaning).
//! Every folded byte remembers which original character it came from, so a match
//! in the folded text maps back to byte offsets on char boundaries of the original.

use std::ops::Range;

/// A text, its folded form, and the map between them.
pub struct FoldedText<'a> {
    /// The text as the caller gave it.
    pub original: &'a str,
    /// Lower-cased, diacritic-free, punctuation-normalised copy.
    pub folded: String,
    /// For each folded byte, the original character's byte range.
    origin: Vec<(u32, u32)>,
}

impl<'a> FoldedText<'a> {
    pub fn new(original: &'a str) -> Self {
        let mut folded = String::with_capacity(original.len() + 8);
        let mut origin = Vec::with_capacity(original.len() + 8);
        for (start, character) in original.char_indices() {
            let end = start + character.len_utf8();
            let before = folded.len();
            fold_char(character, &mut folded);
            for _ in before..folded.len() {
                origin.push((start as u32, end as u32));
            }
        }
        FoldedText {
            original,
            folded,
            origin,
        }
    }

    /// Maps a byte range of the folded text to a byte range of the original text.
    /// Both ends land on char boundaries of the original.
    pub fn original_range(&self, folded_range: Range<usize>) -> Range<usize> {
        if self.origin.is_empty() {
            return 0..0;
        }
        let last = self.origin.len() - 1;
        let first_index = folded_range.start.min(last);
        let end_index = folded_range.end.max(folded_range.start + 1).min(last + 1) - 1;
        let start = self.origin[first_index].0 as usize;
        let end = self.origin[end_index].1 as usize;
        start..end.max(start)
    }
}

/// The folded form of a short string (used for word lists and gazetteers).
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for character in word.chars() {
        fold_char(character, &mut out);
    }
    out
}

/// Appends the folded form of one character.
fn fold_char(character: char, out: &mut String) {
    match character {
        // Vietnamese đ has no canonical decomposition.
        'đ' | 'Đ' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'ø' | 'Ø' => out.push('o'),
        'ß' => out.push_str("ss"),
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '`' | '\u{00B4}' => out.push('\''),
        '\u{201C}' | '\u{201D}' => out.push('"'),
        '\u{2010}'..='\u{2015}' => out.push('-'),
        '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{3000}' => out.push(' '),
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width ASCII (common in Chinese text): fold to plain ASCII.
            let ascii = char::from_u32(character as u32 - 0xFF01 + 0x21).unwrap_or(character);
            fold_char(ascii, out);
        }
        _ if character.is_ascii() => out.push(character.to_ascii_lowercase()),
        _ => {
            for lower in character.to_lowercase() {
                unicode_normalization::char::decompose_canonical(lower, |part| {
                    if !('\u{0300}'..='\u{036F}').contains(&part) {
                        out.push(part);
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_and_maps_back() {
        let text = "Đánh giá 5 sao";
        let folded = FoldedText::new(text);
        assert_eq!(folded.folded, "danh gia 5 sao");
        let at = folded.folded.find("gia").unwrap();
        let range = folded.original_range(at..at + 3);
        assert_eq!(&text[range], "giá");
    }

    #[test]
    fn keeps_thai_marks() {
        let folded = FoldedText::new("ให้ห้าดาว");
        assert_eq!(folded.folded, "ให้ห้าดาว");
    }

    #[test]
    fn full_width_digits_fold() {
        let folded = FoldedText::new("５星");
        assert_eq!(folded.folded, "5星");
    }
}
