"""The BM25 index LexicalIndex.build makes (syllable ids, bigrams as pairs of ids, weights computed
with numpy) is the one bm25s makes from the same passages' token strings: same tokens, same scores."""
from __future__ import annotations

import bm25s
import numpy as np
import pytest

import qa.lexical
from qa.lexical import FOLDED, LexicalIndex, document_frequencies, passage_tokens, query_tokens

# Made-up passages: old-style tone placement (hoà, thuỷ), đ, capitals, digits, repeated words, an
# underscore (its bigram string meets another's), a combining mark that folding removes between two
# words, text in NFD, other scripts, and a passage without a word.
TEXTS = [
    "Hai tỉnh ký thoả thuận hợp tác về nông nghiệp, giáo dục và y tế giai đoạn 2025-2030.",
    "Ông Nguyễn Văn An, Chủ tịch UBND tỉnh, tiếp đoàn đại biểu tại Đà Nẵng sáng 12/5.",
    "Hoà bình, thuỷ lợi và khoẻ mạnh: hòa bình, thủy lợi, khỏe mạnh.",
    "quý khách quý khách quý khách",
    "x_y z và x y_z, rồi x_y_z",
    "q\u0301x bay qua sông",
    "Tie\u0302\u0301ng Vie\u0323\u0302t vie\u0302\u0301t theo NFD",
    "Αθήνα và Москва, 서울 và Hà Nội",
    "!!! ... ???",
    "ha ha hà hà HÀ",
    "Đường đi Đà Lạt dài 300 km; đường về dài hơn.",
]
QUESTIONS = [
    "Hai tỉnh hợp tác về lĩnh vực nào?",
    "hai tinh hop tac ve linh vuc nao",
    "hoà bình thuỷ lợi",
    "x_y_z",
    "Đà Lạt bao xa?",
    "quy khach",
    "Москва",
]


def reference(texts: list[str], scheme: str) -> bm25s.BM25:
    bm25 = bm25s.BM25()
    bm25.index([passage_tokens(text, scheme) for text in texts], show_progress=False)
    return bm25


def reference_scores(bm25: bm25s.BM25, question: str, scheme: str) -> np.ndarray:
    """What a question scores over token strings."""
    tokens = query_tokens(question, scheme)
    known = [t for t in tokens if t in bm25.vocab_dict]
    return bm25.get_scores(known) if known else np.zeros(bm25.scores["num_docs"], dtype=np.float32)


@pytest.mark.parametrize("scheme", ["bigrams", "syllables"])
@pytest.mark.parametrize("block", [1 << 21, 7])  # one block; a block every few passages
def test_build_is_the_index_bm25s_makes_from_token_strings(monkeypatch, scheme, block):
    monkeypatch.setattr(qa.lexical, "BLOCK_SYLLABLES", block)
    texts = [*TEXTS * 3, "???"]  # a passage without a word last, too
    expected = reference(texts, scheme)

    index = LexicalIndex.build(texts, scheme)

    got = index.bm25
    tokens = index.tokens()
    assert set(tokens) == set(expected.vocab_dict) - {""}
    assert got.scores["num_docs"] == expected.scores["num_docs"] == len(texts)
    assert set(vars(got)) == set(vars(expected))  # every attribute BM25.index sets
    for key in ("data", "indices", "indptr"):
        assert got.scores[key].dtype == expected.scores[key].dtype
    assert got.unique_token_ids_set == set(got.vocab_dict.values())
    assert got.vocab_dict[""] == len(got.scores["indptr"]) - 1  # one past the matrix, as bm25s puts it
    for token, column in tokens.items():  # each token's column, passage by passage
        np.testing.assert_array_equal(got.get_scores_from_ids([column]), expected.get_scores([token]))
    for question in QUESTIONS:
        np.testing.assert_array_equal(index.scores(question), reference_scores(expected, question, scheme))
    assert index.document_frequencies() == LexicalIndex.build(texts, "syllables").document_frequencies()
    assert index.document_frequencies() == document_frequencies(texts)  # the Milvus store's, from the texts


def test_folded_and_bigram_tokens_are_those_of_the_text():
    vocabulary = set(LexicalIndex.build(TEXTS).tokens())
    assert {"hòa_bình", "thủy_lợi", FOLDED + "hoa_binh", FOLDED + "duong", "tiếng_việt", "x_y", "y_z"} <= vocabulary
    assert "hoà_bình" not in vocabulary and "x_y_z" not in vocabulary  # an underscore separates syllables


def test_a_question_of_no_known_word_scores_nothing():
    index = LexicalIndex.build(TEXTS)
    for question in ("", "???", "zzzz qqqq"):
        assert not index.scores(question).any()


def test_a_saved_index_loads_with_the_same_scores(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, "bigrams")
    for question in QUESTIONS:
        np.testing.assert_array_equal(loaded.scores(question), index.scores(question))
    assert loaded.document_frequencies() == index.document_frequencies()


def test_no_word_to_index_fails_as_bm25s_did():
    with pytest.raises(ValueError):
        LexicalIndex.build(["!!!", "..."])


@pytest.mark.parametrize("workers, block", [(2, 1 << 21), (3, 7)])
def test_several_processes_and_threads_give_the_same_index_bit_for_bit(monkeypatch, workers, block):
    monkeypatch.setattr(qa.lexical, "PARALLEL_MIN_TEXTS", 4)
    monkeypatch.setattr(qa.lexical, "BLOCK_SYLLABLES", block)
    # Each run of the split meets syllables first seen in an earlier run, and new ones.
    texts = [*TEXTS, *reversed(TEXTS), *TEXTS[3:], "Xã Tân Hòa khánh thành cây cầu mới bắc qua kênh"]
    serial = LexicalIndex.build(texts, workers=1)

    parallel = LexicalIndex.build(texts, workers=workers)

    assert list(parallel.bm25.vocab_dict.items()) == list(serial.bm25.vocab_dict.items())  # same columns, same order
    np.testing.assert_array_equal(parallel.pairs, serial.pairs)
    for key in ("data", "indices", "indptr"):
        assert parallel.bm25.scores[key].dtype == serial.bm25.scores[key].dtype
        np.testing.assert_array_equal(parallel.bm25.scores[key], serial.bm25.scores[key])
    assert parallel.bm25.scores["num_docs"] == serial.bm25.scores["num_docs"] == len(texts)
