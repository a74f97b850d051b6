"""What the answering stage knows about Vietnamese (and a little English), as plain data.

Word lists only: each list once, each with the one job it does. The modules that use them build
their patterns here from these lists (`qa.question`, `qa.spans`, `qa.lexicon`, `qa.followup`,
`qa.reader`), and each check that uses a list is a small named function with its own unit tests on
made-up sentences. Words are written as Vietnamese is written (accented); the code folds them where
it matches folded text. Regular-expression fragments are used only where a cue is a phrase with a
slot (`tại … nào`).
"""
from __future__ import annotations

# -- words that carry no content ------------------------------------------------------------------

# Function words and question words: they say nothing about which sentence answers. Vietnamese and
# English apart, since typed without diacritics a Vietnamese word may spell an English one (`dự án`).
VIETNAMESE_FUNCTION_WORDS = (
    "là của và có được trong các những một cho với đã này đó thì mà ở tại từ đến khi nào gì ai "
    "bao nhiêu đâu sao như thế vì không cũng để theo về do người năm ngày tháng giai đoạn "
    "hãy cho biết còn vậy hay hoặc nhất rằng sẽ đang bị bởi nên lại ra vào lúc mấy"
).split()
ENGLISH_FUNCTION_WORDS = (
    "what which who whom when where why how is are was were did does do the a an of in on to for "
    "and or by with from that this"
).split()
FUNCTION_WORDS = (*VIETNAMESE_FUNCTION_WORDS, *ENGLISH_FUNCTION_WORDS)

# Capitalised at the start of a question without being part of a name (besides the function words).
NAME_OPENERS = ("còn", "tỉnh", "thành", "ông", "bà")
# The rank of a prize, capitalised after `giải` (`giải Nhất`, `giải Khuyến khích`): no name, nor the
# first word of the name after it (`giải Nhất Liên hoan …` names `Liên hoan …`).
PRIZE_RANKS = ("Nhất", "Nhì", "Ba", "Tư", "Năm", "Khuyến khích", "Đặc biệt", "A", "B", "C")
# What news prose calls a person by after the first mention, with the last word of their name
# (`ông Tường` for `Lưu Quang Tường`).
HONORIFICS = ("ông", "bà", "anh", "chị")

# Frequent English words: a question mostly made of them is in English.
ENGLISH_WORDS = (
    "the a an of in on at to for from by with what which who whom when where why how is are was "
    "were did does do has have had and or between about many much every each all some any there "
    "their its it he she they be been can could will would should might must not if than as so "
    "also into over under after before during"
).split()

# Frequent English words that are also Vietnamese syllables typed without diacritics (`so`, `can`,
# `do`, `the`): alone they do not make a question English.
ENGLISH_WORDS_ALSO_VIETNAMESE = (
    "a an to so can do the in on be it at as he had has by all not must if than also over each some any "
    "there their its they is are was were"
).split()

# -- what a question asks for ----------------------------------------------------------------------

# Kinds of place a question may ask for by name ("… qua cảng nào?", "Bến cảng nào …?"), which the
# answer names right after them (`cảng Sơn Lâm`, `sân vận động Mỹ Đình`). Not `hồ` ("lake"), which
# a question typed without diacritics cannot tell from `hộ` ("household").
PLACES_ASKED_BY_KIND = (
    "cảng", "bãi biển", "nhà ga", "ga", "đảo", "sông", "núi", "đèo", "cửa khẩu", "sân vận động", "sân bay",
    "bến xe", "khu công nghiệp",
)
# Cues of the kind of short answer expected, most specific first ("năm bao nhiêu" asks for a year,
# not a number): (kind, alternatives). Matched accented when the question has diacritics, folded
# when it was typed without them.
ANSWER_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("period", (r"(?:giai đoạn|thời kỳ) (?:nào|bao nhiêu)$", r"(?:cho|trong|vào) (?:giai đoạn|thời kỳ) nào")),
    ("year", ("năm nào", "năm bao nhiêu", "năm mấy")),
    ("day", ("ngày nào", "ngày bao nhiêu", "ngày mấy", "hôm nào")),
    ("date", ("khi nào", "bao giờ", "lúc nào", "thời gian nào", "thời điểm nào", "tháng nào", r"(?<!mỗi )tháng mấy")),
    ("measure", ("bao lâu", "bao xa", "bao nhiêu thời gian")),
    ("number", ("bao nhiêu", r"\bmấy\b", "số lượng")),
    (
        "person",
        (
            r"\bai\b", "người nào", r"(?<!đơn )vị nào", "ông nào", "bà nào",  # `đơn vị nào`: a body
            r"\blãnh đạo(?: (?!của\b)\w+){0,2} nào\b",  # `lãnh đạo tỉnh nào`: which of the province's leaders
        ),
    ),
    (
        "place",
        (
            "ở đâu", "tại đâu", "nơi nào", "chỗ nào", "địa điểm nào", "địa phương nào", "tỉnh nào",
            "thành phố nào", "nước nào", "quốc gia nào", "quốc tịch nào", "thị trường nào",  # a market: a country
            r"\b(?:tại|ở) \w+(?: \w+){0,2} nào\b",
            r"\b(?:huyện|quận|thị xã|xã|phường) nào\b",  # "Huyện nào … nhiều nhất?"
            rf"\b(?:{'|'.join(PLACES_ASKED_BY_KIND)}) nào\b",  # "… qua cảng nào?": `cảng Sơn Lâm`
        ),
    ),
    (
        "organisation",
        (
            r"\b(?:đơn vị|công ty|doanh nghiệp|cơ quan|tổ chức|ngân hàng|tập đoàn|nhà thầu|hãng|đội|câu lạc bộ"
            r"|nhà mạng|liên danh|(?<!thị )trường|bệnh viện)(?: \w+){0,2} nào\b",
        ),
    ),
)
# What an English "what is the …" question may ask the quantity of ("What was the average occupancy
# rate …?", "What is the total budget …?"): its answer is a number, as for "how much".
ENGLISH_QUANTITY_NOUNS = (
    "rate", "ratio", "yield", "value", "budget", "cost", "price", "fee", "wage", "salary", "revenue", "turnover",
    "income", "population", "area", "output", "volume", "amount", "number", "percentage", "proportion",
    "share", "speed", "temperature", "length", "height", "depth", "width", "distance", "weight",
)
# Kinds of place an English question may ask for by name ("At which station …?", "In which district
# …?", "Which coastal port …?"), with the word that names such a place in Vietnamese (`ga Hòa Bình`,
# as for `ga nào`: `PLACES_ASKED_BY_KIND`); None for a kind any place name answers (a district is a
# `huyện` or a `quận`).
ENGLISH_PLACES_ASKED_BY_KIND: dict[str, str | None] = {
    "station": "ga", "port": "cảng", "airport": "sân bay", "island": "đảo", "river": "sông", "mountain": "núi",
    "pass": "đèo", "border gate": "cửa khẩu", "stadium": "sân vận động", "beach": "bãi biển",
    "industrial park": "khu công nghiệp",
    "province": None, "city": None, "country": None, "place": None, "district": None, "commune": None,
    "ward": None, "town": None, "village": None,
}
# Words a quantity noun's phrase does not reach across (the rate in "What is the name given to the rate?").
_NOT_IN_A_QUANTITY_PHRASE = "of|in|for|at|on|to|by|with|from|name|title|kind|type"
# "What event took place …?" asks no place: no form of "take" comes between.
ENGLISH_PLACE_BY_KIND = (
    r"\b(?:which|what) (?:(?!(?:take|takes|took|taken|taking) )\w+ ){0,2}?"
    rf"({'|'.join(ENGLISH_PLACES_ASKED_BY_KIND)})\b"
)
ENGLISH_ANSWER_CUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("period", ("(what|which) (time )?period", "for what period")),
    ("year", (r"(what|which) year\b",)),  # not "what yearly …"
    ("day", ("what date", "which day", "what day", "on what day")),
    # "When …?", "Since when …?": not the `when` of a clause ("How many … were lost when the roof fell?")
    ("date", (r"(?:^|(?<=, ))(?:(?:since|by|until|till|from) )?when\b",)),
    (
        "measure",
        (
            "how long", "how far", "how (tall|high|deep|wide|heavy|fast)",
            "what (share|percentage|proportion)", "what percent",
        ),
    ),
    (
        "number",
        (
            "how many", "how much", "how old", "what number",
            rf"\bwhat (?:(?:is|was|are|were|will be|would be) the )?(?:(?!(?:{_NOT_IN_A_QUANTITY_PHRASE})\b)[\w'’-]+ )"
            rf"{{0,4}}(?:{'|'.join(ENGLISH_QUANTITY_NOUNS)})s?\b",
        ),
    ),
    ("person", (r"\bwho\b", r"\bwhom\b")),
    ("place", (r"\bwhere\b", ENGLISH_PLACE_BY_KIND, "what nationality")),
    ("organisation", (r"which (company|firm|agency|organi[sz]ation|bank|contractor|team|club|unit|hospital|school)",)),
)

