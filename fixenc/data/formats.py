"""The layout of model.bin and words.bin, shared by build.py (which writes them) and model.py and
words.py (which read them); kept apart so that reading a table never imports the build script."""

MAGIC = b"FXM3"
# Counts and lengths of the tables, the bigram weight; then the line-end table's count and length,
# and what ending a line costs after a character that table does not hold.
HEADER = "<IIIIIIfIIf"
BIGRAM_WEIGHT_FIELD = 6  # index of BIGRAM_WEIGHT in HEADER
# Costs are stored in 1/8 nat steps in one byte: 0..31.9 nats covers every count we keep.
COST_SCALE = 8
MAX_COST_STEP = 255

# words.bin: jieba's words of Han characters, with the cost of each as a word (see fixenc/words.py).
WORDS_MAGIC = b"FXW3"
# The cost of a Han character that is no word of the table (nats), the rows, the index's bytes.
WORDS_HEADER = "<fII"
MAX_WORD_LENGTH = 6


def row_span(firsts: str, ends: tuple[int, ...], first: str) -> tuple[int, int]:
    """Where the row of `first` lies in a table whose rows are listed by first character (`firsts`)
    with where each one ends (`ends`, cumulative); (0, 0) for a character with no row. Found with
    str.find when first asked for (a dict of every row cost the load 4-10 ms; a pipe asks for a few)."""
    index = firsts.find(first) if len(first) == 1 else -1
    if index < 0:
        return 0, 0
    return (ends[index - 1] if index else 0), ends[index]
