"""Every sentence a user reads, in one place: the answers' fixed words, the refusals, the chat page
and the language model's instructions. Wording is reviewed (and one day translated) here without
reading the code around it. Logs and exceptions are English and live with their code.
"""
from __future__ import annotations

# -- answers ---------------------------------------------------------------------------------------

DECLINE = "Xin lỗi, tôi không tìm thấy thông tin này trong các bài báo."

# The short answer as a sentence of its own, led by the kind of thing asked for ("Năm 2009.").
ANSWER_LEADS = {"period": "Giai đoạn", "year": "Năm", "day": "Ngày"}

# When the date matters (the question names a time, or the quoted articles are of different years),
# each quoted sentence says which day's article it comes from.
ACCORDING_TO_ARTICLE_OF = "Theo bài ngày {date}, {sentence}"

# The chat's date-range filter (both optional, day/month/year).
SINCE_LABEL = "Từ ngày"
UNTIL_LABEL = "Đến ngày"
DATE_PLACEHOLDER = "dd/mm/yyyy"
DATE_INVALID = "Ngày \"{value}\" không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 12/05/2025."
DATE_ORDER = "\"Từ ngày\" phải trước hoặc bằng \"Đến ngày\"."

# -- questions refused -----------------------------------------------------------------------------

QUESTION_NOT_TEXT = "Câu hỏi phải là văn bản."
QUESTION_EMPTY = "Bạn chưa nhập câu hỏi. Hãy gõ một câu hỏi về các bài báo."
HISTORY_INVALID = "Lịch sử hội thoại không hợp lệ. Hãy bắt đầu cuộc trò chuyện mới."
QUESTION_NO_WORDS = "Câu hỏi chưa có từ nào để tìm. Hãy gõ một câu hỏi về các bài báo."
QUESTION_TOO_LONG = "Câu hỏi quá dài ({length} ký tự, tối đa {limit}). Hãy hỏi ngắn gọn hơn."

# -- the optional language model -------------------------------------------------------------------

LLM_SYSTEM_PROMPT = (
    "Bạn là trợ lý hỏi đáp tin tức. Chỉ trả lời bằng tiếng Việt, ngắn gọn (tối đa 3 câu), và CHỈ dựa "
    "trên các đoạn trích được đánh số mà người dùng cung cấp. Sau mỗi ý, ghi số đoạn trích làm nguồn "
    "trong ngoặc vuông, ví dụ [1] hoặc [2]. Không dùng kiến thức bên ngoài, không bịa đặt. Nếu các "
    f"đoạn trích không chứa câu trả lời, hãy trả lời đúng câu: \"{DECLINE}\""
)
LLM_PASSAGES = "Các đoạn trích:\n\n{numbered}\n\nCâu hỏi: {question}"

# -- the chat page ---------------------------------------------------------------------------------

TITLE = "Hỏi đáp tin tức"
SUBTITLE = "Đặt câu hỏi bằng tiếng Việt; câu trả lời dẫn nguồn từ các bài báo trong kho."
CORPUS_WITH_DATES = "Kho gồm **{count}** bài báo, đăng từ {first} đến {last}."
CORPUS_WITHOUT_DATES = "Kho gồm **{count}** bài báo."
CORPUS_SKIPPED = "{count} tệp hoặc bản ghi không đọc được đã bị bỏ qua (lý do ghi trong nhật ký máy chủ)."
EXAMPLES_LABEL = "Câu hỏi mẫu (bấm để hỏi):"

INPUT_LABEL = "Câu hỏi"
INPUT_PLACEHOLDER = (
    "Nhập câu hỏi rồi nhấn Enter, ví dụ: Cần Thơ ký bản ghi nhớ với Savannakhet năm nào?"
)
SEND_BUTTON = "Gửi"
CLEAR_BUTTON = "Xóa cuộc trò chuyện"
CHAT_LABEL = "Trò chuyện"

PENDING = "Đang tìm câu trả lời…"
STARTING = "Đang chuẩn bị kho bài báo (đọc bài và nạp chỉ mục tìm kiếm)…"
STARTING_EMBEDDING = (
    "Đang xây dựng chỉ mục tìm kiếm: {done}/{total} đoạn văn ({percent}%). Trang tự cập nhật khi xong."
)
# The corpus line while the passages of new articles are embedded in the background (`Pipeline.embedding`).
EMBEDDING_PENDING = (
    "Đang tính vector cho {pending} đoạn mới ({percent}%); trong lúc đó các đoạn này chỉ được tìm theo từ khóa."
)
EMBEDDING_FAILED = (
    "Chưa tính được vector cho {pending} đoạn mới (lỗi ghi trong nhật ký máy chủ); các đoạn này chỉ được tìm "
    "theo từ khóa."
)
NOT_READY = "Kho bài báo đang được chuẩn bị ({percent}%). Vui lòng hỏi lại sau ít phút."
ONE_AT_A_TIME = "Câu hỏi trước của bạn vẫn đang được trả lời. Xin đợi câu trả lời rồi hỏi tiếp."
GENERIC_ERROR = "Xin lỗi, đã có lỗi khi tìm câu trả lời. Vui lòng thử lại sau."

