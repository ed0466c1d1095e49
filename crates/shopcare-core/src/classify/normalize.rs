//! One-pass text normalisation for matching: lowercase, fold Latin diacritics
//! (Vietnamese, Spanish, Malay loan spellings) to plain ASCII letters, unify
//! apostrophes and full-width forms, drop combining marks and emoji modifiers,
//! and squeeze elongations ("bagusss" → "bagus", "ดีมากกกก" → "ดีมาก").
//!
//! Every byte of the normalised text remembers the original byte range of the
//! character it came from, so evidence can point at the buyer's own words.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Normalised text plus, per normalised byte, the original byte range it came from.
#[derive(Debug, Default)]
pub(crate) struct Normalized {
    pub text: String,
    /// Original byte offset where the source character of each normalised byte starts.
    pub origin_start: Vec<u32>,
    /// Original byte offset where the source character (or its elongation run) ends.
    pub origin_end: Vec<u32>,
}

impl Normalized {
    /// Original byte range covering normalised bytes `start..end` (both char boundaries).
    pub fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        let original_start = self.origin_start[start] as usize;
        let original_end = self.origin_end[end - 1] as usize;
        (original_start, original_end.max(original_start))
    }
}

/// Base letters for accented Latin letters, built once. Lowercase inputs only.
static FOLD_TABLE: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    let groups: [(&str, char); 12] = [
        ("àáâãäåāăąạảấầẩẫậắằẳẵặǎ", 'a'),
        ("çćč", 'c'),
        ("đďð", 'd'),
        ("èéêëēėęěẹẻẽếềểễệ", 'e'),
        ("ìíîïīįịỉĩı", 'i'),
        ("ñńň", 'n'),
        ("òóôõöøōőơọỏốồổỗộớờởỡợǒ", 'o'),
        ("ùúûüūůűųưụủứừửữựǔ", 'u'),
        ("ýÿỳỵỷỹ", 'y'),
        ("šś", 's'),
        ("žźż", 'z'),
        ("ğ", 'g'),
    ];
    let mut table = HashMap::new();
    for (letters, base) in groups {
        for letter in letters.chars() {
            table.insert(letter, base);
        }
    }
    table
});

/// The folded form of one character, or `None` when it carries no meaning for
/// matching (combining marks, variation selectors, zero-width joiners).
pub(crate) fn fold_char(character: char) -> Option<char> {
    if character.is_ascii() {
        return Some(character.to_ascii_lowercase());
    }
    match character {
        '\u{2019}' | '\u{2018}' | '\u{00B4}' | '\u{02BC}' => Some('\''),
        '\u{0300}'..='\u{036F}' | '\u{FE00}'..='\u{FE0F}' | '\u{200B}'..='\u{200D}' => None,
        '\u{1F3FB}'..='\u{1F3FF}' => None,
        '\u{00A0}' | '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(character as u32 - 0xFEE0).unwrap_or(character);
            Some(ascii.to_ascii_lowercase())
        }
        '\u{3002}' => Some('.'),
        '\u{3001}' => Some(','),
        // Only Latin letters carry diacritics to fold; Thai and Han pass straight through.
        '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
            let lower = character.to_lowercase().next().unwrap_or(character);
            Some(FOLD_TABLE.get(&lower).copied().unwrap_or(lower))
        }
        _ if character.is_uppercase() => Some(character.to_lowercase().next().unwrap_or(character)),
        _ => Some(character),
    }
}

/// Normalises `input` into `output` (cleared first), reusing its buffers.
pub(crate) fn normalize_into(input: &str, output: &mut Normalized) {
    output.text.clear();
    output.origin_start.clear();
    output.origin_end.clear();
    let mut previous: Option<char> = None;
    let mut run_length = 0usize;
    let mut previous_byte_length = 0usize;
    for (offset, character) in input.char_indices() {
        let Some(folded) = fold_char(character) else {
            // Let a dropped mark extend the previous character's range.
            let end = (offset + character.len_utf8()) as u32;
            if let Some(last) = output.origin_end.last_mut() {
                if *last == offset as u32 {
                    let length = previous_byte_length.min(output.origin_end.len());
                    let total = output.origin_end.len();
                    for slot in &mut output.origin_end[total - length..] {
                        *slot = end;
                    }
                }
            }
            continue;
        };
        let end = (offset + character.len_utf8()) as u32;
        if Some(folded) == previous && folded.is_alphabetic() {
            run_length += 1;
            if run_length >= 3 {
                // Elongation: keep one copy and stretch its range over the run.
                if run_length == 3 {
                    let keep = output.text.len() - previous_byte_length;
                    output.text.truncate(keep);
                    output.origin_start.truncate(keep);
                    output.origin_end.truncate(keep);
                }
                let total = output.origin_end.len();
                for slot in &mut output.origin_end[total - previous_byte_length..] {
                    *slot = end;
                }
                continue;
            }
        } else {
            run_length = 1;
        }
        let before = output.text.len();
        output.text.push(folded);
        let byte_length = output.text.len() - before;
        for _ in 0..byte_length {
            output.origin_start.push(offset as u32);
            output.origin_end.push(end);
        }
        previous = Some(folded);
        previous_byte_length = byte_length;
    }
}

/// Normalises a lexicon key the same way as review text (keys are short and built once).
pub(crate) fn normalize_key(key: &str) -> String {
    let mut output = Normalized::default();
    normalize_into(key, &mut output);
    output.text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(text: &str) -> String {
        normalize_key(text)
    }

    #[test]
    fn folds_vietnamese_and_spanish_diacritics() {
        assert_eq!(norm("Không hỏng, RẤT đẹp"), "khong hong, rat dep");
        assert_eq!(norm("Está roto, pésimo"), "esta roto, pesimo");
        assert_eq!(norm("Đóng gói"), "dong goi");
    }

    #[test]
    fn squeezes_elongations_but_keeps_double_letters() {
        assert_eq!(norm("bagusss bgttt"), "bagus bgt");
        assert_eq!(norm("good sooo"), "good so");
        assert_eq!(norm("ดีมากกกก"), "ดีมาก");
    }

    #[test]
    fn maps_back_to_original_offsets() {
        let mut output = Normalized::default();
        let text = "Rất đẹppp!";
        normalize_into(text, &mut output);
        assert_eq!(output.text, "rat dep!");
        let (start, end) = output.original_range(4, 7);
        assert_eq!(&text[start..end], "đẹppp");
    }
}