# What a question asks of a time that a range of dates gives (`từ ngày 3/8 đến ngày 6/9`): its end
# ("… kết thúc vào ngày nào?", "kéo dài đến khi nào?", "until when") or its start ("bắt đầu từ ngày
# nào?"), matched on folded text; and the words a sentence says right before a date to make it one
# end of a range (`từ ngày 3/8`, `đến hết ngày 6/9`), matched as written. An event's own day
# (`khai mạc`, `khởi công`) is no end of a range.
ASKED_BOUNDS = {
    "end": (
        "ket thuc", "khep lai", "be mac", "den khi nao", "toi khi nao", "den ngay nao", "toi ngay nao", "den bao gio",
        "toi bao gio", "end", "ends", "ended", "until",
    ),
    "start": ("bat dau", "tu khi nao", "tu ngay nao", "tu bao gio", "start", "starts", "started", "begin", "began"),
}
BOUND_WORDS = {"end": ("đến", "tới", "hết"), "start": ("từ",)}
# Things a story numbers (`giai đoạn 2`, `lần thứ V`, `chặng 8`, "phase 2"): a sentence about
# another of them (`giai đoạn 1`), and not the one a question asks about, does not answer it.
NUMBERED_THINGS = ("giai đoạn", "lần thứ", "vòng", "chặng", "khóa", "đợt", "cơ sở", "phase", "stage", "round")
# Alternatives a question asks one of (`nhập khẩu`, not `xuất khẩu`; `giải nhì`, not `giải nhất`;
# `nhỏ nhất`, not `lớn nhất`): a sentence that says only others of them is about those, and does not
# answer it. A phrase of `ALTERNATIVES_TOGETHER` says all those it names (`xuất nhập khẩu`: exports
# and imports). Synonyms never share a set (`muộn nhất` and `trễ nhất` would be alternatives), and
# no word is one that also says something else (`cuối cùng` is "last" and "finally"; `ít nhất` is
# "least" and "at least").
ALTERNATIVES: tuple[tuple[str, ...], ...] = (
    ("xuất khẩu", "nhập khẩu"),
    ("huy chương vàng", "huy chương bạc", "huy chương đồng"),
    ("giải nhất", "giải nhì", "giải ba"),
    ("đơn nam", "đơn nữ"),
    ("lượt đi", "lượt về"),
    ("sơ thẩm", "phúc thẩm"),
    ("khách nội địa", "khách quốc tế"),
    # Opposites: the ends of a scale (the most of one is not the most of the other), a change up or
    # down, before or after, an outcome and a stance.
    ("lớn nhất", "nhỏ nhất"),
    ("cao nhất", "thấp nhất"),
    ("dài nhất", "ngắn nhất"),
    ("rộng nhất", "hẹp nhất"),
    ("sâu nhất", "nông nhất"),
    ("nặng nhất", "nhẹ nhất"),
    ("nhanh nhất", "chậm nhất"),
    ("sớm nhất", "muộn nhất"),
    ("xa nhất", "gần nhất"),
    ("đông nhất", "vắng nhất"),
    ("giàu nhất", "nghèo nhất"),
    ("nóng nhất", "lạnh nhất"),
    ("đắt nhất", "rẻ nhất"),
    ("mạnh nhất", "yếu nhất"),
    ("già nhất", "trẻ nhất"),
    ("tối đa", "tối thiểu"),
    ("tăng", "giảm"),
    ("trước khi", "sau khi"),
    ("bắt đầu", "kết thúc"),
    ("thành công", "thất bại"),
    ("ủng hộ", "phản đối"),
    ("cao điểm", "thấp điểm"),
    ("mùa khô", "mùa mưa"),
    ("ban ngày", "ban đêm"),
    ("đầu năm", "cuối năm"),
    ("tứ kết", "bán kết", "chung kết"),
    ("nội thành", "ngoại thành"),
    ("nông thôn", "thành thị"),
    # Sides and directions.
    ("phía bắc", "phía nam"),
    ("phía đông", "phía tây"),
    ("miền bắc", "miền nam"),
    ("thượng lưu", "hạ lưu"),
    ("thượng nguồn", "hạ nguồn"),
)
ALTERNATIVES_TOGETHER: dict[str, tuple[str, ...]] = {"xuất nhập khẩu": ("xuất khẩu", "nhập khẩu")}
# A year a sentence gives as someone's birth (`Nguyễn Văn A (SN 1985)`, `sinh năm 1985`), matched as
# written, answers only a question about a birth (matched on folded text: `năm sinh`, "born").
BIRTH_YEAR_LEADS = ("SN", "sinh năm")
BIRTH_CUES = ("nam sinh", "sinh nam", "sinh ngay", "sinh vao", "born", "birth")

