"""The Chinese font the PDFs are set in: the installed Noto Sans CJK SC, cut once per process to the characters of
everyday Chinese text.

WeasyPrint embeds a subset of each font a PDF uses, but keeps every glyph at its number (HarfBuzz's retain-gids),
so what a subset costs to make and to store grows with the highest glyph number a sheet uses. In Noto Sans CJK's
65,535 glyphs the Chinese forms of （），：；“” sit above 59,000, so every sheet paid for nearly the whole font: about
30 ms of subsetting and 800 KB (before compression) per face. The print face is the same face cut to GB 2312,
ASCII, Latin-1 and the punctuation blocks, its glyphs numbered afresh (about 13,600 with what its layout tables
reach): the same outlines, widths and shaping, so a sheet looks the same, at a quarter of the cost. A character
outside it (a rare name) comes from the installed face, which the sheet's CSS names next.

The face is cut with fontconfig and HarfBuzz directly (the libraries WeasyPrint itself loads), not through Pango:
this runs before the PDF processes are forked, and Pango starts a thread when it loads a font.
"""

from __future__ import annotations

import sys
from functools import cache

FAMILY = "Gongkai Noto Sans CJK SC"  # what the sheets' CSS names first (templates/posters/sheet.css)
SOURCE = "Noto Sans CJK SC"  # the installed face it is cut from (Debian's fonts-noto-cjk)
WEIGHTS = {400: 80, 700: 200}  # CSS weight → fontconfig's: the sheets set regular and bold text
BLOCKS = ((0x20, 0x7F), (0xA0, 0x100), (0x2000, 0x2070), (0x2100, 0x2200), (0x2460, 0x2500), (0x2500, 0x2600),
          (0x3000, 0x3040), (0xFF00, 0xFFF0))  # ASCII, Latin-1, punctuation, symbols, ①, box drawing, 、。「」, ＡＢ

_DECLARATIONS = """
typedef struct _FcConfig FcConfig;
typedef struct _FcPattern FcPattern;
FcConfig *FcInitLoadConfigAndFonts(void);
void FcConfigDestroy(FcConfig *config);
FcPattern *FcNameParse(const unsigned char *name);
int FcConfigSubstitute(FcConfig *config, FcPattern *pattern, int kind);
void FcDefaultSubstitute(FcPattern *pattern);
FcPattern *FcFontMatch(FcConfig *config, FcPattern *pattern, int *result);
int FcPatternGetString(const FcPattern *pattern, const char *object, int n, unsigned char **value);
int FcPatternGetInteger(const FcPattern *pattern, const char *object, int n, int *value);
void FcPatternDestroy(FcPattern *pattern);

typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
void hb_subset_input_destroy(hb_subset_input_t *input);
void hb_set_add(hb_set_t *set, unsigned int codepoint);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
hb_blob_t *hb_blob_create(const char *data, unsigned int length, int mode, void *user_data, void *destroy);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
hb_set_t *hb_subset_input_glyph_set(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
unsigned int hb_tag_from_string(const char *str, int len);
"""
_LIBRARIES = {  # the names WeasyPrint loads them by, on Linux, macOS and Windows
    "fontconfig": ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"),
    "harfbuzz": ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll"),
    "harfbuzz_subset": ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll"),
}


def characters() -> list[int]:
    """The code points the print face keeps: GB 2312 (its 6,763 hanzi and symbols) and the BLOCKS."""
    points = {point for first, end in BLOCKS for point in range(first, end)}
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                points.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return sorted(points)


