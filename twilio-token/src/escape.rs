//! Text from a token, made safe to print: what a terminal would obey is
//! written as a visible escape.

use std::fmt;

/// Text made safe to print on a terminal: control characters (C0, DEL and
/// C1, which move the cursor, set the window's title or hide what
/// follows), line and paragraph separators, and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069, which reorder
/// what is shown) are written as visible escapes: `\n`, `\r`, `\t`, and
/// `\u{1b}` for the others. Anything else, backslashes too, is written
/// as it is, so text without those characters is unchanged.
///
/// The library's error messages write what they quote from a token (a
/// key, an issuer, a grant's name) this way; so does the command line's
/// `decode`. Use it to show a token's claims, such as its identity.
///
/// ```
/// use twilio_token::Escaped;
///
/// let identity = "alice\u{1b}]0;pwned\u{7}\n\u{202e}";
/// assert_eq!(Escaped(identity).to_string(), r"alice\u{1b}]0;pwned\u{7}\n\u{202e}");
/// assert_eq!(Escaped("zoë").to_string(), "zoë");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaped<'a>(pub &'a str);

/// Whether a terminal could act on `c` rather than show it.
fn unsafe_to_print(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(unsafe_to_print) {
            f.write_str(&rest[..at])?;
            let c = rest[at..].chars().next().unwrap_or_default();
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => write!(f, "\\u{{{:x}}}", u32::from(c))?,
            }
            rest = &rest[at + c.len_utf8()..];
        }
        f.write_str(rest)
    }
}

/// Writes `message` through [`Escaped`]: for a message that quotes what
/// it was given.
pub(crate) fn write_escaped(
    f: &mut fmt::Formatter<'_>,
    message: fmt::Arguments<'_>,
) -> fmt::Result {
    let mut text = String::new();
    fmt::write(&mut text, message)?;
    fmt::Display::fmt(&Escaped(&text), f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_and_bidi_character_is_escaped() {
        let dangerous = (0..=0x1f)
            .chain(0x7f..=0x9f)
            .chain([0x2028, 0x2029])
            .chain(0x202a..=0x202e)
            .chain(0x2066..=0x2069);
        for code in dangerous {
            let c = char::from_u32(code).unwrap();
            let escaped = Escaped(&c.to_string()).to_string();
            let expected = match c {
                '\n' => "\\n".to_owned(),
                '\r' => "\\r".to_owned(),
                '\t' => "\\t".to_owned(),
                _ => format!("\\u{{{code:x}}}"),
            };
            assert_eq!(escaped, expected);
        }
    }

    #[test]
    fn other_text_is_unchanged() {
        for text in [
            "",
            "alice",
            "zoë 東京 🎉",
            r"a\nb",
            "\u{2027}\u{202f}\u{2065}\u{206a}",
        ] {
            assert_eq!(Escaped(text).to_string(), text);
        }
    }
}