# Cues of a question asking for a list, matched on folded text: a plural marker in the phrase asked
# ("những địa phương nào", "các lĩnh vực hợp tác nào", "những gì", "những ai"), not one anywhere in
# the question ("Các trường phải nộp hồ sơ trước ngày nào?" asks one day; `Nhung` may be a name).
LIST_CUES = (
    r"\b(?:cac|nhung) (?:\w+ ){0,4}(?:nao|gi)\b", r"\bnhung ai\b", r"\bliet ke\b", r"\bke ten\b",
    r"(?<!bao )\bnhieu (?:\w+ ){0,3}nao\b", "which (provinces|localities|cities|countries|places)", r"\blist\b",
)

# "bao nhiêu một năm / mỗi tháng?" asks an amount per year or month, which the answer gives per
# that unit: `6.800 USD/năm`, `800.000 đồng mỗi tháng`, `hằng năm` (`PER_WORDS`).
RATE_WORDS = ("một", "mỗi")
PER_WORDS = (*RATE_WORDS, "hằng", "hàng")
# … of which these say "per" only before a calendar noun (`hàng năm`; not `ngân hàng`, `gian hàng`).
PER_BEFORE_CALENDAR = ("hằng", "hàng")
# Words before `máy` that make it a noun (`nhà máy`, `thang máy`), not the `mấy` ("how many") it
# reads as in a question typed without diacritics.
MAY_AS_A_NOUN_AFTER = ("nhà", "thang")
# Words after `bao nhiêu` that are not the thing counted ("là bao nhiêu người" counts `người`;
# "tăng bao nhiêu ở vụ này" counts nothing), or that ask for a measure rather than a count
# ("bao nhiêu thời gian", "bao nhiêu tiền", "bao nhiêu phần trăm", "bao nhiêu diện tích"), or a rate
# ("bao nhiêu một năm"). Matched as the question writes them: `thí sinh` is counted, `thì` is not.
NOT_COUNTED = (
    "là", "thì", "vậy", "nhỉ", "ạ", "thời", "tiền", "phần", "diện", "số",  # `tỷ số mấy` asks a score
    "ở", "tại", "trong", "cho", "với", "của", "từ", "đến", "so", "vào", "trên", "khi", "để", "và",
    *RATE_WORDS,
)
# Words after `bao nhiêu` that name a measure (MEASURES), not a thing counted, when they stand as a
# word of their own: `bao nhiêu điện` asks an amount of energy, `bao nhiêu điện thoại` counts phones.
MEASURE_NOT_COUNTED = ("điện",)
# The word an ordinal is asked with (`phút thứ mấy`, `lần thứ mấy`): the noun is the word before it.
ORDINAL_WORD = "thứ"
# The first, written without a number (`đợt đầu tiên` is `đợt thứ 1`). Read in the sentence, not in
# the question: asked, `người đầu tiên …` is mostly "the first to …", which the sentence may number.
FIRST_ORDINALS = ("đầu tiên", "thứ nhất")
# Words a rank follows, which may be written out of a total (`xếp thứ 19/63`, `hạng 4/12`).
RANK_WORDS = (ORDINAL_WORD, "hạng")
# Counted nouns an article often writes with a more particular one: people (`58 hành khách`,
# `2.300 khán giả`), times (`37 cuộc tuần tra`), visits (`310.000 khách`). A sentence counting
# none of them by this noun may answer with a count of something else it names.
GENERIC_COUNTED = ("người", "lần", "lượt")
# Words that make a generic count one of people (`bao nhiêu người`, `bao nhiêu lượt khách`), and
# the nouns of places, bodies and things that, read as a count of anything when no sentence counts
# by the question's noun (`58 hành khách`), it is still not answered with: `46 doanh nghiệp`, `4
# phường`, `5 tầng`, `36 chuyến`, `9.300 hộ` (households).
PEOPLE_COUNTED = ("người", "khách")
NOT_PEOPLE = (
    "tỉnh", "huyện", "xã", "phường", "quận", "thôn", "bản", "làng", "hộ", "hộ dân", "hộ gia đình", "doanh nghiệp",
    "công ty", "đơn vị", "cơ sở", "trường", "tầng", "chuyến", "căn", "căn nhà", "căn hộ", "ngôi nhà", "chiếc", "lô",
    "con", "dự án", "xe", "phương tiện", "nhà", "phòng", "vụ", "tấn", "ha",
)

# Words that say the numbers after them in the sentence are a score (`thắng tỷ số 2–0 (11–7, 9–11)`,
# `hai đội hòa 2–2`): a dash between two numbers there is no range, even when they ascend.
SCORE_WORDS = ("tỷ số", "tỉ số", "hòa", "hoà", "score", "scored")

# What an English "how many" question may count that is itself a measure ("how many years",
# "how many tonnes"): the answer then carries that unit. Any other thing counted is not measured:
# "How many bridges …?" is not answered by `2.150 m`.
ENGLISH_MEASURE_NOUNS = (
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes",
    "second", "seconds", "decade", "decades", "century", "centuries", "percent", "square",
    "metre", "metres", "meter", "meters", "kilometre", "kilometres", "kilometer", "kilometers", "km", "mile", "miles",
    "hectare", "hectares", "ha", "acre", "acres", "ton", "tons", "tonne", "tonnes", "kilogram", "kilograms", "kg",
    "litre", "litres", "liter", "liters", "degree", "degrees", "dollar", "dollars", "usd", "dong", "vnd", "euro",
    "euros", "yen", "megawatt", "megawatts", "mw", "kilowatt", "kilowatts", "teu",
)

# The months in English: a date ("on 11 May 2025"), no name (`May` is shaped like a Vietnamese syllable).
MONTHS_ENGLISH = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
)

# What joins the two ends of a range of numbers, which is one answer (`5–7 m`, `40 đến 60 nghìn
# đồng`).
RANGE_JOINS = ("đến", "tới", "–", "-")
# Units a measure may follow with two digits of its hundredths (`12 giây 47`: a race time, 12.47 s).
HUNDREDTHS_AFTER = ("giây",)
# A question asking for one end of a range ("giá vé tối đa?") is answered by that end,
# not by the range.
EXTREME_WORDS = (
    "cao nhất", "thấp nhất", "tối đa", "tối thiểu", "nhiều nhất", "ít nhất", "lớn nhất", "nhỏ nhất",
    "highest", "lowest", "maximum", "minimum", "at most", "at least",
)

