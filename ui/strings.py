"""Every Vietnamese sentence the chat UI shows, in one place, so wording is reviewed (and one day
translated) without reading the code around it."""
from __future__ import annotations

TITLE = "Hỏi đáp tin tức"
SUBTITLE = "Đặt câu hỏi bằng tiếng Việt; câu trả lời dẫn nguồn từ các bài báo trong kho."
CORPUS_WITH_DATES = "Kho gồm **{count}** bài báo, đăng từ {first} đến {last}."
CORPUS_WITHOUT_DATES = "Kho gồm **{count}** bài báo."
EXAMPLES_LABEL = "Câu hỏi mẫu (bấm để hỏi):"

INPUT_LABEL = "Câu hỏi"
INPUT_PLACEHOLDER = (
    "Nhập câu hỏi rồi nhấn Enter, ví dụ: Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"
)
SEND_BUTTON = "Gửi"
CLEAR_BUTTON = "Xóa cuộc trò chuyện"
CHAT_LABEL = "Trò chuyện"

PENDING = "Đang tìm câu trả lời…"
GENERIC_ERROR = "Xin lỗi, đã có lỗi khi tìm câu trả lời. Vui lòng thử lại sau."

SOURCES_HEADING = "Nguồn"
PASSAGES_SUMMARY = "Các đoạn văn đã đọc ({count})"
IN_APP_HINT = "bản lưu trong ứng dụng"
UNKNOWN_DATE = "không rõ ngày"

ARTICLE_NOT_FOUND = "Không tìm thấy bài báo này trong kho."
ARTICLE_PUBLISHED = "Đăng ngày {date}"
ARTICLE_AUTHOR = "Tác giả: {author}"
ARTICLE_CATEGORY = "Chuyên mục: {category}"
ARTICLE_NO_URL_NOTE = (
    "Không có địa chỉ gốc của bài này; đây là nội dung đã làm sạch trong kho."
)

# Good questions for the shipped seed corpus; shown only when the app serves those seeds, because
# over any other corpus they would lead the user to an abstention.
SEED_EXAMPLES = (
    "Nghệ An ký thỏa thuận với Vientiane cho giai đoạn nào?",
    "Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?",
    "TP Hồ Chí Minh ký thỏa thuận hợp tác với tỉnh nào của Lào?",
    "Bình Phước và Champasak hợp tác trong những lĩnh vực nào?",
)

PREPARING_BANNER = (
    "Đang nạp chỉ mục tìm kiếm (lần đầu có thể mất một phút)… / Loading the search index…"
)
STARTUP_BANNER = "Mở trình duyệt tại / Open in your browser: {url}"
SHARE_BANNER = "Liên kết công khai / Public share link: {url}"
