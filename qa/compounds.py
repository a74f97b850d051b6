"""Vietnamese words of more than one syllable: `khu công nghiệp`, `kỹ sư`, `vận động viên`.

Vietnamese writes a space between the syllables of a word, so where a word ends is not written.
`split_words` finds it by the longest match against a dictionary: pyvi's word list (31,157 entries;
pyvi 0.1.1, MIT licence, read from the installed package, nothing downloaded). pyvi's own tokenizer,
a CRF over that list, costs a second to import (scikit-learn) and split the answers' counted nouns of
the development set no better (docs/answering.md)."""
from __future__ import annotations

import functools
from importlib import resources

from qa.text import fold, normalize

LONGEST_WORD = 4  # syllables: `chủ tịch nước`, `vận động viên`, `trung tâm thương mại`


@functools.cache
def dictionary() -> frozenset[str]:
    """pyvi's words of two syllables or more, normalised and in lower case."""
    listed = (resources.files("pyvi") / "models" / "words.txt").read_text(encoding="utf-8")
    return frozenset(word for word in normalize(listed).lower().splitlines() if " " in word.strip())


@functools.cache
def folded_dictionary() -> frozenset[str]:
    """The same words without diacritics, for text typed without them (`khu cong nghiep`)."""
    return frozenset(map(fold, dictionary()))


def split_words(syllables: list[str], longest: int = LONGEST_WORD, *, folded: bool = False) -> list[str]:
    """The syllables grouped into words, each the longest the dictionary holds from where the last
    ended (`khu công nghiệp đã` → `khu công nghiệp`, `đã`); a syllable it has no word for stands
    alone. Case is kept; the dictionary is matched in lower case (`folded`: without diacritics)."""
    words, at = [], 0
    known = folded_dictionary() if folded else dictionary()
    while at < len(syllables):
        size = next(
            (n for n in range(min(longest, len(syllables) - at), 1, -1)
             if " ".join(syllables[at : at + n]).lower() in known),
            1,
        )
        words.append(" ".join(syllables[at : at + size]))
        at += size
    return words


def whole_words(syllables: list[str], count: int, longest: int = LONGEST_WORD) -> int:
    """How many of the syllables hold their first `count` in whole words: `count` itself, or more
    when the last of them opens a word that goes on (`ca nô cứu` of `ca nô cứu hộ` → 4)."""
    covered = 0
    for word in split_words(syllables[: count + longest - 1]):  # the word the last one opens ends by then
        if covered >= count:
            break
        covered += len(word.split())
    return max(covered, count)