# A figure that changed (`giảm từ 35 phút xuống còn 10 phút`, `tăng từ 40 lên 65 tấn`) is, now, the
# one after the change: the words that lead the figure before it (`từ`) and the figure after (`xuống
# còn`, `lên mức`), matched as written. A figure compared with (`so với 20 ha của vụ trước`, `cao
# hơn mức 70%`, `(khi đó là 12%)`) is an earlier one too (`COMPARED_FIGURE_LEADS`). A question asks
# an earlier figure only in so many words (`BEFORE_CUES`, matched folded: "Trước khi có cầu, đi mất
# bao lâu?", "Cùng kỳ năm trước …", "last year"), and not when it asks the comparison itself ("tăng
# bao nhiêu so với cùng kỳ?": `COMPARED_WITH`).
CHANGED_FROM = ("từ",)
CHANGED_TO = ("xuống", "lên", "còn")
_COMPARING = ("so với", "compared with", "compared to")
COMPARED_FIGURE_LEADS = (*_COMPARING, "hơn mức", "khi đó là", "up from", "down from")
# Words before a year that the sentence compares with, not one it speaks of (`so với năm 2024`).
COMPARED_WITH = (*_COMPARING, "than in")
# … and before a time a sentence compares with (`so với năm 2024`, `mức của cùng kỳ năm 2024`), not
# one it speaks of: `cùng kỳ` ("the same period") is said only of the time compared with.
TIME_COMPARED_WITH = (*COMPARED_WITH, "cùng kỳ")
BEFORE_CUES = (
    "truoc day", "truoc khi", "truoc kia", "ban dau", "luc dau", "cung ky", "nam truoc", "vu truoc", "nam ngoai",
    "before", "previously", "used to", "originally", "last year", "a year earlier", "the previous year",
)


# The months of the year a text speaks of (`spans.months_named`), matched folded: `tháng 8` and a
# range of them (`từ tháng 3 đến tháng 6`), a quarter (`quý II`: its three months), and the first or
# last months of a year (`6 tháng đầu năm`, `nửa cuối năm`).
MONTH_WORD = "tháng"
QUARTER_WORD = "quý"
RANGE_OF_MONTHS = ("đến", "tới", "-", "–")  # `tháng 2 đến (hết) tháng 5`, `tháng 2–5`
YEAR_OPENS = ("đầu năm",)  # `6 tháng đầu năm`: the first six months
YEAR_ENDS = ("cuối năm",)  # `3 tháng cuối năm`: the last three
HALF_YEAR = {"nửa đầu năm": range(1, 7), "nửa cuối năm": range(7, 13)}

# Nouns that before a number name a date, not a count: `ngày 16` is a day, `3 ngày` counts days.
CALENDAR_NOUNS = ("ngày", "tháng", "năm", "quý", "tuần")

# Verbs that end what a question counts ("bao nhiêu đoàn sang thăm" counts `đoàn`), besides the
# function words: the answer's lead says the number and what it counts (`3 đoàn.`).
COUNT_PHRASE_ENDS = ("sang", "tới", "tham", "đi", "làm", "nhận", "đạt", "gồm", "xây", "hỗ", "cung", "đón")
# Words right after a number that are no noun it counts, besides the function words and the verbs
# above: "52 trên tổng số 60 hộ" counts households, not `trên` (`counted_after`).
NOT_COUNTED_AFTER_A_NUMBER = ("trên", "dưới", "so", "hơn")

# Words that make a "bao nhiêu" question one about money. Accented questions: any of MONEY_WORDS;
# unaccented: only those that stay unambiguous once folded (`gia` is also `quốc gia`, `tham gia`).
MONEY_WORDS = (
    "giá", "tiền", "kinh phí", "chi phí", "vốn", "ngân sách", "trị giá", "doanh thu", "kim ngạch", "phí", "lương",
    "mức đầu tư", "doanh số", "thu nhập", "trả công", "được trả", "trả bao nhiêu", "kiếm được", "bỏ ra",
    "chi bao nhiêu", "chi tổng cộng", "chi hết",
)
# … except in these words, which name no amount (`miễn phí`, "free"; `tiền đạo`, "a striker").
NOT_MONEY_WORDS = (
    "miễn phí", "tiền mặt", "tiền đạo", "tiền vệ", "tiền đề", "tiền thân", "tiền sử", "tiền phương", "tiền tuyến",
)
MONEY_WORDS_UNACCENTED = (
    "kinh phi", "chi phi", "ngan sach", "tri gia", "bao nhieu tien", "von dau tu", "doanh thu", "kim ngach",
    "hoc phi", "le phi", "muc phi", "tien luong", "muc dau tu", "tong von", "tra cong", "tien cong", "tien thue",
    "doanh so", "thu nhap", "gia tri",
)
MONEY_WORDS_ENGLISH = (
    "budget", "cost", "costs", "price", "value", "worth", "funding", "how much money", "revenue", "cash", "tax", "rent",
    "ticket", "fee", "fees", "salary", "wage", "wages", "income", "prize money", "spend", "spent", "pay", "paid",
    "earn", "earns", "earned", "contribute", "invest", "invested",
)

# Currencies: a price or budget is an amount with one of them (or `$`). Matched accented in a text
# written with diacritics (`3.600 lao động` is no amount of `đồng`), folded in one without.
CURRENCIES = (
    "đồng", "usd", "vnd", "đô la", "euro", "kíp", "yên", "bảng anh", "nhân dân tệ", "won", "baht", "bạt", "ringgit",
    "rupiah", "riel",
    # ISO 4217 codes, as news prose writes a foreign amount (`6.800 SGD`)
    "eur", "sgd", "jpy", "krw", "cny", "rmb", "thb", "lak", "khr", "gbp", "aud", "cad", "chf", "hkd", "twd", "inr",
    "myr", "idr", "php",
)

# The ways one unit is written, any of which answers a count of another (`rộng bao nhiêu mét?` →
# `14 m`; `bao nhiêu km2?` → `45.000 km vuông`).
UNIT_SPELLINGS = (
    ("m", "mét"), ("km", "kilômét", "cây số"), ("cm", "centimét"), ("mm", "milimét"), ("ha", "hécta"),
    ("kg", "kilôgam"), ("m2", "m²", "mét vuông"), ("km2", "km²", "km vuông", "kilômét vuông"), ("m3", "m³", "mét khối"),
)

# -- places ----------------------------------------------------------------------------------------

