"""Questions as users type them → a clean question, or a clear refusal."""
from __future__ import annotations

import re

from qa.errors import InvalidQuestion
from qa.text import normalize

MAX_QUESTION_CHARS = 1000


def clean_question(question: str) -> str:
    """Strip control characters and extra white space; refuse empty or overlong questions."""
    if not isinstance(question, str):
        raise InvalidQuestion(
            f"question must be a string, got {type(question).__name__}",
            "Câu hỏi phải là văn bản.",
        )
    text = re.sub(r"\s+", " ", normalize(question)).strip()
    if not text:
        raise InvalidQuestion(
            "question is empty: type a question about the articles",
            "Bạn chưa nhập câu hỏi. Hãy gõ một câu hỏi về các bài báo.",
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise InvalidQuestion(
            f"question is {len(text)} characters long; the limit is {MAX_QUESTION_CHARS}: ask a shorter question",
            f"Câu hỏi quá dài ({len(text)} ký tự, tối đa {MAX_QUESTION_CHARS}). Hãy hỏi ngắn gọn hơn.",
        )
    return text
