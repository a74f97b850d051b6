"""Boilerplate removal for the text of a scraped Vietnamese news page.

A scraped page is mostly not the article: teasers of other articles are woven into the body, and the
page ends with lists of more teasers. Their summaries are other articles' text; indexed under this
one, they would make the chatbot cite the wrong article. Every rule here recognises a *kind* of line
by its shape (a title written twice, a table cell, an unaccented slug, a section heading) so that it
works on pages it has never seen; none of them knows a line of the seed pages.

Input is the page's lines, normalised (`qa.text.normalize`, so comparing case-folded text is enough)
and stripped, with "" for a blank line (blank lines carry structure: a teaser's summary ends at one).
`split_tail` cuts the page at its tail and finds the byline; `clean_body` then removes what is woven
into the body and returns the article's paragraphs.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher

# --- Page chrome: stray lines that can appear anywhere and are never article text. ---

_FONT_SIZE_CONTROL = re.compile(r"a\s?a", re.IGNORECASE)
# An infographic's address slug: at least four unaccented lower-case words, no punctuation.
_SLUG = re.compile(r"(?=.*[a-z])[a-z0-9]+(?: [a-z0-9]+){3,}")
_MEDIA_LABEL = re.compile(
    r"\[(?:video|clip|infographics?|ảnh|photo|podcast|e-?magazine|longform|megastory)\]", re.IGNORECASE
)
# Text of the site's widgets (loading notice, mobile/desktop switch, share bar), compared case-folded.
_WIDGET_TEXTS = frozenset(
    {
        "xin chờ trong giây lát", "đang tải", "phiên bản di động", "phiên bản máy tính", "lên đầu trang", "chia sẻ",
        "in bài",
    }
)


def is_font_size_control(line: str) -> bool:
    """The `aa` text-size buttons under the title."""
    return bool(_FONT_SIZE_CONTROL.fullmatch(line))


def is_infographic_slug(line: str) -> bool:
    """`infographic dau hieu nhan biet lu quet`: a link's URL slug, left by the scraper in place of
    the title. Real text in Vietnamese has diacritics or punctuation; a slug has neither."""
    return bool(_SLUG.fullmatch(line))


def is_media_item(line: str) -> bool:
    """`[Video] …`, `[Infographic] …`: an item of the site's multimedia lists."""
    return bool(_MEDIA_LABEL.match(line))


def is_widget_text(line: str) -> bool:
    """`Xin chờ trong giây lát...`, `Phiên bản di động`: labels of the page's widgets."""
    return line.casefold().rstrip(".… ") in _WIDGET_TEXTS


def is_page_chrome(line: str) -> bool:
    """Any of the stray kinds above; checked line by line, wherever the line stands."""
    return bool(line) and (
        is_font_size_control(line) or is_infographic_slug(line) or is_media_item(line) or is_widget_text(line)
    )


# --- The tail: byline and source label, then the related-article sections. ---

# Section headings that open the list of other articles at the end of a page, compared case-folded.
_TAIL_HEADINGS = frozenset(
    heading.casefold()
    for heading in (
        "Tin bài liên quan", "Các tin bài khác", "Đọc nhiều", "Bờ cõi biển đảo", "Multimedia",
        "Tin liên quan", "Bài liên quan", "Bài viết liên quan", "Tin tức liên quan", "Tin cùng chuyên mục",
        "Cùng chuyên mục", "Tin khác", "Tin bài khác", "Các tin khác", "Xem thêm", "Đọc thêm", "Tin mới nhất",
        "Tin mới", "Tin nổi bật", "Xem nhiều", "Tin xem nhiều", "Đọc nhiều nhất", "Có thể bạn quan tâm",
    )
)
_SOURCE_LABEL = re.compile(r"nguồn\s*:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;]$")
_MAX_BYLINE_WORDS = 10


def is_tail_heading(line: str) -> bool:
    """`Tin bài liên quan`, `Xem thêm:` …: a heading alone on its line (a sentence that merely
    contains the words is article text)."""
    return line.casefold().rstrip(": ") in _TAIL_HEADINGS


def is_source_label(line: str) -> bool:
    """`Nguồn:` (possibly with the source after it): the end of the article on Vietnamese sites."""
    return bool(_SOURCE_LABEL.match(line))


def is_byline(line: str) -> bool:
    """`Hà Vy`, `Hạnh Trần (t/h)`, `Theo VOV`: a few words, not a sentence, not a teaser."""
    return (
        0 < len(line.split()) <= _MAX_BYLINE_WORDS
        and not _SENTENCE_END.search(line)
        and not is_doubled_title(line)
    )


def split_tail(lines: Sequence[str]) -> tuple[list[str], str | None]:
    """The lines before the page's tail, and the byline (None when the page has none).

    The tail starts at the byline that precedes `Nguồn:`, at `Nguồn:` itself, or at the first heading
    of a related-articles section, whichever comes first."""
    for index, line in enumerate(lines):
        if is_tail_heading(line):
            return list(lines[:index]), None
        if is_source_label(line):
            before = [i for i in range(index) if lines[i]]
            if before and is_byline(lines[before[-1]]):
                return list(lines[: before[-1]]), lines[before[-1]]
            return list(lines[:index]), None
    return list(lines), None


# --- Teasers of other articles woven into the body. ---

_MIN_TEASER_TITLE = 10