# Administrative units: a capitalised run after one of them is a place (`tỉnh Sơn Lâm`).
ADMINISTRATIVE_UNITS = ("tỉnh", "thành phố", "thủ đô", "huyện", "quận", "thị xã", "xã", "phường", "nước")
# … as abbreviated before a name (`TP Hồ Chí Minh`, `TP. Sơn Lâm`, `TX Sơn Hòa`), and in full.
ADMINISTRATIVE_ABBREVIATIONS = {"TP": "thành phố", "TX": "thị xã"}
# How wide each administrative unit is, narrowest first: a figure its clause says of a unit as wide
# as the one a question names or wider (`tỉnh Sơn Lâm` for `huyện Bình Sơn`), and not of one the
# question names, is that unit's. `thành phố` is read as a district's level, as most cities news
# names with the word are (a province's own `tỉnh` names it wider); `thị trấn` as a commune's.
ADMINISTRATIVE_LEVELS = {
    "xã": 1, "phường": 1, "thị trấn": 1, "huyện": 2, "quận": 2, "thị xã": 2, "thành phố": 2, "tỉnh": 3,
}
# Words before a unit that say a figure is of the whole of it (`toàn tỉnh`, `cư dân trong tỉnh`),
# and the phrases of a whole country, wider than any unit.
WHOLE_UNIT_BEFORE = ("toàn", "cả", "trong")
WHOLE_COUNTRY = ("cả nước", "toàn quốc")
# Other words a place name follows in news prose (`tại Đông Phú`, `đường Hoa Sữa`).
PLACE_LEAD_WORDS = ("làng", "đường", "phố", "tại", "ở")
# Common nouns that open the name of a venue, written capitalised and followed by lowercase words
# before the proper name (`Khu công nghệ cao Sơn Lâm`, `Công viên Bình Sơn`): the place is the
# whole name, not its first word.
VENUE_KINDS = (
    "Khu", "Công viên", "Trường", "Bệnh viện", "Nhà hát", "Trung tâm", "Sân vận động", "Nhà văn hóa",
    "Nhà thi đấu", "Quảng trường", "Bảo tàng", "Học viện", "Viện", "Cảng", "Sân bay", "Chợ", "Chùa", "Đền",
    "Khách sạn", "Cung", "Đại học", "Nhà máy", "Làng", "Vườn quốc gia",
)
# Streets, squares and bridges named after a day (`đường 3/2`, `Quảng trường 2/9`, `cầu 30/4`): a day
# right after one of them is a name, not a date.
NAMED_BY_A_DAY = ("đường", "phố", "quảng trường", "công viên", "cầu", "chợ", "sân vận động", "bến", "khu phố")
# Words that place a thing by another (`bên bờ sông`, `gần chợ`): they end the name before them.
PLACING_WORDS = ("bên", "cạnh", "gần", "trên", "dưới", "ven", "thuộc", "phía", "giữa", "quanh", "ngay")
# Words that open an organisation's name (`Công ty TNHH Cơ khí Sơn Lâm`, `Tổng công ty Bình
# Sơn`, `Ngân hàng TMCP Bình Sơn`): the answer to "Doanh nghiệp nào …?", "Đơn vị nào …?".
ORGANISATION_KINDS = (
    "Tổng công ty", "Công ty", "Tập đoàn", "Ngân hàng", "Liên danh", "Ban", "Sở", "Cục", "Viện", "Học viện",
    "Đại học", "Trường", "Bệnh viện", "Trung tâm", "Hiệp hội", "Hội", "Quỹ", "Đội", "Câu lạc bộ", "CLB",
    "Cơ quan", "Tổ chức", "Hãng hàng không", "Hãng", "Ủy ban", "Nhà máy",
)
# Kinds written in lowercase before a name in running prose (`của hãng Sơn Lâm Air`, `đội Bình Sơn
# Gaming`): the capitalised name after one is an organisation of that kind. Not the kinds that are
# everyday words too (`cơ sở`, `tổ chức` "to hold", `trung tâm` "the centre of").
ORGANISATION_KINDS_BEFORE_A_NAME = ("hãng hàng không", "hãng", "đội", "câu lạc bộ", "tập đoàn", "nhà mạng")
# The word that makes a kind of organisation its head's title (`Viện trưởng`, `Đội trưởng`, `Cục
# trưởng`): the name after it is a person's.
HEAD_OF = "trưởng"
# The kinds of organisation a question's word asks for (`Doanh nghiệp nào …?` is answered by a
# company, not by `Sở Xây dựng`), the first word that it says; each with the `ORGANISATION_KINDS`
# an answer may open with, none for the words that ask for any body (`Đơn vị bộ đội nào …?` asks
# for a unit, not a team). Not `trường`, which ends other words (`thị trường nào`: "which market").
ORGANISATIONS_ASKED: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("đơn vị", "cơ quan", "tổ chức", "agency", "organization", "organisation", "unit", "body"), ()),
    (("ngân hàng", "bank"), ("Ngân hàng",)),
    (("bệnh viện", "hospital"), ("Bệnh viện", "Trung tâm")),
    (("câu lạc bộ", "đội", "team", "club"), ("Đội", "Câu lạc bộ", "CLB")),
    (
        ("doanh nghiệp", "công ty", "tập đoàn", "nhà thầu", "liên danh", "hãng", "company", "firm", "contractor"),
        ("Tổng công ty", "Công ty", "Tập đoàn", "Liên danh", "Hãng", "Nhà máy", "Ngân hàng"),
    ),
)
# Kinds of place a question may ask for that say nothing beyond "a place" (`địa điểm nào`): the
# answer need not follow those words.
GENERIC_PLACE_KINDS = ("tp", "quốc gia", "vùng", "địa điểm", "nơi", "chỗ", "địa phương", "khu vực", "vị trí")