@cache
def _libraries():
    """cffi and the libraries by name, or None where they cannot be loaded."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_DECLARATIONS)
        return ffi, {name: _load(ffi, names) for name, names in _LIBRARIES.items()}
    except (ImportError, OSError):
        return None


@cache
def faces() -> dict[int, bytes]:
    """CSS weight → the print face (an OpenType font), for each weight the installed SOURCE has; empty when it is
    not installed or the libraries cannot be loaded, and the sheets are set in the installed fonts as they are."""
    if _libraries() is None:
        return {}
    ffi, libraries = _libraries()
    found = {}
    for css_weight, weight in WEIGHTS.items():
        source = _installed(ffi, libraries["fontconfig"], weight)
        if source is not None:
            face = _cut(ffi, libraries["harfbuzz"], libraries["harfbuzz_subset"], *source)
            if face:
                found[css_weight] = face
    return found


def _load(ffi, names: tuple[str, ...]):
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    raise OSError(f"none of {names} in {sys.platform}")


def _installed(ffi, fontconfig, weight: int) -> tuple[bytes, int] | None:
    """The file and face index fontconfig gives SOURCE at `weight`, if that is SOURCE itself at that weight (not
    a fallback such as DejaVu, which has no Chinese, or the regular face standing in for a bold one)."""
    config = fontconfig.FcInitLoadConfigAndFonts()
    pattern = fontconfig.FcNameParse(f"{SOURCE}:weight={weight}".encode())
    try:
        fontconfig.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("int *")
        match = fontconfig.FcFontMatch(config, pattern, result)
        if match == ffi.NULL:
            return None
        try:
            string, number, families = ffi.new("unsigned char **"), ffi.new("int *"), set()
            while fontconfig.FcPatternGetString(match, b"family", len(families), string) == 0:
                families.add(ffi.string(string[0]).decode("utf-8", "replace"))
            if (SOURCE not in families or fontconfig.FcPatternGetInteger(match, b"weight", 0, number) != 0
                    or number[0] != weight or fontconfig.FcPatternGetString(match, b"file", 0, string) != 0):
                return None
            path = ffi.string(string[0])
            index = number[0] if fontconfig.FcPatternGetInteger(match, b"index", 0, number) == 0 else 0
            return path, index
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
        fontconfig.FcConfigDestroy(config)


def _cut(ffi, harfbuzz, subset, path: bytes, index: int) -> bytes | None:
    blob = harfbuzz.hb_blob_create_from_file_or_fail(path)
    if blob == ffi.NULL:
        return None
    face = harfbuzz.hb_face_create(blob, index)
    wanted = subset.hb_subset_input_create_or_fail()
    try:
        points = subset.hb_subset_input_unicode_set(wanted)
        for point in characters():
            harfbuzz.hb_set_add(points, point)
        cut = subset.hb_subset_or_fail(face, wanted)
        if cut == ffi.NULL:
            return None
        font = _bytes_of(ffi, harfbuzz, cut)
        harfbuzz.hb_face_destroy(cut)
        return font
    finally:
        subset.hb_subset_input_destroy(wanted)
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


# What WeasyPrint leaves out of a font it embeds (weasyprint/pdf/fonts.py), and HarfBuzz's flags for its subsets
_DROPPED = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT", b"SVG ")
_NO_HINTING, _RETAIN_GIDS, _DESUBROUTINIZE, _PASSTHROUGH_UNRECOGNIZED, _NOTDEF_OUTLINE = 0x1, 0x2, 0x4, 0x20, 0x40
_DROP_TABLE_TAG, _READONLY = 3, 1


def embedded(family: str, glyphs: list[int]) -> bytes | None:
    """The font a sheet's PDF names `family` (the print face's or the installed SOURCE's, regular or bold: WeasyPrint's
    names) as WeasyPrint embeds it for text using `glyphs`, by their numbers in the face, which it keeps (every other
    glyph empty, none after the last; a number past the face's last is a character no font has); None for another
    family, or where it cannot be made."""
    loaded = _libraries()
    weight = 700 if family.endswith("-Bold") else 400
    name = family.removesuffix("-Bold").replace("-", " ")
    if loaded is None or not glyphs or name not in (FAMILY, SOURCE):
        return None
    ffi, libraries = loaded
    harfbuzz, subset = libraries["harfbuzz"], libraries["harfbuzz_subset"]
    if name == FAMILY:  # HarfBuzz reads the bytes where they are: `kept` holds them until the blob is destroyed
        data, index = faces().get(weight), 0
        kept = ffi.from_buffer(data) if data else None
        blob = harfbuzz.hb_blob_create(kept, len(data), _READONLY, ffi.NULL, ffi.NULL) if data else None
    else:
        source = _installed(ffi, libraries["fontconfig"], WEIGHTS[weight])
        blob, index = (harfbuzz.hb_blob_create_from_file_or_fail(source[0]), source[1]) if source else (None, 0)
    if blob is None or blob == ffi.NULL:
        return None
    face, made = harfbuzz.hb_face_create(blob, index), []
    try:
        flags = _PASSTHROUGH_UNRECOGNIZED | _DESUBROUTINIZE
        if max(glyphs) >= harfbuzz.hb_face_get_glyph_count(face):
            flags |= _NOTDEF_OUTLINE
        used = _subset(ffi, harfbuzz, subset, face, glyphs, flags | _RETAIN_GIDS, made)
        cut = used and _subset(ffi, harfbuzz, subset, used, range(max(glyphs) + 1), flags | _NO_HINTING, made)
        return _bytes_of(ffi, harfbuzz, cut) if cut else None
    finally:
        for made_face in made:
            harfbuzz.hb_face_destroy(made_face)
        harfbuzz.hb_face_destroy(face)
        harfbuzz.hb_blob_destroy(blob)


def _bytes_of(ffi, harfbuzz, face) -> bytes | None:
    """A face HarfBuzz made, as a font file's bytes; None if it holds none."""
    blob = harfbuzz.hb_face_reference_blob(face)
    length = ffi.new("unsigned int *")
    pointer = harfbuzz.hb_blob_get_data(blob, length)
    font = ffi.unpack(pointer, length[0]) if pointer != ffi.NULL and length[0] else None
    harfbuzz.hb_blob_destroy(blob)
    return font


def _subset(ffi, harfbuzz, subset, face, glyphs, flags: int, made: list):
    """face cut to glyphs with flags, kept in `made` for its destruction; None if HarfBuzz fails."""
    wanted = subset.hb_subset_input_create_or_fail()
    try:
        chosen = subset.hb_subset_input_glyph_set(wanted)
        for glyph in glyphs:
            harfbuzz.hb_set_add(chosen, glyph)
        subset.hb_subset_input_set_flags(wanted, flags)
        dropped = subset.hb_subset_input_set(wanted, _DROP_TABLE_TAG)
        for tag in _DROPPED:
            harfbuzz.hb_set_add(dropped, harfbuzz.hb_tag_from_string(tag, -1))
        cut = subset.hb_subset_or_fail(face, wanted)
        if cut == ffi.NULL:
            return None
        made.append(cut)
        return cut
    finally:
        subset.hb_subset_input_destroy(wanted)
