//! Consciousness (ACVPU) text columns as the core's level codes, keeping each row's text
//! so that an error shows what the user wrote.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    ArrowDictionaryKeyType, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, ArrayRef, OffsetSizeTrait};
use arrow_buffer::ArrowNativeType;
use arrow_schema::DataType;
use news2_core::Acvpu;
use news2_core::batch::MISSING_CODE;

use super::columns::{ColumnError, missing_where_null};

/// A consciousness text the core's parser refuses. Any code the core does not know
/// reads as invalid; this one keeps clear of the valid codes and of [`MISSING_CODE`].
pub(super) const INVALID_LEVEL: u8 = MISSING_CODE - 1;
const _: () = assert!(Acvpu::from_code(INVALID_LEVEL).is_none());

/// The core's parser applied once per distinct text (data frames repeat a few levels):
/// one-byte texts (the chart letters) by table, longer ones through a short list.
struct LevelCache<'a> {
    single: [Option<u8>; 256],
    seen: Vec<(&'a str, u8)>,
}

impl Default for LevelCache<'_> {
    fn default() -> Self {
        Self {
            single: [None; 256],
            seen: Vec::new(),
        }
    }
}

impl<'a> LevelCache<'a> {
    const CAPACITY: usize = 32;

    fn parse(text: &str) -> u8 {
        text.parse::<Acvpu>().map_or(INVALID_LEVEL, Acvpu::code)
    }

    /// The code of the one-byte text `byte` (only ASCII is a one-byte text).
    #[inline]
    fn single_byte(&mut self, byte: u8) -> u8 {
        *self.single[usize::from(byte)].get_or_insert_with(|| {
            if byte.is_ascii() {
                Self::parse(char::from(byte).encode_utf8(&mut [0; 4]))
            } else {
                INVALID_LEVEL
            }
        })
    }

    #[inline]
    fn code(&mut self, text: Option<&'a str>) -> u8 {
        let Some(text) = text else {
            return MISSING_CODE;
        };
        if let [byte] = text.as_bytes() {
            return self.single_byte(*byte);
        }
        if let Some(&(_, code)) = self.seen.iter().find(|(t, _)| *t == text) {
            return code;
        }
        let code = Self::parse(text);
        if self.seen.len() < Self::CAPACITY {
            self.seen.push((text, code));
        }
        code
    }
}

/// The text of row `i` of a plain string array.
fn text_at(array: &ArrayRef, i: usize) -> Option<&str> {
    if array.is_null(i) {
        return None;
    }
    match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(i)),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(i)),
        DataType::Utf8View => Some(array.as_string_view().value(i)),
        _ => None,
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Consciousness as the core's codes, keeping the texts for error messages.
pub(super) struct Levels {
    pub(super) codes: Vec<u8>,
    /// Row → (array, index) of its text.
    texts: Texts,
}

enum Texts {
    None,
    Plain(ArrayRef),
    /// A row's key is looked up only when the row is in error.
    Dictionary {
        array: ArrayRef,
        key_at: KeyAt,
    },
}

impl Levels {
    pub(super) fn text(&self, i: usize) -> Option<&str> {
        match &self.texts {
            Texts::None => None,
            Texts::Plain(a) => text_at(a, i),
            Texts::Dictionary { array, key_at } => {
                key_at(array, i).and_then(|k| text_at(array.as_any_dictionary().values(), k))
            }
        }
    }
}