# How sure the answer is, shown under it. An unsure answer says what weighed most against it: the
# `Evidence` field the answering model names (qa/reader/evidence.py), in plain words.
CONFIDENCE_SURE = "Chắc chắn: câu trả lời nằm nguyên văn trong bài [{n}]."
CONFIDENCE_UNSURE = "Không chắc: {reason}. Hãy đọc lại nguồn [{n}] trước khi dùng."
CONFIDENCE_REASONS = {
    "dense": "câu trích dẫn chỉ gần nghĩa với câu hỏi",
    "dense_peak": "nhiều câu trong bài khớp với câu hỏi ngang nhau, không câu nào nổi bật",
    "agreement": "hai cách tìm kiếm không cùng chọn một đoạn văn",
    "coverage": "đoạn văn chỉ chứa một phần các từ của câu hỏi",
    "sentence_coverage": "câu trích dẫn chỉ chứa một phần các từ của câu hỏi",
    "names_missing": "các bài không nhắc tới một số tên hoặc con số trong câu hỏi",
    "subject_missing": "câu trích dẫn không nói rõ về đối tượng bạn hỏi",
    "no_span": "bạn hỏi một con số hoặc ngày tháng nhưng câu trích dẫn không có",
    "no_subject_span": "câu nói về đối tượng bạn hỏi không có con số hay ngày tháng nào",
    "no_name_span": "bạn hỏi tên người hoặc nơi chốn nhưng câu trích dẫn không nêu",
    "other_year": "câu trích dẫn nói về một năm khác với năm bạn hỏi",
    "no_office_holder": "bài chỉ nêu người giữ chức vụ khác (như cấp phó), không nêu người bạn hỏi",
    "english": "câu hỏi bằng tiếng Anh nên khó đối chiếu với bài tiếng Việt",
    "unaccented": "câu hỏi gõ không dấu nên khó đối chiếu chính xác với bài",
}
CONFIDENCE_REASON_DEFAULT = "bằng chứng trong bài còn yếu"

SOURCES_HEADING = "Nguồn"
PASSAGES_SUMMARY = "Các đoạn văn đã đọc ({count})"
IN_APP_HINT = "bản lưu trong ứng dụng"
UNKNOWN_DATE = "không rõ ngày"

# -- feedback on an answer (👍/👎 under it; see qa/feedback.py) -------------------------------------

FEEDBACK_PROMPT = "**Câu trả lời chưa đúng?** Cho chúng tôi biết để cải thiện (không bắt buộc):"
FEEDBACK_CORRECTION_LABEL = "Câu trả lời đúng"
FEEDBACK_CORRECTION_PLACEHOLDER = "Ngắn gọn, như bài báo viết: một năm, một tên người, một con số…"
FEEDBACK_NOT_IN_ARTICLES = "Bài báo không có thông tin này"
FEEDBACK_SUBMIT = "Gửi góp ý"
FEEDBACK_SKIP = "Bỏ qua"
FEEDBACK_THANKS = "Cảm ơn bạn đã đánh giá câu trả lời!"
FEEDBACK_THANKS_CORRECTION = "Cảm ơn bạn! Góp ý của bạn sẽ giúp cải thiện câu trả lời."
FEEDBACK_UNAVAILABLE = "Không ghi nhận được đánh giá cho tin nhắn này (nó không còn trong cuộc trò chuyện)."

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

# -- the Articles tab (ui/articles.py) ---------------------------------------------------------------