# Countries and territories as the Vietnamese press writes them (and the spellings it borrows), each a
# whole capitalised run: the answer to "nước nào", "quốc gia nào", "which country" (`asks_a_country`).
COUNTRIES = (
    "Afghanistan", "Albania", "Algeria", "Angiêri", "Andorra", "Angola", "Argentina", "Armenia", "Úc", "Australia",
    "Áo", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Bỉ", "Belize", "Benin",
    "Bhutan", "Bolivia", "Bosnia", "Herzegovina", "Botswana", "Brazil", "Brasil", "Brunei", "Bulgaria",
    "Burkina Faso", "Burundi", "Campuchia", "Cambodia", "Cameroon", "Canada", "Cabo Verde", "Chad", "Chile",
    "Trung Quốc", "Colombia", "Comoros", "Congo", "Costa Rica", "Croatia", "Cuba", "Síp", "Cyprus", "Séc",
    "Đan Mạch", "Djibouti", "Dominica", "Ecuador", "Ai Cập", "El Salvador", "Eritrea", "Estonia", "Ethiopia",
    "Fiji", "Phần Lan", "Pháp", "Gabon", "Gambia", "Gruzia", "Georgia", "Đức", "Ghana", "Hy Lạp", "Grenada",
    "Guatemala", "Guinea", "Guyana", "Haiti", "Honduras", "Hungary", "Iceland", "Ấn Độ", "Indonesia", "Iran",
    "Iraq", "Ireland", "Israel", "Italy", "Italia", "Ý", "Jamaica", "Nhật Bản", "Jordan", "Kazakhstan", "Kenya",
    "Kiribati", "Triều Tiên", "Hàn Quốc", "Kosovo", "Kuwait", "Kyrgyzstan", "Lào", "Latvia", "Liban", "Lebanon",
    "Lesotho", "Liberia", "Libya", "Liechtenstein", "Litva", "Lithuania", "Luxembourg", "Madagascar", "Malawi",
    "Malaysia", "Maldives", "Mali", "Malta", "Mauritania", "Mauritius", "Mexico", "Moldova", "Monaco", "Mông Cổ",
    "Montenegro", "Maroc", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nepal", "Hà Lan", "New Zealand",
    "Nicaragua", "Niger", "Nigeria", "Macedonia", "Na Uy", "Oman", "Pakistan", "Palau", "Palestine", "Panama",
    "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Ba Lan", "Bồ Đào Nha", "Qatar", "Romania", "Rumani",
    "Nga", "Rwanda", "Samoa", "San Marino", "Ả Rập Xê Út", "Saudi Arabia", "Senegal", "Serbia", "Seychelles",
    "Sierra Leone", "Singapore", "Slovakia", "Slovenia", "Somalia", "Nam Phi", "Nam Sudan", "Tây Ban Nha",
    "Sri Lanka", "Sudan", "Suriname", "Thụy Điển", "Thụy Sĩ", "Syria", "Đài Loan", "Tajikistan", "Tanzania",
    "Thái Lan", "Đông Timor", "Timor-Leste", "Togo", "Tonga", "Trinidad", "Tunisia", "Thổ Nhĩ Kỳ", "Turkmenistan",
    "Uganda", "Ukraine", "UAE", "Anh", "Mỹ", "Hoa Kỳ", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela",
    "Việt Nam", "Yemen", "Zambia", "Zimbabwe", "Scotland", "Xứ Wales", "Hồng Kông", "Ma Cao",
)
# … of which these are also a pronoun, a word or a given name opening a sentence (`Anh cho biết`,
# `Ý kiến`, `Nga nói`): there, not a country.
COUNTRIES_ALSO_WORDS = ("Anh", "Ý", "Nga", "Mỹ", "Đức", "Úc", "Áo", "Bỉ", "Lào")
# How a question asks for a country (matched on folded text; `nhà nước nào` asks for a state).
COUNTRY_CUES = (
    r"(?<!nha )\bnuoc nao\b", r"\bquoc gia nao\b", r"\bquoc tich\b", r"\bwhich (?:country|nation)\b",
    r"\bwhat (?:country|nation|nationality)\b",
)

# -- people ----------------------------------------------------------------------------------------

SURNAMES = (
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Lâm Mai Trương "
    "Tô Lương Hà Cao Tạ Chu Đoàn Vương Trịnh Thái Lưu Quách Mạc Tăng Triệu La Kiều Khổng "
    "Phùng Doãn Hứa Khúc "
    # of the northern mountain peoples (Tày, Nùng, Thái, Hmông), often without `Văn` / `Thị` after them
    "Vi Bế Lò Lường Sầm Điêu Hầu Giàng Thào Sùng"
).split()
# Surnames that are also everyday words in news prose (`Đoàn Thanh niên` "the Youth Union", `Hà
# Nội`, `Cao Bằng`, `Sầm Sơn`): they start a name only when two more capitalised syllables follow.
AMBIGUOUS_SURNAMES = ("Đoàn", "Hà", "Mai", "Kim", "Lâm", "Cao", "La", "Thái", "Tô", "Chu", "Hồ", "Sầm")
# Middle names so common that the capitalised syllable before one starts a name whether or not it
# is a surname listed above (`Lù Văn …`, `Mùa Thị …`: surnames of minorities, rare ones), and ends
# a place written right before it.
MIDDLE_NAMES = ("Văn", "Thị")
# Title words that open a capitalised run but are not part of a person's name.
NAME_TITLES = "Bí Chủ Phó Ủy Tổng Thủ Bộ Trưởng Đại Giám Ông Bà Anh Chị Đồng Tỉnh Thành".split()
# Offices a "who is" question may name, longest first (`tổng giám đốc` is not `giám đốc`); a deputy
# (DEPUTY + office) does not hold the office itself.
OFFICES = (
    "tổng giám đốc", "giám đốc", "chủ tịch", "bí thư", "tỉnh trưởng", "thống đốc", "thị trưởng", "bộ trưởng",
    "thủ tướng", "tổng lãnh sự", "đại sứ", "trưởng đoàn", "trưởng ban", "hiệu trưởng", "chánh văn phòng",
    "tổng thư ký", "chi cục trưởng", "cục trưởng", "vụ trưởng", "trưởng phòng", "trưởng khoa", "chánh án",
    "chánh thanh tra", "chủ nhiệm", "tổng biên tập",
)
DEPUTY = "phó"
# The same offices asked in English ("Who is the Director of …?"), longest first, and the words
# that make one a deputy's ("Vice Chairman", "Deputy Director").
OFFICES_ENGLISH = {
    "general director": "tổng giám đốc", "director general": "tổng giám đốc", "director": "giám đốc",
    "chairwoman": "chủ tịch", "chairman": "chủ tịch", "chairperson": "chủ tịch", "party secretary": "bí thư",
    "secretary": "bí thư", "governor": "thống đốc", "mayor": "thị trưởng", "prime minister": "thủ tướng",
    "minister": "bộ trưởng", "consul general": "tổng lãnh sự", "ambassador": "đại sứ",
    "head of the delegation": "trưởng đoàn", "principal": "hiệu trưởng", "rector": "hiệu trưởng",
}
DEPUTY_ENGLISH = ("vice", "deputy")
# Nouns for a person besides the offices: "Cầu thủ nào …?", "Bệnh nhân … tên là gì?" ask for a name.
PERSON_NOUNS = (
    "tác giả", "cầu thủ", "vận động viên", "thủ môn", "huấn luyện viên", "ca sĩ", "nghệ sĩ", "nghệ nhân", "nhà văn",
    "nhà thơ", "đạo diễn", "bệnh nhân", "nạn nhân", "nhân vật", "thẩm phán", "bị cáo", "ngư dân", "nông dân",
    "học sinh", "thí sinh", "thủ khoa", "sinh viên", "bác sĩ", "giáo viên", "kỹ sư", "tài xế", "doanh nhân",
    "tay vợt", "tay đua", "xạ thủ", "tuyển thủ", "đô vật", "kỳ thủ", "võ sĩ", "lãnh đạo",
)
# The same asked in English, after "which" ("Which deputy minister spoke …?", "Which swimmer …?"),
# besides the offices (`OFFICES_ENGLISH`).
PERSON_NOUNS_ENGLISH = (
    "player", "athlete", "contestant", "swimmer", "runner", "cyclist", "shooter", "wrestler", "writer", "author",
    "artist", "singer", "coach", "doctor", "student", "candidate", "official", "leader", "scientist",
)