pub(super) fn levels(array: &ArrayRef) -> Result<Levels, ColumnError> {
    let mut cache = LevelCache::default();
    let wrong = |found: &DataType| ColumnError::WrongType {
        column: "consciousness",
        found: found.clone(),
        expected: "text: A, C, V, P or U, or the words",
    };
    match array.data_type() {
        DataType::Utf8 => Ok(offset_levels::<i32>(array, &mut cache)),
        DataType::LargeUtf8 => Ok(offset_levels::<i64>(array, &mut cache)),
        DataType::Utf8View => Ok(view_levels(array, &mut cache)),
        DataType::Dictionary(k, v) if is_text(v) => {
            let (codes, key_at) = match k.as_ref() {
                DataType::Int8 => dictionary_codes::<Int8Type>(array, &mut cache),
                DataType::Int16 => dictionary_codes::<Int16Type>(array, &mut cache),
                DataType::Int32 => dictionary_codes::<Int32Type>(array, &mut cache),
                DataType::Int64 => dictionary_codes::<Int64Type>(array, &mut cache),
                DataType::UInt8 => dictionary_codes::<UInt8Type>(array, &mut cache),
                DataType::UInt16 => dictionary_codes::<UInt16Type>(array, &mut cache),
                DataType::UInt32 => dictionary_codes::<UInt32Type>(array, &mut cache),
                DataType::UInt64 => dictionary_codes::<UInt64Type>(array, &mut cache),
                other => return Err(wrong(other)),
            };
            Ok(Levels {
                codes,
                texts: Texts::Dictionary {
                    array: array.clone(),
                    key_at,
                },
            })
        }
        DataType::Null => Ok(Levels {
            codes: vec![MISSING_CODE; array.len()],
            texts: Texts::None,
        }),
        other => Err(wrong(other)),
    }
}

/// The codes of a text column of offsets (`string`, `large_string`). A chart letter is
/// told by its length alone and read as one byte, with no string made of it.
fn offset_levels<'a, O: OffsetSizeTrait>(
    array: &'a ArrayRef,
    cache: &mut LevelCache<'a>,
) -> Levels {
    let strings = array.as_string::<O>();
    let bytes = strings.value_data();
    let codes = strings
        .value_offsets()
        .windows(2)
        .enumerate()
        .map(|(i, w)| {
            let (start, end) = (w[0].as_usize(), w[1].as_usize());
            if end == start + 1 {
                cache.single_byte(bytes[start])
            } else {
                cache.code(Some(strings.value(i)))
            }
        })
        .collect();
    text_levels(array, codes)
}

/// The codes of a `string_view` column (polars' layout). A view holds a text of up to 12
/// bytes itself, so a chart letter is read from the view, with no pointer followed.
fn view_levels<'a>(array: &'a ArrayRef, cache: &mut LevelCache<'a>) -> Levels {
    let strings = array.as_string_view();
    let codes = strings
        .views()
        .iter()
        .enumerate()
        .map(|(i, &view)| {
            // Bits 0–31: the length; bits 32–127: an inline text's bytes.
            if view as u32 == 1 {
                cache.single_byte((view >> 32) as u8)
            } else {
                cache.code(Some(strings.value(i)))
            }
        })
        .collect();
    text_levels(array, codes)
}

/// A plain text column's levels: `codes` read from every row, null rows then made missing
/// (what a null row holds is not its text).
fn text_levels(array: &ArrayRef, mut codes: Vec<u8>) -> Levels {
    missing_where_null(&mut codes, array.logical_nulls().as_ref());
    Levels {
        codes,
        texts: Texts::Plain(array.clone()),
    }
}

/// The key of row `i` of a dictionary array of a known key type (`None` for null).
type KeyAt = fn(&ArrayRef, usize) -> Option<usize>;

fn key_at<K: ArrowDictionaryKeyType>(array: &ArrayRef, i: usize) -> Option<usize> {
    array.as_dictionary::<K>().key(i)
}

/// The codes of a dictionary-encoded text column (a pandas or polars categorical): the
/// parser runs once per dictionary value, then each row is a lookup by key.
fn dictionary_codes<'a, K: ArrowDictionaryKeyType>(
    array: &'a ArrayRef,
    cache: &mut LevelCache<'a>,
) -> (Vec<u8>, KeyAt) {
    let dictionary = array.as_dictionary::<K>();
    let values = dictionary.values();
    let value_codes: Vec<u8> = (0..values.len())
        .map(|i| cache.code(text_at(values, i)))
        .collect();
    let keys = dictionary.keys();
    // A key under a null may be anything; `get` keeps it from indexing out of range.
    let mut codes: Vec<u8> = keys
        .values()
        .iter()
        .map(|k| {
            value_codes
                .get(k.as_usize())
                .copied()
                .unwrap_or(MISSING_CODE)
        })
        .collect();
    missing_where_null(&mut codes, keys.nulls());
    (codes, key_at::<K>)
}