def is_doubled_title(line: str) -> bool:
    """A line that is one title written twice, with or without a space between the copies: how the
    scraper renders a teaser link (image alt text + link text)."""
    text = " ".join(line.split())
    half = len(text) // 2
    if half < _MIN_TEASER_TITLE:
        return False
    if len(text) % 2 == 0:
        return text[:half] == text[half:]
    return text[half] == " " and text[:half] == text[half + 1 :]


def _is_teaser_summary(lines: Sequence[str], index: int) -> bool:
    """The line at `index` (right after a teaser title) is that teaser's summary when it stands alone:
    followed by a blank line, another teaser or the end. A line followed directly by more text is
    the article going on (pages without blank lines between paragraphs)."""
    if index >= len(lines) or not lines[index] or is_doubled_title(lines[index]):
        return False
    following = lines[index + 1] if index + 1 < len(lines) else ""
    return not following or is_doubled_title(following)


def drop_teasers(lines: Sequence[str]) -> list[str]:
    dropped: set[int] = set()
    for index, line in enumerate(lines):
        if is_doubled_title(line):
            dropped.add(index)
            if _is_teaser_summary(lines, index + 1):
                dropped.add(index + 1)
    return [line for index, line in enumerate(lines) if index not in dropped]


# --- Photos: image markers, alt text, and their captions. ---

_IMAGE_MARKER = re.compile(r"\|?\s*!\[[^\]]*\]\([^)]*\)\s*\|?")
_TABLE_CELL = re.compile(r"\|(.*)\|")
_PHOTO_CREDIT = re.compile(r"\((?:ảnh|nguồn|photo)\s*:[^)]*\)", re.IGNORECASE)
_MAX_CAPTION_WORDS = 12
_SAME_TEXT = 0.9
_NEAR_DUPLICATE = 0.75


def is_similar(a: str, b: str, threshold: float) -> bool:
    """Word-level likeness of two lines reaches `threshold` (0 to 1). Words rather than characters,
    because two unrelated Vietnamese lines share most of their letters and many syllables (`hợp tác`,
    `của`). The cheap upper bounds go first: most pairs of lines are nothing alike."""
    matcher = SequenceMatcher(None, a.casefold().split(), b.casefold().split(), autojunk=False)
    return (
        matcher.real_quick_ratio() >= threshold
        and matcher.quick_ratio() >= threshold
        and matcher.ratio() >= threshold
    )


def is_same_text(a: str, b: str) -> bool:
    """The same text up to a word or a punctuation mark (alt text vs title, a repeated lead)."""
    return is_similar(a, b, _SAME_TEXT)


def is_image_marker(line: str) -> bool:
    """`![]() |`: where the scraper met an image (the page's layout table around it)."""
    return bool(_IMAGE_MARKER.fullmatch(line))


def table_cell_text(line: str) -> str | None:
    """The text of a `| … |` layout-table cell, or None for an ordinary line."""
    match = _TABLE_CELL.fullmatch(line)
    return match[1].strip() if match else None


def is_title_echo(line: str, title: str) -> bool:
    """A photo's alt text that is the article title again, on a line of its own."""
    return bool(title) and is_same_text(line, title)


def is_alt_text_pair(line: str, following: str) -> bool:
    """Two adjacent, nearly identical lines: a photo's alt text and its caption, differing in a word
    or in the credit (`(Ảnh: Báo Bình Phước Online)` / `(Ảnh: Bình Phước Online)`)."""
    return bool(line and following) and is_similar(line, following, _NEAR_DUPLICATE)


def is_factless_caption(caption: str) -> bool:
    """`Quang cảnh buổi tiếp.`: a short caption naming no one, no place and no number. Captions that
    name people or numbers (`Chủ tịch UBND … ký …`) are facts of the article and stay."""
    words = _PHOTO_CREDIT.sub("", caption).split()
    return (
        len(words) <= _MAX_CAPTION_WORDS
        and not any(char.isdigit() for char in caption)
        and not any(word[0].isupper() for word in words[1:])
    )


def _photo_at(lines: Sequence[str], index: int, title: str) -> tuple[int, str] | None:
    """The photo that starts at `index`, if one does: how many lines it spans and its caption
    ("" when it has none). A photo is an image marker or an echo of the title followed by its
    caption (in a table cell or not), or an alt-text/caption pair, of which the longer says more."""
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if is_alt_text_pair(line, following):
        return 2, max(line, following, key=len)
    if not (is_image_marker(line) or is_title_echo(line, title)):
        return None
    if not following or is_image_marker(following) or is_title_echo(following, title):
        return 1, ""
    cell = table_cell_text(following)
    return 2, following if cell is None else cell


def resolve_photos(lines: Sequence[str], title: str) -> list[str]:
    """Drop photo markers, keep a photo's caption only when it carries facts, and drop every other
    layout-table cell: outside a photo, a cell is a sidebar teaser summarising another article."""
    kept: list[str] = []
    index = 0
    while index < len(lines):
        photo = _photo_at(lines, index, title)
        if photo is None:
            if table_cell_text(lines[index]) is None:
                kept.append(lines[index])
            index += 1
            continue
        span, caption = photo
        if caption and not is_factless_caption(caption):
            kept.append(caption)
        index += span
    return kept


def clean_body(lines: Sequence[str], title: str) -> list[str]:
    """The article's paragraphs from the body lines of a page (its tail already cut)."""
    lines = [line for line in lines if not is_page_chrome(line)]
    lines = drop_teasers(lines)
    lines = resolve_photos(lines, title)
    return [line for line in lines if line]