# -- numbers ---------------------------------------------------------------------------------------

# Counts written out, as news prose often does for small numbers ("hai trường", "chín quốc gia").
# `một` (also "a") and `năm` (also "year") count only when a word follows (`năm chiếc thuyền`).
NUMBER_WORDS = ("hai", "ba", "bốn", "tư", "sáu", "bảy", "tám", "chín", "mười", "nửa")
NUMBER_WORDS_BEFORE_A_WORD = ("một", "năm")
FRACTION_WORD = "phần"  # `ba phần tư`, "three quarters": the count after it is a denominator
# What the plain counts are worth, for comparing a count written out with one in digits (`ba xã`,
# `3 xã`); not `một`, `năm` nor `tư`, which are also "a", "year" and a part of other words (`đầu tư`).
NUMBER_WORD_VALUES = {"hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
# Words that scale a count (`ba trăm`, `hai nghìn`) but are none alone (`hàng nghìn người`).
MAGNITUDE_WORDS = ("mươi", "trăm", "nghìn", "ngàn", "triệu", "tỷ")
# Units that may follow a number inside its span (`120 tỷ đồng`, `30%`), a longer one before the
# one it begins with (`km vuông`, `km`).
NUMBER_UNITS = (
    "km vuông", "tỷ", "triệu", "nghìn", "ngàn", "trăm", "%", "‰", "phần trăm", "phần nghìn", "USD", "đồng", "km",
    "ha", "người", "lần",
)

# Units written right after a number (`60 m2`, `âm 2,5 độ C`, `trong 20 giờ`): the short answer
# keeps the one that follows it (the longest that fits: `km vuông`, not `km`).
MEASURE_UNITS = (
    "m", "m2", "m²", "m3", "m³", "km", "km2", "km²", "ha", "cm", "mm", "tấn", "tạ", "kg", "gram", "g", "lít",
    "MW", "kW", "kWh", "MWh", "GWh", "TWh", "GW", "độ C", "°C", "độ", "giờ", "phút", "giây", "ngày", "tuần", "tháng",
    "năm", "tuổi",
    "USD", "đồng", "yên", "euro", "won", "kíp", "TEU", "%", "‰", "mét", "hécta", "tiếng", "thế kỷ",
    "km vuông", "mét vuông", "dặm vuông", "dặm", "hải lý",
    # speeds, a unit per unit (`80 km/h`)
    "km/h", "km/giờ", "m/s", "hải lý/giờ", "Mbps", "Gbps",
)
# What a "bao nhiêu" question may ask to measure by naming the measure, not the unit ("Cầu dài bao
# nhiêu?", "Tỷ lệ … là bao nhiêu?"): (cues, the units one of which the number must carry). A cue
# right after one of MEASURE_CUES_NOT_AFTER is a verb, not a measure (`kéo dài`, "lasts").
_LENGTH_UNITS = ("m", "mét", "km", "cm", "mm", "dặm", "hải lý")
_AREA_UNITS = ("ha", "hécta", "m2", "m²", "km2", "km²", "sào", "mẫu", "km vuông", "mét vuông", "dặm vuông")
_POWER_UNITS = ("MW", "kW", "GW", "MWp", "kWp")
_ENERGY_UNITS = ("kWh", "MWh", "GWh", "TWh")
_WEIGHT_UNITS = ("kg", "tấn", "tạ", "yến", "gram", "g", "kilôgam")
_TIME_UNITS = ("giây", "phút", "giờ", "tiếng", "ngày", "tuần", "tháng", "năm", "thế kỷ")
_SPEED_UNITS = ("km/h", "km/giờ", "m/s", "hải lý/giờ", "hải lý", "Mbps", "Gbps")
# The dimensions a size is given in (`dài 12 km`, `chiều rộng 14 m`, `độ sâu 10 m`): a question
# asking one (`dài bao nhiêu`, `chiều cao`) is not answered by a number said to be another.
DIMENSIONS = ("dài", "rộng", "cao", "sâu")
DIMENSION_NOUNS = ("chiều", "độ")
# Words between a dimension and its number (`rộng khoảng 14 m`, `cao hơn 70 m`, `dài tới 5 km`).
DIMENSION_HEDGES = ("khoảng", "gần", "hơn", "trên", "tới", "đến", "chừng", "xấp xỉ", "là", "đạt", "lên")
# An hour said after `lúc` or before a part of the day is a time of day, no length of time: `khởi hành
# lúc 14 giờ`, `7 giờ sáng` do not answer "mất bao lâu".
CLOCK_BEFORE = ("lúc",)
PARTS_OF_DAY = ("sáng", "trưa", "chiều", "tối", "đêm")
MEASURES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("tỷ lệ", "tỉ lệ", "phần trăm", "bao nhiêu %"), ("%", "phần trăm")),
    (("diện tích",), _AREA_UNITS),
    (("rộng bao nhiêu",), _AREA_UNITS + _LENGTH_UNITS),  # a width or an area
    (
        (
            "dài bao nhiêu", "chiều dài", "cao bao nhiêu", "chiều cao", "độ cao", "sâu bao nhiêu", "độ sâu", "bao xa",
            "chiều rộng", "đường kính", "bán kính", "chu vi", "độ dày",
        ),
        _LENGTH_UNITS,
    ),
    (("công suất",), _POWER_UNITS),
    (("bao nhiêu điện", "lượng điện", "điện năng"), _ENERGY_UNITS),  # `sản lượng điện`; not `điện thoại`
    (("lượng mưa",), ("mm", "milimét")),
    (("nhiệt độ",), ("độ C", "°C", "độ")),
    (("khối lượng",), (*_WEIGHT_UNITS, "m3", "m³", "lít", "mét khối")),
    (("mức án", "án tù"), _TIME_UNITS),
    (("nặng bao nhiêu", "cân nặng", "trọng lượng"), _WEIGHT_UNITS),
    (("bao lâu", "bao nhiêu thời gian"), _TIME_UNITS),
    (("vận tốc",), _SPEED_UNITS),
    (("tốc độ",), (*_SPEED_UNITS, "%", "phần trăm")),  # a vehicle's or a network's, or a rate of growth
)
MEASURES_ENGLISH: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("percentage", "what percent", "what share", "what proportion", "rate"), ("%", "phần trăm")),
    (("what area", "how large an area"), _AREA_UNITS),
    (("how wide",), _AREA_UNITS + _LENGTH_UNITS),
    (("how tall", "how high", "how deep", "how far", "diameter", "radius", "circumference"), _LENGTH_UNITS),
    (("capacity",), _POWER_UNITS),
    (("how much electricity", "how much energy", "electricity output"), _ENERGY_UNITS),
    (("how heavy", "weigh", "weighs", "weight", "yield"), _WEIGHT_UNITS),  # a crop's yield: `7 tấn/ha`
    (("how long",), _TIME_UNITS + _LENGTH_UNITS),  # a time or a length
    (("how fast", "what speed", "top speed"), _SPEED_UNITS),
    # A unit counted ("how many hectares"): the answer is in it, or in another of its measure. Area
    # before length: "how many square kilometres".
    (("how many hectares", "how many acres", "how many square"), _AREA_UNITS),
    (("how many kilometres", "how many kilometers", "how many metres", "how many meters", "how many miles"),
     _LENGTH_UNITS),
    (("how many tonnes", "how many tons", "how many kilograms"), _WEIGHT_UNITS),
    (("how many megawatts",), _POWER_UNITS),
)
MEASURE_CUES_NOT_AFTER = ("kéo", "mở", "nâng")

