"""Errors a user can act on. Messages are English (for logs and developers) and say what to do;
`vi` carries the Vietnamese sentence shown to end users in the chat."""
from __future__ import annotations


class QAError(Exception):
    """Base class: something the user or operator can fix. The CLI prints it without a traceback."""

    exit_code = 1
    vi = "Đã có lỗi xảy ra. Vui lòng thử lại sau."


class InvalidQuestion(QAError, ValueError):
    """Empty, overlong or otherwise unusable question."""

    exit_code = 2

    def __init__(self, message: str, vi: str) -> None:
        super().__init__(message)
        self.vi = vi


class CorpusError(QAError):
    """The article folder cannot be used (missing, or no readable article in it)."""

    vi = "Không đọc được kho bài báo. Vui lòng báo cho quản trị viên."


REBUILD_HINT = "rebuild it with `qa build --force`"


class IndexCorrupt(QAError):
    """The index on disk is corrupt, truncated or unusable; the message names the file and the fix."""

    vi = "Chỉ mục tìm kiếm bị hỏng. Vui lòng báo cho quản trị viên để xây dựng lại (qa build)."

    @classmethod
    def in_file(cls, path: object, problem: str) -> IndexCorrupt:
        """`index file PATH is PROBLEM; rebuild it …`"""
        return cls(f"index file {path} is {problem}; {REBUILD_HINT}")


class EncoderError(QAError):
    """The embedding model cannot be loaded (not installed, not in the local cache)."""

    vi = "Không tải được mô hình ngôn ngữ. Vui lòng báo cho quản trị viên."


class SettingsError(QAError, ValueError):
    """A setting (environment variable, flag or argument) has a value that cannot be used."""

    exit_code = 2
    vi = "Cấu hình không hợp lệ. Vui lòng báo cho quản trị viên."


class IndexWriteError(QAError):
    """The index cannot be written (disk full, read-only folder, no permission); the message says
    why the build was needed and what to do. The index in service, if any, is left as it was."""

    vi = "Không ghi được chỉ mục tìm kiếm (ổ đĩa đầy hoặc chỉ đọc). Vui lòng báo cho quản trị viên."


class IndexMissing(QAError):
    """No index has been built for the corpus yet (`qa build`, or `Pipeline.prepare()`)."""

    vi = "Chưa có chỉ mục tìm kiếm. Vui lòng báo cho quản trị viên để xây dựng (qa build)."


class ModelFileError(QAError):
    """The answering model's file is missing, unreadable or made for other features."""

    vi = "Mô hình trả lời bị hỏng hoặc thiếu. Vui lòng báo cho quản trị viên (cài lại, hoặc make train)."


class FeedbackError(QAError):
    """The feedback log cannot be read or written, or an export cannot be written; the message
    names the file and what to do."""

    vi = "Không lưu được góp ý của bạn. Xin cảm ơn, và vui lòng thử lại sau."


class CorpusChangeError(QAError):
    """`qa add` / `qa remove` refused a change (unknown id, a name already taken, nothing usable in
    the files, no confirmation); the corpus folder is left as it was."""

    vi = "Không thay đổi được kho bài báo. Vui lòng báo cho quản trị viên."


class StoreError(QAError):
    """The passage store cannot be used: the Milvus client is not installed, or the Milvus at
    QA_MILVUS_URI cannot be reached or refuses a request; the message says which and what to do."""

    vi = "Không kết nối được kho tìm kiếm. Vui lòng báo cho quản trị viên."
