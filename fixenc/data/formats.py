"""The layout of model.bin and words.bin, shared by build.py (which writes them) and model.py and
words.py (which read them); kept apart so that reading a table never imports the build script."""

MAGIC = b"FXM2"
HEADER = "<IIIIIIf"
BIGRAM_WEIGHT_FIELD = 6  # index of BIGRAM_WEIGHT in HEADER
# Costs are stored in 1/8 nat steps in one byte: 0..31.9 nats covers every count we keep.
COST_SCALE = 8
MAX_COST_STEP = 255

# words.bin: jieba's words of Han characters, with the cost of each as a word (see fixenc/words.py).
WORDS_MAGIC = b"FXW3"
# The cost of a Han character that is no word of the table (nats), the rows, the index's bytes.
WORDS_HEADER = "<fII"
MAX_WORD_LENGTH = 6