# -- conversation ----------------------------------------------------------------------------------

# A question that opens or closes with one of these leans on the previous one (folded).
FOLLOW_UP_OPENERS = ("con", "vay con", "the con", "and", "what about", "how about")
FOLLOW_UP_CLOSERS = ("thi sao", "the nao", "ra sao", "thi the nao", "vay", "nhi")
# Words that govern a name in a question: `với Đông Phú` replaces `với Tây Sơn Lâm`.
PREPOSITIONS = ("với", "tại", "ở", "của", "cho", "và", "with", "in", "of")
# Sentence openings that refer back to something named in the sentence before.
ANAPHORA = (
    "Anh ấy", "Anh ta", "Chị ấy", "Chị ta", "Ông ấy", "Ông ta", "Bà ấy", "Bà ta", "Cô ấy", "Cô ta", "Cậu ấy", "Cậu ta",
    "Họ", "Nó", "Hắn", "Chúng", "Điều này", "Việc này", "Đây", "Đó", "Điều đó",
    "He", "She", "They", "It", "This", "These",
)

# -- page furniture --------------------------------------------------------------------------------

# Words opening a bracketed photo credit or source note (`(Ảnh: …)`, `(Nguồn: …)`): quoted only when
# nothing else holds the answer.
CREDIT_WORDS = ("ảnh", "nguồn", "video", "đồ họa", "clip", "photo", "source")

# -- the time a question asks about (qa/dates.py) ---------------------------------------------------

# (kind, pattern), most specific first: the first that matches decides. Patterns are regular
# expressions over the lower-cased question, written accented; qa/dates.py folds them for questions
# typed without diacritics. Groups: day, month, year (digits) where the kind needs them.
TIME_CUES: tuple[tuple[str, str], ...] = (
    ("day", r"\bngày (\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b"),
    ("month", r"\btháng (\d{1,2})\s*(?:/|-|năm )\s*(\d{4})\b"),
    ("year", r"\b(?:năm|trong|vào) (\d{4})\b"),
    ("years_ago", r"\b(\d{1,2}) năm (?:trước|qua)\b"),
    ("yesterday", r"\bhôm qua\b"),
    ("today", r"\bhôm nay\b"),
    ("last_week", r"\btuần (?:trước|rồi)\b"),
    ("this_week", r"\btuần (?:này|qua)\b"),
    ("last_month", r"\btháng (?:trước|rồi)\b"),
    ("this_month", r"\btháng (?:này|qua)\b"),
    ("last_year", r"\bnăm (?:ngoái|trước|rồi)\b"),
    ("this_year", r"\bnăm nay\b"),
    ("recent", r"\b(?:gần đây|mới đây|mới nhất|gần nhất|vừa qua)\b"),
)

# Words that, right before a time cue, make it a time the question reasons about, not the time it
# asks about: "Trước năm 2024, hội chợ sách mở cửa lần cuối vào tháng mấy?", "Đến năm 2030, xã muốn
# …" (made-up examples). A question holding one is read as naming no time, and a year right after
# one is no year the question asks about (`short_answer.years_asked`).
TIME_CUE_BLOCKERS = ("trước", "sau", "đến", "tới", "từ", "kể từ", "mục tiêu", "so với")

# A question that asks what is not so ("Loại vé nào không được hoàn tiền?", made up) is answered by a
# sentence that says no too; one that says the words it denies without a negation answers the
# opposite question (`question.negated_words`, `question.says_no`).
NEGATIONS = ("không", "chưa", "chẳng")
NEGATIONS_UNACCENTED = ("khong",)  # typed without diacritics, `chua` and `chang` are other words too
# Words that deny without a negation: an answer that holds one may say what the question's `không` says.
DENYING_WORDS = (
    "chả", "thiếu", "miễn", "cấm", "từ chối", "ngoại trừ", "loại trừ", "ngừng", "chấm dứt", "bác bỏ",
    "phủ nhận", "vắng", "ngoài",
)
# Words that hold `không` and deny nothing: `hàng không` (aviation), `không gian` (space), …
NOT_NEGATIONS = (
    "hàng không", "không gian", "không khí", "không quân", "không phận", "không lưu", "không trung",
    "không ảnh", "không chỉ", "không những", "không kích", "phòng không", "không người lái",
)
# A negation at the end asks yes or no (`… đúng không?`, `… xong chưa?`): it denies nothing.
YES_NO_ENDING = r"(?:(?:hay|hoặc|phải|đúng|có)\s+)?(?:không|chưa)$"
# Words between a negation and what it denies: `không thể đọc`, `không phải là`, `không bao giờ`.
NEGATION_AUXILIARIES = (
    "được", "thể", "phải", "hề", "còn", "cần", "nên", "từng", "có", "bị", "bao giờ", "chịu", "muốn", "dám",
    "là",
)
# What a negation denies ends at a question word, and after its first word at a word that links
# what follows (`không bán được gì` denies `bán`).
QUESTION_WORDS = ("gì", "nào", "ai", "đâu", "bao nhiêu", "bao lâu", "bao xa", "mấy", "sao", "thế", "vậy")
LINKING_WORDS = (
    "được", "về", "những", "các", "cho", "của", "với", "ở", "tại", "trong", "là", "và", "đến", "vào", "ra",
    "lên", "một",
)

# Words that open a quoted sentence without being a name: after "Theo bài ngày 12/05/2025, " they
# are written in lower case ("sáng 12/5, …"); any other first word keeps its capital.
LOWERCASE_OPENERS = (
    "sáng chiều tối trưa đêm hôm ngày tháng năm tuần theo trong từ khi sau trước tại ở các những "
    "nhiều một hai ba hiện tiền lần đây đó này với cùng ngoài bên về do vì nhờ ông bà anh chị tỉnh "
    "huyện xã thành phố"
).split()