TAB_CHAT = "Trò chuyện"
TAB_ARTICLES = "Bài báo"
ARTICLES_SEARCH_LABEL = "Tìm theo tiêu đề"
ARTICLES_SEARCH_PLACEHOLDER = "Gõ một phần tiêu đề, có dấu hoặc không dấu"
ARTICLES_HEADERS = ("Tiêu đề", "Ngày đăng", "Nguồn", "Đoạn văn", "Mã bài")
ARTICLES_COUNT = "{shown} / {total} bài báo, mới nhất trước. Chọn một dòng để mở hoặc xóa bài đó."
ARTICLES_MORE = "Còn {more} bài khớp nữa chưa hiện: gõ thêm vào ô tìm kiếm để thu hẹp."
ARTICLES_OPEN = "Mở bài đã chọn trong ứng dụng:"
ARTICLES_REMOVE_LABEL = "Bài báo cần xóa"
ARTICLES_REMOVE_BUTTON = "Xóa"
ARTICLES_REMOVE_CONFIRM = "Xóa bài \"{title}\" khỏi kho? Tệp của bài được lưu lại trong thư mục removed/ của chỉ mục."
ARTICLES_REMOVE_YES = "Xác nhận xóa"
ARTICLES_REMOVE_NO = "Hủy"
ARTICLES_REMOVE_NONE = "Hãy chọn một bài báo để xóa."
ARTICLES_REMOVED = "Đã xóa bài \"{title}\" khỏi kho."
ARTICLES_REMOVE_FAILED = "Không xóa được: {reason}"
ARTICLES_UPLOAD_LABEL = "Tệp bài báo (.txt trang đã tải, .html, .jsonl; chọn được nhiều tệp, tối đa {mb} MB mỗi tệp)"
ARTICLES_ADD_BUTTON = "Thêm vào kho"
ARTICLES_ADD_NONE = "Hãy chọn ít nhất một tệp."
ARTICLES_ADD_FAILED = "Không thêm được: {reason}"
ARTICLES_FILE_ADDED = "{name}: đã thêm {count} bài báo"
ARTICLES_FILE_REFUSED = "{name}: không thêm, vì {reason}"
ARTICLES_FILE_SKIPPED = "bỏ qua một bản ghi: {reason}"
ARTICLES_KEPT = "{title} — {date}, {source}, {chars} ký tự"
ARTICLES_UPDATING = (
    "Đang cập nhật chỉ mục: {done}/{total} đoạn mới ({percent}%). Trong lúc đó vẫn hỏi đáp được trên kho cũ."
)
ARTICLES_UPDATING_START = "Đang cập nhật chỉ mục… Trong lúc đó vẫn hỏi đáp được trên kho cũ."
ARTICLES_UPDATED = "Chỉ mục đã cập nhật: {count} bài báo, {embedded} đoạn mới được mã hóa."
ARTICLES_UPDATED_WORDS = (
    "Chỉ mục đã cập nhật: {count} bài báo, hỏi được ngay. {pending} đoạn mới đang được tính vector (tiến độ ở dòng "
    "trên cùng); trong lúc đó chúng chỉ được tìm theo từ khóa."
)
ARTICLES_UPDATE_FAILED = "Cập nhật chỉ mục thất bại: {reason}"

# Why a file or record was not added, one phrase per kind of problem (`qa.corpus.ProblemKind`); the
# English reason with its details stays in the logs and on the command line.
CORPUS_PROBLEMS = {
    "binary": "tệp chứa dữ liệu nhị phân, không phải văn bản",
    "not_utf8": "tệp không phải văn bản mã UTF-8 (hãy lưu lại tệp dưới dạng UTF-8)",
    "unreadable": "không đọc được tệp",
    "empty": "không còn tiêu đề hoặc nội dung bài sau khi làm sạch",
    "not_html": "không đọc được tệp như một trang HTML",
    "invalid_json": "dòng này không phải JSON hợp lệ",
    "not_an_object": "bản ghi không phải một đối tượng JSON",
    "missing_fields": "bản ghi thiếu mã bài (id), tiêu đề (title) hoặc nội dung (body)",
    "bad_field": "một trường của bản ghi không phải văn bản",
    "bad_url": "địa chỉ bài (url) không phải một liên kết http(s)",
    "bad_date": "ngày đăng (published) không đúng dạng ISO 8601, ví dụ 2025-05-12",
    "too_long": "bài báo dài quá giới hạn cho phép",
    "duplicate_id": "kho đã có một bài cùng mã",
    "link_loop": "liên kết tượng trưng (symbolic link) tạo thành vòng lặp",
    "broken_link": "liên kết tượng trưng (symbolic link) trỏ tới tệp không tồn tại",
    "link_outside": "liên kết tượng trưng (symbolic link) trỏ ra ngoài thư mục kho nên không được đọc",
    "bad_sources": "tệp sources.json không hợp lệ; địa chỉ và ngày đăng trong đó không được dùng",
    "hidden_file": "tên tệp bắt đầu bằng dấu chấm (tệp ẩn) nên kho bỏ qua",
    "unsupported_type": "loại tệp không được hỗ trợ (chỉ nhận .txt, .html, .htm và .jsonl)",
    "no_such_file": "không tìm thấy tệp",
    "not_a_file": "đây không phải một tệp thông thường",
    "given_twice": "một tệp cùng tên đã được chọn trước đó trong cùng lần thêm",
    "own_file": "đây chính là tệp đang có trong kho",
    "name_taken": "kho đã có một tệp cùng tên",
    "too_big": "tệp lớn hơn dung lượng tối đa cho phép",
    "no_article": "không đọc được bài báo nào từ tệp",
}
CORPUS_PROBLEM_AT_LINE = "dòng {line}: {reason}"
